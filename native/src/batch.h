/*
 * batch.h — the batch protocol shared by every *_run function (internal, not part of the ABI).
 *
 *   for (b = -warmup; b < batches; b++) {        // b < 0: warm-up, not recorded
 *       batch_begin(&e, b, cpu_ns);
 *       ... `ops` operations ...
 *       batch_end(&e, b, wall_ns, cpu_ns);
 *   }
 *
 * Clock order at the edges: the thread CPU clock (a system call on some hosts) is read outside the
 * wall-clock window — before the start read and after the end read — so it never lands in wall_ns.
 */
#ifndef CTXPROBE_BATCH_H
#define CTXPROBE_BATCH_H

#include <errno.h>
#include <stdint.h>
#include <time.h>

struct batch_edge {
    int64_t wall0;
    int64_t cpu0;
};

static inline int64_t batch_clock_ns(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* -EINVAL unless warmup >= 0, batches > 0, ops > 0 and wall_ns is given. */
static inline int batch_args_check(int64_t warmup, int64_t batches, int64_t ops,
                                   const int64_t *wall_ns)
{
    if (warmup < 0 || batches <= 0 || ops <= 0 || wall_ns == NULL)
        return -EINVAL;
    return 0;
}

static inline void batch_begin(struct batch_edge *e, int64_t b, const int64_t *cpu_ns)
{
    e->cpu0 = 0;
    if (b >= 0 && cpu_ns)
        e->cpu0 = batch_clock_ns(CLOCK_THREAD_CPUTIME_ID);
    e->wall0 = batch_clock_ns(CLOCK_MONOTONIC);
}

static inline void batch_end(const struct batch_edge *e, int64_t b, int64_t *wall_ns,
                             int64_t *cpu_ns)
{
    int64_t wall1 = batch_clock_ns(CLOCK_MONOTONIC);
    if (b < 0)
        return;
    wall_ns[b] = wall1 - e->wall0;
    if (cpu_ns)
        cpu_ns[b] = batch_clock_ns(CLOCK_THREAD_CPUTIME_ID) - e->cpu0;
}

#endif /* CTXPROBE_BATCH_H */
