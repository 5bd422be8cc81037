/*
 * placed_report.h — for the bench/c switch programs: run every placed copy of a switch loop
 * (native/src/loop_placement.h, interleaved batches), check each copy's fiber resumed once per round
 * trip, and print the best copy's median with every copy's beside it:
 *
 *   NAME ns_per_switch=BEST placement=+16 spread=1.03 fastest=5.10 copies="+0 5.31 +16 5.22 +32 5.40 +48 5.29" batches=21 ops=N
 *
 * (fastest: the fastest batch of any copy — what the switch costs when nothing else runs, a check
 * on a busy host where medians carry other work's preemptions.)
 *
 * C and C++ (fcontext_switch.cpp) include it; `make_fiber` builds copy i's fiber on its stack.
 */
#ifndef BENCH_PLACED_REPORT_H
#define BENCH_PLACED_REPORT_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "loop_placement.h"

#define PLACED_BATCHES 21

static int placed_cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* ops round trips per batch and copy; the pairs' fibers are already made. Exits 1 on a failure. */
static void placed_report(const char *name, const struct ctxp_placed_loop *table,
                          struct ctxp_loop_pair *pairs, int64_t ops)
{
    static int64_t wall[CTXP_PLACEMENTS * PLACED_BATCHES];
    int64_t runs[CTXP_PLACEMENTS];
    if (ctxp_placed_batches(table, pairs, 2, PLACED_BATCHES, ops, wall, NULL, runs) != 0) {
        fprintf(stderr, "%s: bad batch arguments\n", name);
        exit(1);
    }
    double median[CTXP_PLACEMENTS];
    int64_t fastest = INT64_MAX;
    int best = 0, worst = 0;
    for (int i = 0; i < CTXP_PLACEMENTS; i++) {
        if (runs[i] != ops * PLACED_BATCHES) {
            fprintf(stderr, "%s: copy %d resumed its fiber %lld times, not %lld\n", name, i,
                    (long long)runs[i], (long long)(ops * PLACED_BATCHES));
            exit(1);
        }
        int64_t *w = wall + i * PLACED_BATCHES;
        qsort(w, PLACED_BATCHES, sizeof w[0], placed_cmp_i64);
        if (w[0] < fastest)
            fastest = w[0];
        median[i] = (double)w[PLACED_BATCHES / 2] / (2.0 * (double)ops);   /* 2 switches a trip */
        if (median[i] < median[best])
            best = i;
        if (median[i] > median[worst])
            worst = i;
    }
    printf("%s ns_per_switch=%.2f placement=+%d spread=%.3f fastest=%.2f copies=\"", name, median[best],
           (int)((uintptr_t)table[best].top % 64), median[worst] / median[best],
           (double)fastest / (2.0 * (double)ops));
    for (int i = 0; i < CTXP_PLACEMENTS; i++)
        printf("%s+%d %.2f", i ? " " : "", (int)((uintptr_t)table[i].top % 64), median[i]);
    printf("\" batches=%d ops=%lld\n", PLACED_BATCHES, (long long)ops);
}

#endif /* BENCH_PLACED_REPORT_H */
