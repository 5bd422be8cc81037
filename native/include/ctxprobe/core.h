/*
 * ctxprobe/core.h — the ABI version, the timer and its own cost, raw CPUID (clock.c, cpuid.c).
 * Java: NativeCore. Part of ctxprobe.h (include that).
 */
#ifndef CTXPROBE_CORE_H
#define CTXPROBE_CORE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* CTXPROBE_ABI_VERSION (ctxprobe.h) of the library that answers. */
int32_t ctxprobe_abi_version(void);

/* CLOCK_MONOTONIC in ns (vDSO on most hosts). */
int64_t ctxprobe_now_ns(void);

/* CLOCK_THREAD_CPUTIME_ID in ns for the calling thread (a real system call on some hosts). */
int64_t ctxprobe_thread_cpu_ns(void);

/* Median cost in ns (x1000, i.e. picoseconds) of one ctxprobe_now_ns() read, over `reads` back-to-back
 * pairs; returns a negative errno on bad input. */
int64_t ctxprobe_timer_cost_ps(int64_t reads);

/* Executes CPUID(leaf, subleaf) and stores eax, ebx, ecx, edx in out[0..3] (host facts: vendor,
 * family/model, hypervisor leaf, TLB leaves). Returns 0; on a non-x86 build (AArch64), where CPUID
 * does not exist, -ENOSYS with out[0..3] = 0. */
int32_t ctxprobe_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t *out);

#ifdef __cplusplus
}
#endif

#endif /* CTXPROBE_CORE_H */
