/*
 * syscall_vdso.c — syscall.vdso: batches of clock_gettime(CLOCK_MONOTONIC), the same clock read two
 * ways. Through glibc, which hands it to the vDSO: the kernel's clock data mapped into the process,
 * read in user space with no kernel entry (where the clocksource allows it: tsc, kvm-clock...).
 * And forced through syscall(SYS_clock_gettime): the same answer with a real kernel entry and exit.
 * The difference is what the vDSO saves on this host.
 */
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "ctxprobe/syscall.h"
#include "batch.h"

int32_t ctxprobe_syscall_vdso_run(int32_t path, int64_t warmup, int64_t batches, int64_t ops,
                                  int64_t *wall_ns, int64_t *cpu_ns)
{
    if (path != CTXPROBE_VDSO_PATH_VDSO && path != CTXPROBE_VDSO_PATH_SYSCALL)
        return -EINVAL;
    int rc = batch_args_check(warmup, batches, ops, wall_ns);
    if (rc)
        return rc;
    for (int64_t b = -warmup; b < batches; b++) {
        struct batch_edge e;
        batch_begin(&e, b, cpu_ns);
        for (int64_t i = 0; i < ops; i++) {
            struct timespec ts;
            if (path == CTXPROBE_VDSO_PATH_VDSO)
                clock_gettime(CLOCK_MONOTONIC, &ts);
            else
                syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
            __asm__ volatile("" : : "r"(ts.tv_nsec) : "memory"); /* keep the read and its result */
        }
        batch_end(&e, b, wall_ns, cpu_ns);
    }
    return 0;
}
