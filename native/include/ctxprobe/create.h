/*
 * ctxprobe/create.h — process.create (create.c, also linked into the helper build/ctxprobe-helper),
 * thread.create (thread_create.c + clone_x86_64_sysv_elf_gas.S), fiber.create (fiber_create.c).
 * Java: NativeCreate. Part of ctxprobe.h.
 */
#ifndef CTXPROBE_CREATE_H
#define CTXPROBE_CREATE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Creation kinds. Each *_create_run function returns -EINVAL for a kind that is not its own. */
#define CTXPROBE_CREATE_FORK          1  /* _Fork (the system call, no atfork handlers); child _exit(0) */
#define CTXPROBE_CREATE_VFORK         2  /* vfork; child _exit(0)                                      */
#define CTXPROBE_CREATE_CLONE         3  /* raw syscall(SYS_clone, SIGCHLD, 0...): fork without libc  */
#define CTXPROBE_CREATE_POSIX_SPAWN   4  /* posix_spawn(exec_path, {exec_path, "exit"}, env {})        */
#define CTXPROBE_CREATE_FORK_EXEC     5  /* _Fork + execve(exec_path, ...)                              */
#define CTXPROBE_CREATE_VFORK_EXEC    6  /* vfork + execve(exec_path, ...)                              */
#define CTXPROBE_CREATE_PTHREAD       11 /* pthread_create(empty body) + pthread_join                  */
#define CTXPROBE_CREATE_CLONE_THREAD  12 /* raw clone(CLONE_VM|..|CLONE_THREAD|CLEARTID|SETTID) on an
                                            mmap'd stack; asm child SYS_exits; futex join          */
#define CTXPROBE_CREATE_FIBER_FRESH   21 /* mmap stack + guard, first frame, switch in and back, munmap */
#define CTXPROBE_CREATE_FIBER_POOLED  22 /* the same on one reused stack                              */

/* One op = create a child process of `kind`, which exits at once (or execs exec_path with the
 * single argument "exit": a program that must _exit(0) at once, e.g. ctxprobe-helper), and reap
 * it with waitpid, checking it exited with status 0. exec_path is needed by the three exec kinds
 * only (else may be NULL). All signals are blocked on the calling thread for the run (outside the
 * timed batches) and children inherit that mask. At most one child exists at a time; each is
 * reaped before the next is created and before any return. Returns 0, -EINVAL (unknown kind,
 * missing exec_path, bad batch arguments), -EPROTO (a child died or exited non-zero, e.g. 127 when
 * its exec failed), or the -errno of a failed creation or wait. Batch protocol. */
int32_t ctxprobe_process_create_run(int32_t kind, const char *exec_path, int64_t warmup,
                                    int64_t batches, int64_t ops, int64_t *wall_ns, int64_t *cpu_ns);

/* One op = create a kernel thread of `kind` (PTHREAD or CLONE_THREAD) and join it. All signals are
 * blocked on the calling thread for the run (a raw clone child runs on the caller's TLS and must
 * never run a handler). Returns 0, -EINVAL, -EPROTO (a raw thread was joined without having run),
 * or the -errno of a failed create or join. Batch protocol. */
int32_t ctxprobe_thread_create_run(int32_t kind, int64_t warmup, int64_t batches, int64_t ops,
                                   int64_t *wall_ns, int64_t *cpu_ns);

/* One op = create a fiber of `kind` (FIBER_FRESH or FIBER_POOLED) on a 64 KiB stack, switch into
 * it once, it switches back, tear it down. Returns 0, -EINVAL, -EPROTO (a fiber's body did not
 * run), or the -errno of a failed mmap / mprotect. Batch protocol. */
int32_t ctxprobe_fiber_create_run(int32_t kind, int64_t warmup, int64_t batches, int64_t ops,
                                  int64_t *wall_ns, int64_t *cpu_ns);

#ifdef __cplusplus
}
#endif

#endif /* CTXPROBE_CREATE_H */
