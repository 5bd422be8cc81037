/*
 * fiber_create.c — fiber.create: create a fiber, switch into it once, let it hand control back,
 * tear it down. Kinds:
 *   fresh-stack:  mmap a stack with a PROT_NONE guard page (fiber_stack.c), build the first frame
 *                 (ctxprobe_fiber_make), switch in, the fiber switches straight back, munmap. The
 *                 frame write faults in the stack's top page: part of a fresh fiber's real cost;
 *   pooled-stack: the same on one stack reused for every fiber (no mmap / munmap / page fault).
 * The fiber never resumes after it hands control back: it is abandoned, holding nothing but its
 * stack, which is then unmapped (fresh) or reused (pooled).
 * ctxprobe_fiber_create_placed_run (fiber.h) times pooled-stack from every placed copy of an
 * assembly loop (create_loop_*.S, loop_placement.h): at ~15 ns an op, where the loop lands in the
 * code is part of what a C loop measures. fresh-stack (mmap, a page fault, munmap) needs no copies.
 */
#include <errno.h>
#include <stdint.h>

#include "ctxprobe/create.h"
#include "ctxprobe/fiber.h"
#include "batch.h"
#include "fiber_switch.h"
#include "loop_placement.h"

#define FIBER_STACK_SIZE (64 * 1024)   /* usable bytes, as fiber.switch; a guard page lies below */

struct fiber_once {
    void *main_sp;
    void *fiber_sp;
    int64_t runs;                      /* the fiber's body ran (tests could read it; kept honest) */
};

static void once_body(void *arg)
{
    struct fiber_once *f = arg;
    f->runs++;
    for (;;)                           /* a fiber function never returns */
        ctxprobe_fiber_jump(&f->fiber_sp, f->main_sp);
}

static inline void run_once(struct fiber_once *f, void *stack_top)
{
    f->fiber_sp = ctxprobe_fiber_make(stack_top, once_body, f);
    ctxprobe_fiber_jump(&f->main_sp, f->fiber_sp);
}

int32_t ctxprobe_fiber_create_run(int32_t kind, int64_t warmup, int64_t batches, int64_t ops,
                                  int64_t *wall_ns, int64_t *cpu_ns)
{
    if (kind != CTXPROBE_CREATE_FIBER_FRESH && kind != CTXPROBE_CREATE_FIBER_POOLED)
        return -EINVAL;
    int rc = batch_args_check(warmup, batches, ops, wall_ns);
    if (rc)
        return rc;

    struct fiber_once f = {0};
    struct ctxp_stack pool = {0};
    if (kind == CTXPROBE_CREATE_FIBER_POOLED && (rc = ctxp_stack_alloc(&pool, FIBER_STACK_SIZE)) != 0)
        return rc;
    int64_t created = 0;
    for (int64_t b = -warmup; b < batches && rc == 0; b++) {
        struct batch_edge e;
        batch_begin(&e, b, cpu_ns);
        for (int64_t i = 0; i < ops; i++) {
            if (kind == CTXPROBE_CREATE_FIBER_POOLED) {
                run_once(&f, pool.hi);
            } else {
                struct ctxp_stack st;
                if ((rc = ctxp_stack_alloc(&st, FIBER_STACK_SIZE)) != 0)
                    break;
                run_once(&f, st.hi);
                ctxp_stack_free(&st);
            }
            created++;
        }
        batch_end(&e, b, wall_ns, cpu_ns);
    }
    ctxp_stack_free(&pool);
    if (rc == 0 && f.runs != created)
        rc = -EPROTO;                  /* every fiber ran its body once */
    return rc;
}

extern const struct ctxp_placed_loop ctxp_create_loops[CTXP_PLACEMENTS] CTXP_HIDDEN;

int32_t ctxprobe_fiber_create_placed_run(int64_t warmup, int64_t batches, int64_t ops,
                                         int64_t *wall_ns, int64_t *cpu_ns, int64_t *created)
{
    int rc = batch_args_check(warmup, batches, ops, wall_ns);
    if (rc)
        return rc;
    struct ctxp_stack pools[CTXP_PLACEMENTS] = {0};
    struct ctxp_loop_pair pairs[CTXP_PLACEMENTS] = {0};
    for (int i = 0; i < CTXP_PLACEMENTS && rc == 0; i++) {
        rc = ctxp_stack_alloc(&pools[i], FIBER_STACK_SIZE);
        pairs[i].stack_top = pools[i].hi;   /* each copy builds its fibers on its own pooled stack */
    }
    int64_t runs[CTXP_PLACEMENTS];
    if (rc == 0)
        rc = ctxp_placed_batches(ctxp_create_loops, pairs, warmup, batches, ops, wall_ns, cpu_ns, runs);
    for (int i = 0; i < CTXP_PLACEMENTS; i++)
        ctxp_stack_free(&pools[i]);
    for (int i = 0; i < CTXP_PLACEMENTS && rc == 0; i++) {
        if (created)
            created[i] = runs[i];
        if (runs[i] != ops * batches)
            rc = -EPROTO;                  /* every fiber ran its body once */
    }
    return rc;
}
