/*
 * asm_switch.c — what this measures: ctxprobe's own hand-written fiber switch, standalone (the
 * very native/src/switch_*.S and make_*.S files libctxprobe is built from), with and without the
 * MXCSR / x87 CW save, so it can be set beside build/fcontext_switch (Boost.Context) in one session.
 *
 * How to run:  build/asm_switch [round_trips]
 * Prints ns per switch (half a main -> fiber -> main round trip), median over batches.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "fiber_switch.h"

#define BATCHES 21

struct pair {
    void *main_sp, *fiber_sp;
    ctxp_jump_fn jump;
};

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void body(void *arg)
{
    struct pair *p = arg;
    for (;;)
        p->jump(&p->fiber_sp, p->main_sp);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static double measure(ctxp_jump_fn jump, int64_t ops)
{
    struct ctxp_stack st;
    if (ctxp_stack_alloc(&st, 64 * 1024) != 0) {
        perror("stack");
        exit(1);
    }
    struct pair p = { .jump = jump };
    p.fiber_sp = ctxprobe_fiber_make(st.hi, body, &p);
    int64_t s[BATCHES];
    for (int b = -2; b < BATCHES; b++) {              /* two warm-up batches */
        int64_t t0 = now_ns();
        for (int64_t i = 0; i < ops; i++)
            jump(&p.main_sp, p.fiber_sp);
        int64_t t1 = now_ns();
        if (b >= 0)
            s[b] = t1 - t0;
    }
    ctxp_stack_free(&st);
    qsort(s, BATCHES, sizeof s[0], cmp_i64);
    return (double)s[BATCHES / 2] / (2.0 * (double)ops);
}

int main(int argc, char **argv)
{
    int64_t round_trips = argc > 1 ? atoll(argv[1]) : 2000000;
    int64_t ops = round_trips / BATCHES > 0 ? round_trips / BATCHES : 1;
    printf("asm ns_per_switch=%.2f batches=%d ops=%lld\n", measure(ctxprobe_fiber_jump, ops),
           BATCHES, (long long)ops);
    printf("asm-nofpu ns_per_switch=%.2f batches=%d ops=%lld\n",
           measure(ctxprobe_fiber_jump_nofpu, ops), BATCHES, (long long)ops);
    return 0;
}
