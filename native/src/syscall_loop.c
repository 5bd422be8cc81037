/* syscall_loop.c — syscall.null: batches of raw getppid system calls (never cached by libc). */
#include <sys/syscall.h>
#include <unistd.h>

#include "ctxprobe/syscall.h"
#include "batch.h"

int32_t ctxprobe_syscall_null_run(int64_t warmup, int64_t batches, int64_t ops,
                                  int64_t *wall_ns, int64_t *cpu_ns)
{
    int rc = batch_args_check(warmup, batches, ops, wall_ns);
    if (rc)
        return rc;
    for (int64_t b = -warmup; b < batches; b++) {
        struct batch_edge e;
        batch_begin(&e, b, cpu_ns);
        for (int64_t i = 0; i < ops; i++) {
            long r = syscall(SYS_getppid);
            __asm__ volatile("" : : "r"(r) : "memory"); /* keep the call and its result */
        }
        batch_end(&e, b, wall_ns, cpu_ns);
    }
    return 0;
}
