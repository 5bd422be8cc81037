/*
 * fiber.c — fiber.switch: two fibers on the calling thread ping-pong; a round trip is
 * main -> fiber -> main (two switches). Kinds: the hand-written switch with and without the FPU
 * control state (switch_*.S), and glibc swapcontext (which also saves the signal mask: a system call
 * per switch). Two drivers: ctxprobe_fiber_switch_run times a C loop wherever the compiler put it;
 * ctxprobe_fiber_switch_placed_run times the hand-written kinds from every placed copy of an
 * assembly loop (switch_loop_*.S, loop_placement.h), which is what fiber.switch reports.
 */
#include <errno.h>
#include <stdint.h>
#include <ucontext.h>

#include "ctxprobe/fiber.h"
#include "batch.h"
#include "fiber_switch.h"
#include "loop_placement.h"

#define FIBER_STACK_SIZE (64 * 1024)   /* usable bytes; a guard page lies below */

struct fiber_pair {
    void      *main_sp;    /* hand-written switch: main's saved stack pointer  */
    void      *fiber_sp;   /* hand-written switch: the fiber's saved stack pointer */
    ucontext_t main_uc;    /* ucontext kind */
    ucontext_t fiber_uc;
};

/* Fiber bodies: each loops forever switching back to main (a fiber function never returns). */
static void asm_fiber_body(void *arg)
{
    struct fiber_pair *p = arg;
    for (;;)
        ctxprobe_fiber_jump(&p->fiber_sp, p->main_sp);
}

static void asm_nofpu_fiber_body(void *arg)
{
    struct fiber_pair *p = arg;
    for (;;)
        ctxprobe_fiber_jump_nofpu(&p->fiber_sp, p->main_sp);
}

/* makecontext passes int arguments only: the pointer travels as two halves. */
static void uc_fiber_body(unsigned int hi, unsigned int lo)
{
    struct fiber_pair *p = (struct fiber_pair *)(((uintptr_t)hi << 32) | (uintptr_t)lo);
    for (;;)
        swapcontext(&p->fiber_uc, &p->main_uc);
}

/* One batch of `ops` round trips, the switch inlined as a direct call per kind. */
static inline __attribute__((always_inline)) int
round_trips(int32_t kind, struct fiber_pair *p, int64_t ops)
{
    switch (kind) {
    case CTXPROBE_FIBER_ASM:
        for (int64_t i = 0; i < ops; i++)
            ctxprobe_fiber_jump(&p->main_sp, p->fiber_sp);
        return 0;
    case CTXPROBE_FIBER_ASM_NOFPU:
        for (int64_t i = 0; i < ops; i++)
            ctxprobe_fiber_jump_nofpu(&p->main_sp, p->fiber_sp);
        return 0;
    default: /* CTXPROBE_FIBER_UCONTEXT */
        for (int64_t i = 0; i < ops; i++)
            if (swapcontext(&p->main_uc, &p->fiber_uc) != 0)
                return -errno;
        return 0;
    }
}

int32_t ctxprobe_fiber_switch_run(int32_t kind, int64_t warmup, int64_t batches, int64_t ops,
                                  int64_t *wall_ns, int64_t *cpu_ns)
{
    if (kind != CTXPROBE_FIBER_ASM && kind != CTXPROBE_FIBER_ASM_NOFPU &&
        kind != CTXPROBE_FIBER_UCONTEXT)
        return -EINVAL;
    int rc = batch_args_check(warmup, batches, ops, wall_ns);
    if (rc)
        return rc;

    struct ctxp_stack st;
    rc = ctxp_stack_alloc(&st, FIBER_STACK_SIZE);
    if (rc)
        return rc;

    struct fiber_pair p = {0};
    if (kind == CTXPROBE_FIBER_UCONTEXT) {
        if (getcontext(&p.fiber_uc) != 0) {
            rc = -errno;
            goto out;
        }
        p.fiber_uc.uc_stack.ss_sp = st.lo;
        p.fiber_uc.uc_stack.ss_size = (size_t)((char *)st.hi - (char *)st.lo);
        p.fiber_uc.uc_link = NULL;   /* the body never returns */
        uintptr_t a = (uintptr_t)&p;
        makecontext(&p.fiber_uc, (void (*)(void))uc_fiber_body, 2,
                    (unsigned int)(a >> 32), (unsigned int)(a & 0xffffffffu));
    } else {
        p.fiber_sp = ctxprobe_fiber_make(st.hi, kind == CTXPROBE_FIBER_ASM ? asm_fiber_body
                                                                           : asm_nofpu_fiber_body,
                                         &p);
    }

    for (int64_t b = -warmup; b < batches; b++) {
        struct batch_edge e;
        batch_begin(&e, b, cpu_ns);
        rc = round_trips(kind, &p, ops);
        batch_end(&e, b, wall_ns, cpu_ns);
        if (rc)
            goto out;
    }
out:
    /* The fiber is left suspended inside its loop; it holds nothing but its stack. */
    ctxp_stack_free(&st);
    return rc;
}

/* ---- placed loops (loop_placement.h, switch_loop_<abi>.S: x86-64 SysV or AArch64 AAPCS64) ---- */

_Static_assert(CTXP_PLACEMENTS == CTXPROBE_LOOP_PLACEMENTS, "loop_placement.h and fiber.h agree");
_Static_assert(CTXP_PLACEMENT_STEP == CTXPROBE_LOOP_PLACEMENT_STEP, "loop_placement.h and fiber.h agree");

extern const struct ctxp_placed_loop ctxp_switch_loops_fpu[CTXP_PLACEMENTS] CTXP_HIDDEN;
extern const struct ctxp_placed_loop ctxp_switch_loops_nofpu[CTXP_PLACEMENTS] CTXP_HIDDEN;

static const struct ctxp_placed_loop *switch_loops(int32_t kind)
{
    return kind == CTXPROBE_FIBER_ASM ? ctxp_switch_loops_fpu
         : kind == CTXPROBE_FIBER_ASM_NOFPU ? ctxp_switch_loops_nofpu : NULL;
}

int32_t ctxprobe_fiber_loop_top_offset(int32_t kind, int32_t placement)
{
    const struct ctxp_placed_loop *table = switch_loops(kind);
    if (table == NULL || placement < 0 || placement >= CTXP_PLACEMENTS)
        return -EINVAL;
    return (int32_t)((uintptr_t)table[placement].top % 64);
}

int32_t ctxprobe_fiber_switch_placed_run(int32_t kind, int64_t warmup, int64_t batches, int64_t ops,
                                         int64_t *wall_ns, int64_t *cpu_ns, int64_t *switches)
{
    const struct ctxp_placed_loop *table = switch_loops(kind);
    if (table == NULL)
        return -EINVAL;
    int rc = batch_args_check(warmup, batches, ops, wall_ns);
    if (rc)
        return rc;

    struct ctxp_stack st[CTXP_PLACEMENTS] = {0};
    struct ctxp_loop_pair pairs[CTXP_PLACEMENTS] = {0};
    for (int i = 0; i < CTXP_PLACEMENTS && rc == 0; i++) {
        rc = ctxp_stack_alloc(&st[i], FIBER_STACK_SIZE);
        if (rc == 0)   /* each copy's fiber starts in that copy's body */
            pairs[i].fiber_sp = ctxprobe_fiber_make(st[i].hi, table[i].body, &pairs[i]);
    }
    int64_t resumes[CTXP_PLACEMENTS];
    if (rc == 0)
        rc = ctxp_placed_batches(table, pairs, warmup, batches, ops, wall_ns, cpu_ns, resumes);
    for (int i = 0; i < CTXP_PLACEMENTS && rc == 0; i++) {
        if (switches)
            switches[i] = 2 * resumes[i];   /* a resume is one switch in and one back */
        if (resumes[i] != ops * batches)
            rc = -EPROTO;                   /* every round trip resumed the copy's fiber */
    }
    /* The fibers are left suspended inside their loops; they hold nothing but their stacks. */
    for (int i = 0; i < CTXP_PLACEMENTS; i++)
        ctxp_stack_free(&st[i]);
    return rc;
}
