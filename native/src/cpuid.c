/* cpuid.c — raw CPUID for host facts (vendor, family/model, hypervisor leaf, TLB leaves).
 * CPUID is an x86 instruction: elsewhere (AArch64) the call answers -ENOSYS with out zeroed, and
 * the Java side says "x86 only" for every CPUID-based fact. */
#include <errno.h>

#include "ctxprobe.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

int32_t ctxprobe_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t *out)
{
    uint32_t a, b, c, d;
    __cpuid_count(leaf, subleaf, a, b, c, d);
    out[0] = a;
    out[1] = b;
    out[2] = c;
    out[3] = d;
    return 0;
}
#else
int32_t ctxprobe_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t *out)
{
    (void)leaf;
    (void)subleaf;
    out[0] = out[1] = out[2] = out[3] = 0;
    return -ENOSYS;
}
#endif
