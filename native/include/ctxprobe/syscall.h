/*
 * ctxprobe/syscall.h — syscall.null (syscall_loop.c), syscall.vdso (syscall_vdso.c). Java: NativeSyscall.
 * Part of ctxprobe.h.
 */
#ifndef CTXPROBE_SYSCALL_H
#define CTXPROBE_SYSCALL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Batches of `ops` raw getppid system calls (syscall(SYS_getppid): never cached by libc).
 * Returns 0 or a negative errno. */
int32_t ctxprobe_syscall_null_run(int64_t warmup, int64_t batches, int64_t ops,
                                  int64_t *wall_ns, int64_t *cpu_ns);

/* syscall.vdso: batches of clock_gettime(CLOCK_MONOTONIC) through `path`: glibc (the vDSO, no
 * kernel entry where the clocksource allows) or syscall(SYS_clock_gettime) (a real kernel entry).
 * Returns 0 or a negative errno (-EINVAL for an unknown path). */
#define CTXPROBE_VDSO_PATH_VDSO    0
#define CTXPROBE_VDSO_PATH_SYSCALL 1
int32_t ctxprobe_syscall_vdso_run(int32_t path, int64_t warmup, int64_t batches, int64_t ops,
                                  int64_t *wall_ns, int64_t *cpu_ns);

#ifdef __cplusplus
}
#endif

#endif /* CTXPROBE_SYSCALL_H */
