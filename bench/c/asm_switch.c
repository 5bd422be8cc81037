/*
 * asm_switch.c — what this measures: ctxprobe's own hand-written fiber switch, standalone (the
 * very native/src/switch_*.S and make_*.S files libctxprobe is built from), with and without the
 * MXCSR / x87 CW save, driven from the placed loops libctxprobe's fiber.switch uses
 * (native/src/switch_loop_*.S: copies at a 64-byte boundary + 0, 16, 32, 48, interleaved), so it
 * can be set beside build/fcontext_switch (Boost.Context, the same placed loops) in one session.
 *
 * How to run:  build/asm_switch [round_trips per copy]
 * Prints ns per switch (half a main -> fiber -> main round trip): the best copy's median over
 * batches, and every copy's (see placed_report.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fiber_switch.h"
#include "placed_report.h"

extern const struct ctxp_placed_loop ctxp_switch_loops_fpu[CTXP_PLACEMENTS];
extern const struct ctxp_placed_loop ctxp_switch_loops_nofpu[CTXP_PLACEMENTS];

static void measure(const char *name, const struct ctxp_placed_loop *table, int64_t ops)
{
    struct ctxp_stack st[CTXP_PLACEMENTS];
    struct ctxp_loop_pair pairs[CTXP_PLACEMENTS] = {0};
    for (int i = 0; i < CTXP_PLACEMENTS; i++) {
        if (ctxp_stack_alloc(&st[i], 64 * 1024) != 0) {
            perror("stack");
            exit(1);
        }
        pairs[i].fiber_sp = ctxprobe_fiber_make(st[i].hi, table[i].body, &pairs[i]);
    }
    placed_report(name, table, pairs, ops);
    for (int i = 0; i < CTXP_PLACEMENTS; i++)
        ctxp_stack_free(&st[i]);
}

int main(int argc, char **argv)
{
    int64_t round_trips = argc > 1 ? atoll(argv[1]) : 2000000;
    int64_t ops = round_trips / PLACED_BATCHES > 0 ? round_trips / PLACED_BATCHES : 1;
    measure("asm", ctxp_switch_loops_fpu, ops);
    measure("asm-nofpu", ctxp_switch_loops_nofpu, ops);
    return 0;
}
