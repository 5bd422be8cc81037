/*
 * sched_wakeup.c — sched.wakeup: how long a woken thread waits before it runs, in the manner of
 * cyclictest (a timer sleeper: stamp after clock_nanosleep(TIMER_ABSTIME) minus the expiry asked
 * for) and schbench (a futex sleeper: its stamp when it runs minus the waker's stamp just before
 * FUTEX_WAKE). The sleeper's CPU is idle, or busy with a hog: a SCHED_OTHER thread spinning there
 * for the whole run, which the woken sleeper must preempt (or wait behind). The sleeper runs under
 * SCHED_OTHER or SCHED_FIFO priority 1.
 *
 * Validation the caller reads from out[]: a wake-up served on the hog's CPU takes the CPU from the
 * hog, so the hog's involuntary switches are at least the wake-ups served; a futex wait that found
 * the word already changed did not sleep and is counted apart, never as a latency.
 */
#include "sched_gate.h"

#include <string.h>
#include <sys/prctl.h>

#include "ctxprobe/sched.h"

#define WK_WAIT_SLICE_NS   (100LL * 1000000)   /* a wait's timeout: abort and deadline checks */
#define WK_SLACK_NS        (5LL * 1000000000)  /* the run's deadline past wakeups * period    */

struct wk {
    int32_t source, sleeper_cpu, waker_cpu, hog, fifo, wakeups;
    int64_t period_ns, deadline_ns;
    int64_t *lat;
    const int32_t *abort;
    int32_t ready, go, stop, error;
    int32_t word;             /* futex: the latest sequence the waker signalled */
    int32_t armed;            /* the sequence the sleeper waits for next */
    int64_t t_wake;           /* the waker's stamp for `word` */
    int64_t served, not_slept;
    int64_t hog_sw[2], sleeper_sw[2];
    int64_t sleeper_cpu_end, hog_cpu_end;
    int64_t sleeper_run_ns, hog_run_ns, wall_ns;
};

static int64_t wk_thread_cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int wk_done(struct wk *w)
{
    return __atomic_load_n(&w->stop, __ATOMIC_ACQUIRE) || sg_aborted(w->abort) || sg_now_ns() > w->deadline_ns;
}

/* Setup done (err recorded), then wait for the gate: 1 to run, 0 to leave. */
static int wk_gate(struct wk *w, int err)
{
    if (err)
        __atomic_compare_exchange_n(&w->error, &(int32_t){0}, err, 0, __ATOMIC_RELAXED, __ATOMIC_RELAXED);
    sg_add_and_wake(&w->ready, 1);
    int32_t g;
    while ((g = __atomic_load_n(&w->go, __ATOMIC_ACQUIRE)) == 0)
        sg_futex_wait(&w->go, 0, WK_WAIT_SLICE_NS);
    return g > 0 && !err;
}

static void wk_sleep_until(int64_t t_ns)
{
    struct timespec ts = { t_ns / 1000000000, t_ns % 1000000000 };
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
        ;
}

/* One futex wake-up: wait until the waker signalled seq. 1 slept and woken, 0 found it already
 * signalled, -1 the run ended. */
static int wk_futex_wait_for(struct wk *w, int32_t seq)
{
    int slept = 0;
    __atomic_store_n(&w->armed, seq, __ATOMIC_RELEASE);
    for (;;) {
        int32_t cur = __atomic_load_n(&w->word, __ATOMIC_ACQUIRE);
        if (cur >= seq)
            return slept;
        if (sg_futex_wait(&w->word, cur, WK_WAIT_SLICE_NS) == 0)
            slept = 1;
        if (wk_done(w))
            return -1;
    }
}

static void wk_sleeper_loop(struct wk *w)
{
    int64_t next = sg_now_ns() + w->period_ns;
    for (int32_t i = 0; i < w->wakeups; i++) {
        int64_t t1, lat;
        if (w->source == CTXPROBE_WAKEUP_FUTEX) {
            int r = wk_futex_wait_for(w, i + 1);
            t1 = sg_now_ns();
            if (r < 0)
                break;
            if (r == 0) {
                w->not_slept++;
                continue;
            }
            lat = t1 - __atomic_load_n(&w->t_wake, __ATOMIC_ACQUIRE);
        } else {
            if (sg_now_ns() >= next) {        /* already late: this one would not sleep */
                w->not_slept++;
                next += w->period_ns;
                continue;
            }
            wk_sleep_until(next);
            t1 = sg_now_ns();
            lat = t1 - next;
            next += w->period_ns;
            if (wk_done(w))
                break;
        }
        w->lat[w->served++] = lat;
    }
}

static void *wk_sleeper(void *p)
{
    struct wk *w = p;
    int err = sg_pin(w->sleeper_cpu);
    if (!err && w->fifo)
        err = sg_set_policy(SCHED_FIFO, 0);
    if (!err && prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0) != 0)
        err = -errno;
    if (wk_gate(w, err)) {
        int64_t before[2], after[2];
        sg_switches(before);
        int64_t cpu0 = wk_thread_cpu_ns(), wall0 = sg_now_ns();
        wk_sleeper_loop(w);
        w->wall_ns = sg_now_ns() - wall0;
        w->sleeper_run_ns = wk_thread_cpu_ns() - cpu0;
        sg_switches(after);
        w->sleeper_sw[0] = after[0] - before[0];
        w->sleeper_sw[1] = after[1] - before[1];
        w->sleeper_cpu_end = sched_getcpu();
    }
    return NULL;
}

static void *wk_waker(void *p)
{
    struct wk *w = p;
    if (!wk_gate(w, sg_pin(w->waker_cpu)))
        return NULL;
    int64_t next = sg_now_ns() + w->period_ns;
    for (int32_t seq = 1; seq <= w->wakeups && !wk_done(w); seq++) {
        wk_sleep_until(next);
        next += w->period_ns;
        /* The sleeper re-arms right after its previous wake-up, long before a period has passed;
         * waiting here only matters when the sleeper was starved of its CPU. */
        while (__atomic_load_n(&w->armed, __ATOMIC_ACQUIRE) < seq && !wk_done(w))
            wk_sleep_until(sg_now_ns() + 50000);
        __atomic_store_n(&w->t_wake, sg_now_ns(), __ATOMIC_RELEASE);
        __atomic_store_n(&w->word, seq, __ATOMIC_RELEASE);
        syscall(SYS_futex, &w->word, FUTEX_WAKE, 1, NULL, NULL, 0);
    }
    return NULL;
}

static void *wk_hog(void *p)
{
    struct wk *w = p;
    if (!wk_gate(w, sg_pin(w->sleeper_cpu)))
        return NULL;
    int64_t before[2], after[2];
    sg_switches(before);
    int64_t cpu0 = wk_thread_cpu_ns();
    for (uint32_t k = 0;; k++) {
        __asm__ volatile("" ::: "memory");
        if ((k & 1023) == 0 && wk_done(w))
            break;
    }
    w->hog_run_ns = wk_thread_cpu_ns() - cpu0;
    sg_switches(after);
    w->hog_sw[0] = after[0] - before[0];
    w->hog_sw[1] = after[1] - before[1];
    w->hog_cpu_end = sched_getcpu();
    return NULL;
}

/* Starts the run's threads (sleeper first: it is the one the others are joined after). */
static int wk_run(struct wk *w, int nthreads)
{
    void *(*fns[3])(void *) = { wk_sleeper, wk_hog, wk_waker };
    const char *names[3] = { "ctxp-wk-sleeper", "ctxp-wk-hog", "ctxp-wk-waker" };
    int want[3] = { 1, w->hog, w->source == CTXPROBE_WAKEUP_FUTEX };
    pthread_t t[3];
    int started[3] = { 0, 0, 0 }, rc = 0;
    for (int i = 0; i < 3 && !rc; i++) {
        if (!want[i])
            continue;
        rc = sg_thread_start(&t[i], fns[i], w, names[i]);
        started[i] = rc == 0;
    }
    if (!rc)
        rc = sg_wait_at_least(&w->ready, nthreads, sg_now_ns() + WK_SLACK_NS);
    if (!rc && w->error)
        rc = w->error;
    sg_store_and_wake(&w->go, rc ? -1 : 1);
    if (started[0])
        pthread_join(t[0], NULL);
    __atomic_store_n(&w->stop, 1, __ATOMIC_RELEASE);
    sg_futex_wake_all(&w->word);
    for (int i = 1; i < 3; i++)
        if (started[i])
            pthread_join(t[i], NULL);
    return rc;
}

int32_t ctxprobe_sched_wakeup_run(int32_t source, int32_t sleeper_cpu, int32_t waker_cpu, int32_t hog,
                                  int32_t fifo, int32_t wakeups, int64_t period_ns, int64_t *latency_ns,
                                  int64_t *out, const int32_t *abort)
{
    int futex = source == CTXPROBE_WAKEUP_FUTEX;
    if ((!futex && source != CTXPROBE_WAKEUP_TIMER) || sleeper_cpu < 0 || sleeper_cpu >= CPU_SETSIZE
        || (futex && (waker_cpu < 0 || waker_cpu >= CPU_SETSIZE)) || wakeups <= 0
        || wakeups > CTXPROBE_WAKEUP_MAX || period_ns <= 0 || period_ns > CTXPROBE_WAKEUP_MAX_NS / wakeups
        || !latency_ns || !out)
        return -EINVAL;
    struct wk w;
    memset(&w, 0, sizeof w);
    w.source = source;
    w.sleeper_cpu = sleeper_cpu;
    w.waker_cpu = waker_cpu;
    w.hog = hog != 0;
    w.fifo = fifo != 0;
    w.wakeups = wakeups;
    w.period_ns = period_ns;
    w.lat = latency_ns;
    w.abort = abort;
    w.sleeper_cpu_end = w.hog_cpu_end = -1;
    w.hog_sw[0] = w.hog_sw[1] = -1;
    w.hog_run_ns = -1;
    w.deadline_ns = sg_now_ns() + (int64_t)wakeups * period_ns + WK_SLACK_NS;
    int rc = wk_run(&w, 1 + w.hog + futex);
    if (rc)
        return rc;
    out[CTXPROBE_WAKEUP_OUT_SERVED] = w.served;
    out[CTXPROBE_WAKEUP_OUT_NOT_SLEPT] = w.not_slept;
    out[CTXPROBE_WAKEUP_OUT_HOG_NVCSW] = w.hog_sw[0];
    out[CTXPROBE_WAKEUP_OUT_HOG_NIVCSW] = w.hog_sw[1];
    out[CTXPROBE_WAKEUP_OUT_SLEEPER_NVCSW] = w.sleeper_sw[0];
    out[CTXPROBE_WAKEUP_OUT_SLEEPER_NIVCSW] = w.sleeper_sw[1];
    out[CTXPROBE_WAKEUP_OUT_SLEEPER_CPU] = w.sleeper_cpu_end;
    out[CTXPROBE_WAKEUP_OUT_HOG_CPU] = w.hog_cpu_end;
    out[CTXPROBE_WAKEUP_OUT_SLEEPER_RUN_NS] = w.sleeper_run_ns;
    out[CTXPROBE_WAKEUP_OUT_HOG_RUN_NS] = w.hog_run_ns;
    out[CTXPROBE_WAKEUP_OUT_WALL_NS] = w.wall_ns;
    return 0;
}
