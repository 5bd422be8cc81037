/*
 * loop_placement.c — the driver of placed loops (loop_placement.h): every copy of a loop timed in
 * the batch protocol of batch.h, interleaved batch by batch so all copies share the host's drift.
 */
#include "loop_placement.h"
#include "batch.h"

int ctxp_placed_batches(const struct ctxp_placed_loop *table, struct ctxp_loop_pair *pairs,
                        int64_t warmup, int64_t batches, int64_t ops,
                        int64_t *wall_ns, int64_t *cpu_ns, int64_t *runs)
{
    int rc = batch_args_check(warmup, batches, ops, wall_ns);
    if (rc)
        return rc;
    int64_t runs_before[CTXP_PLACEMENTS];
    for (int64_t b = -warmup; b < batches; b++) {
        if (b == 0)                     /* the measured batches start: counts from here */
            for (int i = 0; i < CTXP_PLACEMENTS; i++)
                runs_before[i] = pairs[i].runs;
        /* The first copy of each round rotates, so no copy always follows the same one. */
        int first = (int)(((b % CTXP_PLACEMENTS) + CTXP_PLACEMENTS) % CTXP_PLACEMENTS);
        for (int k = 0; k < CTXP_PLACEMENTS; k++) {
            int i = (first + k) % CTXP_PLACEMENTS;
            struct batch_edge e;
            batch_begin(&e, b, cpu_ns);
            table[i].loop(&pairs[i], ops);
            batch_end(&e, b, wall_ns + i * batches, cpu_ns ? cpu_ns + i * batches : NULL);
        }
    }
    if (runs)
        for (int i = 0; i < CTXP_PLACEMENTS; i++)
            runs[i] = pairs[i].runs - runs_before[i];
    return 0;
}
