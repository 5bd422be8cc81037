/*
 * fiber.c — fiber.switch: two fibers on the calling thread ping-pong; a round trip is
 * main -> fiber -> main (two switches). Kinds: the hand-written switch with and without the FPU
 * control state (switch_*.S), and glibc swapcontext (which also saves the signal mask: a system call
 * per switch).
 */
#include <errno.h>
#include <stdint.h>
#include <ucontext.h>

#include "ctxprobe/fiber.h"
#include "batch.h"
#include "fiber_switch.h"

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
