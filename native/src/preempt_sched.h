/*
 * preempt_sched.h — internal (hidden): a preemptive M:1 fiber scheduler on the calling thread.
 * fiber.preempt's measurement (fiber_preempt.c) and its register-file check (fiber_preempt_regs.c)
 * run on it.
 *
 * Preemption: a POSIX timer on CLOCK_MONOTONIC whose expiry is a real-time signal sent to this
 * thread only (SIGEV_THREAD_ID). Its handler runs on the interrupted fiber's own stack, where the
 * kernel has saved that fiber's whole user state (general registers, flags, FPU/vector state via
 * XSAVE, signal mask) in the signal frame; the handler switches to the next fiber with the
 * hand-written switch. The preempted fiber resumes later *inside its handler*, which returns, and
 * sigreturn restores everything from the frame. So nothing but the switch's callee-saved
 * registers is saved by this code; the kernel's frame does the rest.
 *
 * Rules this imposes (README "Preemption"):
 *   - fiber code may be interrupted anywhere: it must not take a lock another fiber could need
 *     (malloc, stdio): a preempted holder never gets to release it while the others spin or block;
 *   - the handler itself calls only async-signal-safe code (and saves errno: it is per thread,
 *     so a fiber preempted between a failing call and its errno check would read another's);
 *   - no SA_ONSTACK: a signal frame on one sigaltstack shared by the fibers would be overwritten
 *     by the next fiber's preemption while the first still needs it to resume;
 *   - a fiber entered by a switch from the handler starts with the signal blocked (the handler's
 *     mask): the fiber entry unblocks it.
 * One scheduler per process at a time (the signal's disposition is process-wide): -EBUSY.
 */
#ifndef CTXPROBE_PREEMPT_SCHED_H
#define CTXPROBE_PREEMPT_SCHED_H

#include <signal.h>
#include <stdint.h>
#include <time.h>

#include "fiber_switch.h"

#define PS_FIBERS      2
#define PS_STACK_SIZE  (128 * 1024)   /* signal frames with AVX-512 state take several KiB */

struct ps_sched;
typedef void (*ps_body)(struct ps_sched *s, int index, void *arg);
/* Called in the handler (async-signal-safe code only) for the fiber being preempted. */
typedef void (*ps_on_preempt)(struct ps_sched *s, int index, void *ucontext, void *arg);

struct ps_fiber {
    void             *sp;
    struct ctxp_stack stack;
    int64_t           preempted;
};

struct ps_start {
    struct ps_sched *s;
    int              index;
};

struct ps_sched {
    struct ps_fiber f[PS_FIBERS];
    struct ps_start start[PS_FIBERS];
    void           *main_sp;          /* the caller's context while the fibers run */
    volatile int    cur;              /* the running fiber */
    volatile int64_t switches;        /* every fiber switch (handler or yield): the fibers' clock */
    volatile int64_t signals;         /* handler entries */
    volatile int    stop;             /* asks the fibers to finish */
    ps_body         body;
    ps_on_preempt   on_preempt;       /* may be NULL */
    void           *arg;
    int             signo;            /* 0: no timer (cooperative only) */
    timer_t         timer;
    int             timer_made;
    struct sigaction old_action;
    sigset_t        old_mask;
    int             active;           /* holds the process-wide slot */
};

/* Allocates stacks and frames for PS_FIBERS fibers running body(s, i, arg). 0 or -errno. */
CTXP_HIDDEN int ps_init(struct ps_sched *s, ps_body body, ps_on_preempt on_preempt, void *arg);

/* Runs the fibers until one calls ps_finish; with interval_ns > 0 they are preempted by the timer
 * signal every interval_ns (a free real-time signal is chosen: -EBUSY when none, or when another
 * scheduler is active). Returns with the timer deleted, no signal pending, the old disposition and
 * the caller's signal mask back. 0 or -errno. */
CTXP_HIDDEN int ps_run(struct ps_sched *s, int64_t interval_ns);

/* From a fiber: switch to the next one (cooperative). */
CTXP_HIDDEN void ps_yield(struct ps_sched *s);

/* From a fiber: block the signal and return to ps_run's caller. Never returns. */
CTXP_HIDDEN void ps_finish(struct ps_sched *s) __attribute__((noreturn));

/* Unmaps the stacks (the other fibers are abandoned where they were suspended). */
CTXP_HIDDEN void ps_destroy(struct ps_sched *s);

#endif /* CTXPROBE_PREEMPT_SCHED_H */
