/*
 * preempt_sched.c — the signal-driven preemptive fiber scheduler (see preempt_sched.h for the
 * design and the rules it imposes on fiber code).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "preempt_sched.h"

#ifndef sigev_notify_thread_id
#define sigev_notify_thread_id _sigev_un._tid
#endif

/* The scheduler the handler serves: the signal's disposition is process-wide, so one at a time. */
static struct ps_sched *ps_active;

static void ps_handler(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    struct ps_sched *s = __atomic_load_n(&ps_active, __ATOMIC_RELAXED);
    /* Only our own timer's signal carries our pointer: anything else with this number is ignored
     * (it may not even have arrived on the fibers' thread). */
    if (!s || si->si_code != SI_TIMER || si->si_value.sival_ptr != s)
        return;
    int saved_errno = errno;
    s->signals++;
    int from = s->cur, to = (from + 1) % PS_FIBERS;
    s->f[from].preempted++;
    if (s->on_preempt)
        s->on_preempt(s, from, uc, s->arg);
    s->cur = to;
    s->switches++;
    ctxprobe_fiber_jump(&s->f[from].sp, s->f[to].sp);
    /* Resumed by a later preemption of another fiber: return, and sigreturn restores this fiber's
     * whole state from the frame below. */
    errno = saved_errno;
}

static void ps_signal_mask(int signo, int how)
{
    sigset_t m;
    sigemptyset(&m);
    sigaddset(&m, signo);
    pthread_sigmask(how, &m, NULL);
}

static void ps_entry(void *p)
{
    struct ps_start *st = p;
    struct ps_sched *s = st->s;
    if (s->signo)
        ps_signal_mask(s->signo, SIG_UNBLOCK);   /* entered from the handler: it is blocked */
    s->body(s, st->index, s->arg);
    ps_finish(s);
}

int ps_init(struct ps_sched *s, ps_body body, ps_on_preempt on_preempt, void *arg)
{
    memset(s, 0, sizeof *s);
    s->body = body;
    s->on_preempt = on_preempt;
    s->arg = arg;
    for (int i = 0; i < PS_FIBERS; i++) {
        int rc = ctxp_stack_alloc(&s->f[i].stack, PS_STACK_SIZE);
        if (rc) {
            ps_destroy(s);
            return rc;
        }
        s->start[i].s = s;
        s->start[i].index = i;
        s->f[i].sp = ctxprobe_fiber_make(s->f[i].stack.hi, ps_entry, &s->start[i]);
    }
    return 0;
}

/* A real-time signal nobody handles (SIG_DFL), from the top down; our handler installed. */
static int ps_install(struct ps_sched *s)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = ps_handler;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;   /* no SA_ONSTACK, no SA_NODEFER: see the header */
    sigemptyset(&sa.sa_mask);
    for (int sig = SIGRTMAX - 1; sig >= SIGRTMIN + 2; sig--) {
        struct sigaction old;
        if (sigaction(sig, NULL, &old) != 0 || (old.sa_flags & SA_SIGINFO) || old.sa_handler != SIG_DFL)
            continue;
        if (sigaction(sig, &sa, &s->old_action) != 0)
            return -errno;
        s->signo = sig;
        return 0;
    }
    return -EBUSY;
}

static int ps_timer_start(struct ps_sched *s, int64_t interval_ns)
{
    struct sigevent sev;
    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = SIGEV_THREAD_ID;
    sev.sigev_signo = s->signo;
    sev.sigev_value.sival_ptr = s;
    sev.sigev_notify_thread_id = (pid_t)syscall(SYS_gettid);
    if (timer_create(CLOCK_MONOTONIC, &sev, &s->timer) != 0)
        return -errno;
    s->timer_made = 1;
    struct itimerspec its = {
        .it_interval = { interval_ns / 1000000000, interval_ns % 1000000000 },
        .it_value = { interval_ns / 1000000000, interval_ns % 1000000000 },
    };
    return timer_settime(s->timer, 0, &its, NULL) == 0 ? 0 : -errno;
}

/* Timer gone, every pending instance taken, the old disposition and mask back. */
static void ps_teardown(struct ps_sched *s)
{
    if (s->timer_made) {
        timer_delete(s->timer);
        s->timer_made = 0;
    }
    if (s->signo) {
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, s->signo);
        struct timespec zero = { 0, 0 };
        while (sigtimedwait(&set, NULL, &zero) == s->signo)
            ;
        sigaction(s->signo, &s->old_action, NULL);
    }
    pthread_sigmask(SIG_SETMASK, &s->old_mask, NULL);
}

int ps_run(struct ps_sched *s, int64_t interval_ns)
{
    struct ps_sched *none = NULL;
    if (!__atomic_compare_exchange_n(&ps_active, &none, s, 0, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
        return -EBUSY;
    int rc = 0;
    pthread_sigmask(SIG_SETMASK, NULL, &s->old_mask);
    if (interval_ns > 0) {
        rc = ps_install(s);
        if (!rc) {
            ps_signal_mask(s->signo, SIG_BLOCK);   /* the caller's context never takes it */
            rc = ps_timer_start(s, interval_ns);
        }
    }
    if (!rc) {
        s->cur = 0;
        ctxprobe_fiber_jump(&s->main_sp, s->f[0].sp);
    }
    ps_teardown(s);
    __atomic_store_n(&ps_active, NULL, __ATOMIC_RELEASE);
    return rc;
}

void ps_yield(struct ps_sched *s)
{
    int from = s->cur, to = (from + 1) % PS_FIBERS;
    s->cur = to;
    s->switches++;
    ctxprobe_fiber_jump(&s->f[from].sp, s->f[to].sp);
}

void ps_finish(struct ps_sched *s)
{
    if (s->signo)
        ps_signal_mask(s->signo, SIG_BLOCK);
    s->stop = 1;
    void *abandoned;
    ctxprobe_fiber_jump(&abandoned, s->main_sp);
    __builtin_unreachable();
}

void ps_destroy(struct ps_sched *s)
{
    for (int i = 0; i < PS_FIBERS; i++)
        ctxp_stack_free(&s->f[i].stack);
}
