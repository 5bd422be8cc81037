/*
 * ctxprobe/syscall.h — syscall.null (syscall_loop.c). Java: NativeSyscall. Part of ctxprobe.h.
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

#ifdef __cplusplus
}
#endif

#endif /* CTXPROBE_SYSCALL_H */
