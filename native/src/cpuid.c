/* cpuid.c — raw CPUID for host facts (vendor, family/model, hypervisor leaf, TLB leaves). */
#include <cpuid.h>

#include "ctxprobe.h"

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
