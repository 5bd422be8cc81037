/* clock.c — the ABI version, the two clocks and the cost of one CLOCK_MONOTONIC read. */
#include <errno.h>
#include <stdlib.h>

#include "ctxprobe.h"
#include "batch.h"

/* Upper bound on `reads` for ctxprobe_timer_cost_ps (one int64 per pair is allocated). */
#define TIMER_COST_MAX_READS (1 << 24)

int32_t ctxprobe_abi_version(void)
{
    return CTXPROBE_ABI_VERSION;
}

int64_t ctxprobe_now_ns(void)
{
    return batch_clock_ns(CLOCK_MONOTONIC);
}

int64_t ctxprobe_thread_cpu_ns(void)
{
    return batch_clock_ns(CLOCK_THREAD_CPUTIME_ID);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Median over `reads` back-to-back pairs (t1 - t0) of one read, times 1000 (picoseconds).
 * -EINVAL for reads <= 0 or > 2^24, -ENOMEM if the scratch array cannot be allocated. */
int64_t ctxprobe_timer_cost_ps(int64_t reads)
{
    if (reads <= 0 || reads > TIMER_COST_MAX_READS)
        return -EINVAL;
    int64_t *d = malloc((size_t)reads * sizeof *d);
    if (!d)
        return -ENOMEM;
    for (int64_t i = 0; i < reads; i++) {
        int64_t t0 = ctxprobe_now_ns();
        int64_t t1 = ctxprobe_now_ns();
        d[i] = t1 - t0;
    }
    qsort(d, (size_t)reads, sizeof *d, cmp_i64);
    int64_t med = (reads & 1) ? d[reads / 2] * 1000 : (d[reads / 2 - 1] + d[reads / 2]) * 500;
    free(d);
    return med;
}
