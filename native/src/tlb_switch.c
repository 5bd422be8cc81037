/*
 * tlb_switch.c — tlb.switch: what one event costs the TLB afterwards. A working set of W lines
 * (one per page, or packed) is warmed; then, per pass, one event runs untimed and ONE pass over the
 * W lines is timed with CLOCK_MONOTONIC (vDSO: no kernel entry) read just around the pass.
 *
 * Events are a table of functions (setup / run / teardown), as the ping-pong's mechanisms are:
 * nothing; a raw null system call; a hand-written fiber switch there and back; swapcontext there
 * and back; a round trip to a partner thread or forked child on the same CPU. The round trips are
 * the ping-pong object itself (futex mechanism, driven from C: pingpong.c's pp_echo partner and
 * pp_drive_round_trip), so they share its abort path and, for the child, its partner watch.
 *
 * The control (ctxprobe_tlb_ctl): another thread aborts a run through it (the object of a running
 * round trip is published there under a lock, so an abort never touches a freed object; other
 * events see the flag once per pass), and the run leaves there how its partner ended and how many
 * round trips it answered, read before the object is freed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include "ctxprobe/tlb.h"
#include "batch.h"
#include "fiber_switch.h"
#include "pp_internal.h"
#include "tlb_chase.h"

#define FIBER_STACK (64 * 1024)
#define REAP_MS 10000                 /* a partner child still there this long after abort: SIGKILL */

struct event_state {
    struct ctxp_stack  stack;         /* fibers */
    void              *main_sp, *fiber_sp;
    ucontext_t         main_uc, fiber_uc;
    ctxprobe_pingpong *pp;            /* round trips */
    pthread_t          thread;
    int                thread_started;
    struct ctxp_child_end partner_end; /* filled by teardown before the object is freed */
    int64_t            partner_round_trips;   /* -ENODATA: no partner */
};

struct ctxprobe_tlb_ctl {
    pthread_mutex_t    lock;
    _Atomic int32_t    aborted;
    ctxprobe_pingpong *pp;            /* the running round trip's object (under lock), or NULL */
    struct ctxp_child_end partner_end;
    int64_t            partner_round_trips;
};

/* One event kind. setup: 0 or -errno (teardown still runs and undoes a partial setup); run: one
 * event, 0 or -errno; teardown: 0 or the partner's -errno. */
struct tlb_event {
    int32_t id;
    int   (*setup)(struct event_state *s);
    int   (*run)(struct event_state *s);
    int   (*teardown)(struct event_state *s);
};

static int nothing(struct event_state *s)
{
    (void)s;
    return 0;
}

static int null_syscall(struct event_state *s)
{
    (void)s;
    syscall(SYS_getppid);
    return 0;
}

/* ---- fibers: the other side switches straight back ---- */

static void asm_fiber_body(void *arg)
{
    struct event_state *s = arg;
    for (;;)
        ctxprobe_fiber_jump(&s->fiber_sp, s->main_sp);
}

static void uc_fiber_body(unsigned int hi, unsigned int lo)
{
    struct event_state *s = (struct event_state *)(((uintptr_t)hi << 32) | (uintptr_t)lo);
    for (;;)
        swapcontext(&s->fiber_uc, &s->main_uc);
}

static int fiber_asm_setup(struct event_state *s)
{
    int rc = ctxp_stack_alloc(&s->stack, FIBER_STACK);
    if (rc == 0)
        s->fiber_sp = ctxprobe_fiber_make(s->stack.hi, asm_fiber_body, s);
    return rc;
}

static int fiber_asm_run(struct event_state *s)
{
    ctxprobe_fiber_jump(&s->main_sp, s->fiber_sp);
    return 0;
}

static int fiber_uc_setup(struct event_state *s)
{
    int rc = ctxp_stack_alloc(&s->stack, FIBER_STACK);
    if (rc)
        return rc;
    if (getcontext(&s->fiber_uc) != 0)
        return -errno;
    s->fiber_uc.uc_stack.ss_sp = s->stack.lo;
    s->fiber_uc.uc_stack.ss_size = (size_t)((char *)s->stack.hi - (char *)s->stack.lo);
    s->fiber_uc.uc_link = NULL;
    uintptr_t a = (uintptr_t)s;
    makecontext(&s->fiber_uc, (void (*)(void))uc_fiber_body, 2, (unsigned int)(a >> 32),
                (unsigned int)(a & 0xffffffffu));
    return 0;
}

static int fiber_uc_run(struct event_state *s)
{
    return swapcontext(&s->main_uc, &s->fiber_uc) == 0 ? 0 : -errno;
}

static int fiber_teardown(struct event_state *s)
{
    ctxp_stack_free(&s->stack);       /* a suspended fiber holds nothing but its stack */
    return 0;
}

/* ---- round trips: the ping-pong object, its partner pinned to the caller's CPU ---- */

/* The forked partner: named, so that a person (or a test) finds it among the JVM's children. */
static int echo_child(struct pp_side *side, int sock)
{
    prctl(PR_SET_NAME, "ctxp-tlb-echo", 0, 0, 0);
    return pp_echo(side, sock);
}

static int roundtrip_setup(struct event_state *s, int32_t flags)
{
    int cpu = sched_getcpu();
    if (cpu < 0)
        return -errno;
    int rc;
    s->pp = pp_create(CTXPROBE_MECH_FUTEX, flags, 0, 1, 1, &rc);
    if (!s->pp)
        return rc;
    s->pp->echo_cpu = cpu;
    if (flags & CTXPROBE_PP_PROCESS) {
        int32_t pid = pp_fork_side(s->pp, 1, echo_child);
        return pid < 0 ? pid : 0;
    }
    /* every signal blocked in the partner: the JVM's handlers must never run on it */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    rc = -pthread_create(&s->thread, NULL, pp_echo_main, &s->pp->side[1]);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    s->thread_started = rc == 0;
    return rc;
}

static int thread_roundtrip_setup(struct event_state *s)
{
    return roundtrip_setup(s, 0);
}

static int process_roundtrip_setup(struct event_state *s)
{
    return roundtrip_setup(s, CTXPROBE_PP_PROCESS);
}

static int roundtrip_run(struct event_state *s)
{
    return pp_drive_round_trip(s->pp);
}

/* Stops the partner (abort), joins or reaps it; the object's error is the partner's (a failed
 * pin, or -EPIPE for a child that died). */
static int roundtrip_teardown(struct event_state *s)
{
    if (!s->pp)
        return 0;
    ctxprobe_pingpong_abort(s->pp);
    if (s->thread_started)
        pthread_join(s->thread, NULL);
    int rc = s->pp->side[1].forked ? ctxprobe_pingpong_reap(s->pp, 1, REAP_MS) : 0;
    s->partner_end = s->pp->side[1].end;                 /* the watch's (or the reap's) account */
    s->partner_round_trips = __atomic_load_n(&s->pp->side[1].round_trips, __ATOMIC_RELAXED);
    int err = ctxprobe_pingpong_error(s->pp);
    ctxprobe_pingpong_free(s->pp);
    return err ? err : rc;
}

static const struct tlb_event events[] = {
    { CTXPROBE_TLBEV_NONE,              nothing,                 nothing,       nothing },
    { CTXPROBE_TLBEV_NULL_SYSCALL,      nothing,                 null_syscall,  nothing },
    { CTXPROBE_TLBEV_FIBER_ASM,         fiber_asm_setup,         fiber_asm_run, fiber_teardown },
    { CTXPROBE_TLBEV_FIBER_UCONTEXT,    fiber_uc_setup,          fiber_uc_run,  fiber_teardown },
    { CTXPROBE_TLBEV_THREAD_ROUNDTRIP,  thread_roundtrip_setup,  roundtrip_run, roundtrip_teardown },
    { CTXPROBE_TLBEV_PROCESS_ROUNDTRIP, process_roundtrip_setup, roundtrip_run, roundtrip_teardown },
};

static const struct tlb_event *find_event(int32_t id)
{
    for (size_t i = 0; i < sizeof events / sizeof events[0]; i++)
        if (events[i].id == id)
            return &events[i];
    return NULL;
}

/* The timed loop: per pass one untimed event, then one timed walk of the whole cycle. An abort
 * through the control is seen before each event (a round trip's own wait is woken by it). */
static int timed_passes(const struct tlb_event *ev, struct event_state *s, struct tlb_chase *c,
                        int64_t warmup, int64_t batches, int64_t passes, int64_t *wall_ns,
                        const _Atomic int32_t *aborted)
{
    void **p = tlb_chase_walk(c->head, 2 * c->lines);        /* warm: twice round the cycle */
    int rc = 0;
    for (int64_t b = -warmup; b < batches && rc == 0; b++) {
        int64_t sum = 0;
        for (int64_t i = 0; i < passes && rc == 0; i++) {
            if (aborted && atomic_load_explicit(aborted, memory_order_relaxed)) {
                rc = -ECANCELED;
                break;
            }
            rc = ev->run(s);                                 /* untimed */
            int64_t t0 = batch_clock_ns(CLOCK_MONOTONIC);
            p = tlb_chase_walk(p, c->lines);                 /* one whole cycle */
            int64_t t1 = batch_clock_ns(CLOCK_MONOTONIC);
            sum += t1 - t0;
        }
        if (b >= 0)
            wall_ns[b] = sum;
    }
    __asm__ volatile("" : : "r"(p));
    return rc;
}

/* Publishes the round trip's object to the control (or withdraws it: pp NULL); an abort that came
 * first is passed on at once. */
static void ctl_publish(struct ctxprobe_tlb_ctl *ctl, ctxprobe_pingpong *pp)
{
    if (!ctl)
        return;
    pthread_mutex_lock(&ctl->lock);
    ctl->pp = pp;
    if (pp && atomic_load(&ctl->aborted))
        ctxprobe_pingpong_abort(pp);
    pthread_mutex_unlock(&ctl->lock);
}

int32_t ctxprobe_tlb_switch_run(int32_t event, int32_t packed, int64_t pages, int64_t warmup,
                                int64_t batches, int64_t passes, int64_t *wall_ns)
{
    return ctxprobe_tlb_switch_run_ctl(NULL, event, packed, pages, warmup, batches, passes, wall_ns);
}

int32_t ctxprobe_tlb_switch_run_ctl(ctxprobe_tlb_ctl *ctl, int32_t event, int32_t packed, int64_t pages,
                                    int64_t warmup, int64_t batches, int64_t passes, int64_t *wall_ns)
{
    const struct tlb_event *ev = find_event(event);
    if (!ev || pages < 2 || pages > (1 << 20))
        return -EINVAL;
    int rc = batch_args_check(warmup, batches, passes, wall_ns);
    if (rc)
        return rc;
    struct tlb_chase c;
    rc = tlb_chase_build(&c, packed ? CTXPROBE_TLB_PACKED : CTXPROBE_TLB_SPARSE_4K, pages);
    if (rc)
        return rc;
    struct event_state s;
    memset(&s, 0, sizeof s);
    s.partner_round_trips = -ENODATA;
    if (ctl) {
        ctl->partner_end = (struct ctxp_child_end){ 0, 0, 0 };
        ctl->partner_round_trips = -ENODATA;
    }
    rc = ev->setup(&s);
    ctl_publish(ctl, s.pp);
    if (rc == 0)
        rc = timed_passes(ev, &s, &c, warmup, batches, passes, wall_ns, ctl ? &ctl->aborted : NULL);
    ctl_publish(ctl, NULL);
    int trc = ev->teardown(&s);
    if (ctl) {
        ctl->partner_end = s.partner_end;
        ctl->partner_round_trips = s.partner_round_trips;
    }
    tlb_chase_free(&c);
    /* The partner's own error explains an event that was cancelled because of it. */
    return trc ? trc : rc;
}

/* ---- the control ---------------------------------------------------------------------------- */

ctxprobe_tlb_ctl *ctxprobe_tlb_ctl_new(void)
{
    struct ctxprobe_tlb_ctl *ctl = calloc(1, sizeof *ctl);
    if (!ctl)
        return NULL;
    pthread_mutex_init(&ctl->lock, NULL);
    ctl->partner_round_trips = -ENODATA;
    return ctl;
}

void ctxprobe_tlb_ctl_abort(ctxprobe_tlb_ctl *ctl)
{
    if (!ctl)
        return;
    pthread_mutex_lock(&ctl->lock);
    atomic_store(&ctl->aborted, 1);
    if (ctl->pp)
        ctxprobe_pingpong_abort(ctl->pp);
    pthread_mutex_unlock(&ctl->lock);
}

int32_t ctxprobe_tlb_ctl_partner_end(ctxprobe_tlb_ctl *ctl, int32_t *signal, int32_t *exit_code)
{
    if (!ctl || !signal || !exit_code)
        return -EINVAL;
    if (!ctl->partner_end.ended)
        return -ENODATA;
    *signal = ctl->partner_end.signal;
    *exit_code = ctl->partner_end.exit_code;
    return 0;
}

int64_t ctxprobe_tlb_ctl_round_trips(ctxprobe_tlb_ctl *ctl)
{
    return ctl ? ctl->partner_round_trips : -EINVAL;
}

void ctxprobe_tlb_ctl_free(ctxprobe_tlb_ctl *ctl)
{
    if (!ctl)
        return;
    pthread_mutex_destroy(&ctl->lock);
    free(ctl);
}
