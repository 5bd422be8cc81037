/* test_mech.c — every ping-pong mechanism in thread and process mode, fiber migration, abort,
 * the solo runs and bad flags. Driven as Java drives it: side 0 is a pthread, side 1 a pthread or
 * a child from ctxprobe_pingpong_fork; pinning (and SCHED_FIFO for yield) between wait_ready and go.
 * Facts only, no timings: samples > 0, pinned CPUs reported, switches >= 2 x round trips where each
 * handoff must switch, no switch where nothing may switch, nothing left behind. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <linux/perf_event.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ctxprobe.h"
#include "pp_internal.h"   /* test-only: fiber_runs */
#include "test.h"

static const struct { int32_t id; const char *name; } mechs[] = {
    { CTXPROBE_MECH_FUTEX, "futex" }, { CTXPROBE_MECH_PIPE, "pipe" },
    { CTXPROBE_MECH_EVENTFD, "eventfd" }, { CTXPROBE_MECH_YIELD, "yield" },
    { CTXPROBE_MECH_SPIN, "spin" },
};
#define NMECH ((int)(sizeof mechs / sizeof mechs[0]))

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int open_cs_counter(pid_t tid)
{
    struct perf_event_attr a;
    memset(&a, 0, sizeof a);
    a.size = sizeof a;
    a.type = PERF_TYPE_SOFTWARE;
    a.config = PERF_COUNT_SW_CONTEXT_SWITCHES;
    return (int)syscall(SYS_perf_event_open, &a, tid, -1, -1, PERF_FLAG_FD_CLOEXEC);
}

struct pp_run {
    /* in */
    int32_t mech, flags;
    int64_t warm, batches, ops;
    int cpu[2];            /* -1: not pinned */
    int fifo;              /* SCHED_FIFO 1 on both sides before go */
    int abort_ms;          /* > 0: abort after this long */
    int perf;              /* open a context-switch counter on each side */
    /* out */
    int32_t error, reap;
    int fifo_errno;        /* 0, or the errno sched_setscheduler gave */
    double ns_per_switch;  /* median batch / (2 ops) */
    int64_t switches;      /* rusage nvcsw + nivcsw, both sides; -1 if missing */
    int64_t perf_cs[2];    /* -1 if no counter */
    int32_t cpu_seen[2][2];
    int64_t fiber_runs[2];
    int samples_ok;
};

/* Runs one ping-pong the way the Java side does and checks the invariants every run must keep:
 * the threads join (the child is reaped), no fd and no child is left behind. Longer than 80 lines
 * on purpose: the whole sequence (create, pin, counters, go, join, read) reads top to bottom as
 * the Java caller runs it. */
static void pp_run(const char *what, struct pp_run *r)
{
    int fds_before = test_open_fds();
    const int process = (r->flags & CTXPROBE_PP_PROCESS) != 0;
    r->switches = -1;
    r->perf_cs[0] = r->perf_cs[1] = -1;
    r->reap = 0;
    ctxprobe_pingpong *pp = ctxprobe_pingpong_new(r->mech, r->flags, r->warm, r->batches, r->ops);
    CHECK(pp != NULL, "%s: new2", what);
    if (!pp)
        return;
    pthread_t t[2];
    int nthreads = process ? 1 : 2;
    for (int i = 0; i < nthreads; i++)
        CHECK(pthread_create(&t[i], NULL, ctxprobe_pingpong_main, ctxprobe_pingpong_side(pp, i)) == 0);
    if (process) {
        int32_t pid = ctxprobe_pingpong_fork(pp, 1);
        CHECK(pid > 0, "%s: fork %d", what, pid);
        CHECK(ctxprobe_pingpong_fork(pp, 1) == -EBUSY, "%s: second fork of side 1", what);
    }
    CHECK(ctxprobe_pingpong_wait_ready(pp, 5000) == 0, "%s: wait_ready", what);

    int fds[2] = { -1, -1 };
    r->fifo_errno = 0;
    for (int s = 0; s < 2; s++) {
        pid_t tid = ctxprobe_pingpong_tid(pp, s);
        CHECK(tid > 0, "%s: side %d tid %d", what, s, tid);
        if (r->cpu[s] >= 0) {
            cpu_set_t set;
            CPU_ZERO(&set);
            CPU_SET(r->cpu[s], &set);
            CHECK(sched_setaffinity(tid, sizeof set, &set) == 0, "%s: pin %d", what, tid);
        }
        if (r->fifo) {
            struct sched_param sp = { .sched_priority = 1 };
            if (sched_setscheduler(tid, SCHED_FIFO, &sp) != 0 && r->fifo_errno == 0)
                r->fifo_errno = errno;
        }
        if (r->perf && (fds[s] = open_cs_counter(tid)) >= 0)
            CHECK(ctxprobe_pingpong_set_counter_fd(pp, s, 0, fds[s]) == 0);
    }
    ctxprobe_pingpong_go(pp);
    if (r->abort_ms > 0) {
        struct timespec ts = { 0, r->abort_ms * 1000000L };
        nanosleep(&ts, NULL);
        ctxprobe_pingpong_abort(pp);
    }
    for (int i = 0; i < nthreads; i++) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += 15;
        CHECK(pthread_timedjoin_np(t[i], NULL, &ts) == 0, "%s: join side %d", what, i);
    }
    if (process) {
        r->reap = ctxprobe_pingpong_reap(pp, 1, 10000);
        CHECK(ctxprobe_pingpong_reap(pp, 1, 0) == -ECHILD, "%s: reaped twice", what);
    }
    r->error = ctxprobe_pingpong_error(pp);

    int64_t *wall = calloc((size_t)r->batches, sizeof *wall);
    r->samples_ok = wall && ctxprobe_pingpong_samples(pp, wall) == 0;
    if (r->samples_ok) {
        for (int64_t i = 0; i < r->batches; i++)
            r->samples_ok &= wall[i] > 0;
        qsort(wall, (size_t)r->batches, sizeof *wall, cmp_i64);
        r->ns_per_switch = (double)wall[r->batches / 2] / (2.0 * (double)r->ops);
    }
    free(wall);
    int64_t total = 0;
    for (int s = 0; s < 2; s++) {
        int64_t v = ctxprobe_pingpong_rusage_delta(pp, s, 0), iv = ctxprobe_pingpong_rusage_delta(pp, s, 1);
        total = (total < 0 || v < 0 || iv < 0) ? -1 : total + v + iv;
        r->perf_cs[s] = ctxprobe_pingpong_counter_delta(pp, s, 0);
        r->cpu_seen[s][0] = ctxprobe_pingpong_cpu(pp, s, 0);
        r->cpu_seen[s][1] = ctxprobe_pingpong_cpu(pp, s, 1);
        r->fiber_runs[s] = pp->side[s].fiber_runs;
        if (fds[s] >= 0)
            close(fds[s]);
    }
    r->switches = total;
    ctxprobe_pingpong_free(pp);
    CHECK(test_open_fds() == fds_before, "%s: fds %d -> %d", what, fds_before, test_open_fds());
    if (process)
        CHECK(test_no_child_left(), "%s: a child is left", what);
}

/* Same CPU, every mechanism, thread and process mode. */
static void same_cpu(int cpu)
{
    for (int p = 0; p < 2; p++) {
        for (int i = 0; i < NMECH; i++) {
            const int spin = mechs[i].id == CTXPROBE_MECH_SPIN;
            const int yield = mechs[i].id == CTXPROBE_MECH_YIELD;
            /* spin on one CPU hands over only when the scheduler preempts the spinner: few trips */
            struct pp_run r = { .mech = mechs[i].id, .flags = p ? CTXPROBE_PP_PROCESS : 0,
                                .warm = spin ? 0 : 2, .batches = spin ? 3 : 9,
                                .ops = spin ? 3 : 300, .cpu = { cpu, cpu }, .fifo = yield,
                                .perf = !spin };
            char what[64];
            snprintf(what, sizeof what, "%s %s same-cpu", mechs[i].name, p ? "process" : "thread");
            pp_run(what, &r);
            const int64_t n = r.batches * r.ops;
            CHECK(r.error == 0, "%s: error %d", what, r.error);
            CHECK(r.reap == 0, "%s: reap %d", what, r.reap);
            CHECK(r.samples_ok, "%s: samples", what);
            for (int s = 0; s < 2; s++)
                CHECK(r.cpu_seen[s][0] == cpu && r.cpu_seen[s][1] == cpu,
                      "%s: side %d on cpus %d,%d, pinned %d", what, s, r.cpu_seen[s][0],
                      r.cpu_seen[s][1], cpu);
            CHECK(r.switches >= 0, "%s: rusage", what);
            int must_switch = !spin && !(yield && r.fifo_errno != 0);
            if (must_switch) {
                CHECK(r.switches >= 2 * n, "%s: %lld switches < 2 x %lld round trips", what,
                      (long long)r.switches, (long long)n);
                for (int s = 0; s < 2; s++)
                    if (r.perf_cs[s] >= 0)
                        CHECK(r.perf_cs[s] >= n, "%s: side %d perf cs %lld < %lld", what, s,
                              (long long)r.perf_cs[s], (long long)n);
            }
            printf("pingpong %-7s %-7s same-cpu %d: %9.1f ns/switch, %.3f switches per round trip"
                   "%s%s\n", mechs[i].name, p ? "process" : "thread", cpu, r.ns_per_switch,
                   (double)r.switches / (double)n,
                   r.perf_cs[0] >= 0 && r.perf_cs[1] >= 0 ? ", perf counters checked" : "",
                   yield ? (r.fifo_errno ? ", SCHED_FIFO refused: only checked that it runs"
                                         : ", SCHED_FIFO") : "");
        }
    }
}

static void cross_cpu(const int cpu[2])
{
    struct pp_run r = { .mech = CTXPROBE_MECH_SPIN, .warm = 1, .batches = 3, .ops = 20000,
                        .cpu = { cpu[0], cpu[1] } };
    pp_run("spin thread cross-cpu", &r);
    int64_t n = r.batches * r.ops;
    CHECK(r.error == 0 && r.samples_ok, "spin cross-cpu: error %d", r.error);
    CHECK(r.switches >= 0 && (double)r.switches / (double)n < 0.01,
          "spin cross-cpu: %lld switches over %lld round trips", (long long)r.switches, (long long)n);
    for (int s = 0; s < 2; s++)
        CHECK(r.cpu_seen[s][0] == cpu[s] && r.cpu_seen[s][1] == cpu[s], "spin cross-cpu side %d", s);
    printf("pingpong spin    thread  cross-cpu %d,%d: %.1f ns per handoff (%.1f ns round trip), "
           "%.4f switches per round trip\n", cpu[0], cpu[1], r.ns_per_switch, 2 * r.ns_per_switch,
           (double)r.switches / (double)n);

    struct pp_run f = { .mech = CTXPROBE_MECH_SPIN, .flags = CTXPROBE_PP_FIBER, .warm = 1,
                        .batches = 3, .ops = 20000, .cpu = { cpu[0], cpu[1] } };
    pp_run("spin+fiber thread cross-cpu", &f);
    CHECK(f.error == 0 && f.samples_ok, "fiber: error %d", f.error);
    /* the fiber ran once per token hold on each side: every round trip plus the tail */
    const int64_t holds = (f.warm + f.batches) * f.ops + 1;
    for (int s = 0; s < 2; s++) {
        CHECK(f.fiber_runs[s] == holds, "fiber ran %lld times for side %d, want %lld",
              (long long)f.fiber_runs[s], s, (long long)holds);
        CHECK(f.cpu_seen[s][0] == cpu[s] && f.cpu_seen[s][1] == cpu[s], "fiber side %d cpu", s);
    }
    printf("pingpong spin+fiber thread cross-cpu %d,%d: %.1f ns per handoff (%.1f ns round trip, "
           "fiber migrated %lld times)\n", cpu[0], cpu[1], f.ns_per_switch, 2 * f.ns_per_switch,
           (long long)(f.fiber_runs[0] + f.fiber_runs[1]));
}

static void abort_mid_run(void)
{
    static const struct { int32_t mech; int32_t flags; } cases[] = {
        { CTXPROBE_MECH_PIPE, 0 }, { CTXPROBE_MECH_EVENTFD, 0 }, { CTXPROBE_MECH_YIELD, 0 },
        { CTXPROBE_MECH_SPIN, 0 }, { CTXPROBE_MECH_SPIN, CTXPROBE_PP_FIBER },
        { CTXPROBE_MECH_FUTEX, CTXPROBE_PP_PROCESS }, { CTXPROBE_MECH_PIPE, CTXPROBE_PP_PROCESS },
        { CTXPROBE_MECH_EVENTFD, CTXPROBE_PP_PROCESS }, { CTXPROBE_MECH_YIELD, CTXPROBE_PP_PROCESS },
        { CTXPROBE_MECH_SPIN, CTXPROBE_PP_PROCESS },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct pp_run r = { .mech = cases[i].mech, .flags = cases[i].flags, .batches = 1000,
                            .ops = 1000000, .cpu = { -1, -1 }, .abort_ms = 20 };
        char what[64];
        snprintf(what, sizeof what, "abort mech %d flags %d", r.mech, r.flags);
        pp_run(what, &r);
        CHECK(r.error == -ECANCELED, "%s: error %d", what, r.error);
        CHECK(r.reap == 0, "%s: reap %d", what, r.reap);
        CHECK(!r.samples_ok, "%s: samples after abort", what);
    }
}

static void solo(void)
{
    enum { B = 5 };
    int fds_before = test_open_fds();
    for (int i = 0; i < NMECH; i++) {
        const int64_t ops = 2000;
        int64_t wall[B] = {0}, cpu[B] = {0};
        int32_t rc = ctxprobe_mechanism_solo_run(mechs[i].id, 1, B, ops, wall, cpu);
        CHECK(rc == 0, "solo %s: %d", mechs[i].name, rc);
        int ok = 1;
        for (int b = 0; b < B; b++)
            ok &= wall[b] > 0 && cpu[b] > 0;
        CHECK(ok, "solo %s: a sample <= 0", mechs[i].name);
        CHECK(ctxprobe_mechanism_solo_run(mechs[i].id, 0, 2, 10, wall, NULL) == 0, "no cpu_ns");
        qsort(wall, B, sizeof wall[0], cmp_i64);
        printf("solo %-7s %8.1f ns/op (median of %d batches x %lld)\n", mechs[i].name,
               (double)wall[B / 2] / (double)ops, B, (long long)ops);
    }
    int64_t w[2];
    CHECK(ctxprobe_mechanism_solo_run(0, 0, 2, 10, w, NULL) == -EINVAL);
    CHECK(ctxprobe_mechanism_solo_run(99, 0, 2, 10, w, NULL) == -EINVAL);
    CHECK(ctxprobe_mechanism_solo_run(CTXPROBE_MECH_PIPE, 0, 0, 10, w, NULL) == -EINVAL);
    CHECK(ctxprobe_mechanism_solo_run(CTXPROBE_MECH_PIPE, 0, 2, 10, NULL, NULL) == -EINVAL);
    CHECK(test_open_fds() == fds_before, "solo: fds %d -> %d", fds_before, test_open_fds());
}

static void bad_flags(void)
{
    CHECK(ctxprobe_pingpong_new(CTXPROBE_MECH_FUTEX, CTXPROBE_PP_FIBER, 0, 1, 1) == NULL);
    CHECK(ctxprobe_pingpong_new(CTXPROBE_MECH_PIPE, CTXPROBE_PP_FIBER, 0, 1, 1) == NULL);
    CHECK(ctxprobe_pingpong_new(CTXPROBE_MECH_SPIN, CTXPROBE_PP_FIBER | CTXPROBE_PP_PROCESS,
                                 0, 1, 1) == NULL);
    CHECK(ctxprobe_pingpong_new(CTXPROBE_MECH_FUTEX, 4, 0, 1, 1) == NULL);
    CHECK(ctxprobe_pingpong_new(CTXPROBE_MECH_FUTEX, -1, 0, 1, 1) == NULL);
    CHECK(ctxprobe_pingpong_new(99, 0, 0, 1, 1) == NULL);
    ctxprobe_pingpong *pp = ctxprobe_pingpong_new(CTXPROBE_MECH_PIPE, 0, 0, 1, 1);
    CHECK(pp != NULL);
    if (pp) {
        CHECK(ctxprobe_pingpong_fork(pp, 1) == -EINVAL, "fork without PP_PROCESS");
        CHECK(ctxprobe_pingpong_reap(pp, 1, 10) == -ECHILD);
        ctxprobe_pingpong_free(pp);
    }
    pp = ctxprobe_pingpong_new(CTXPROBE_MECH_FUTEX, CTXPROBE_PP_PROCESS, 0, 1, 1);
    CHECK(pp != NULL);
    if (pp) {
        CHECK(ctxprobe_pingpong_fork(pp, 2) == -EINVAL);
        CHECK(ctxprobe_pingpong_fork(NULL, 1) == -EINVAL);
        CHECK(ctxprobe_pingpong_reap(pp, 0, 10) == -ECHILD);
        CHECK(ctxprobe_pingpong_reap(pp, 1, -1) == -EINVAL);
        ctxprobe_pingpong_free(pp);
    }
}

/* A long process-mode futex run, ready: side 0 a thread (*t), side 1 a child (*pid). */
static ctxprobe_pingpong *long_process_run(pthread_t *t, int32_t *pid)
{
    ctxprobe_pingpong *pp = ctxprobe_pingpong_new(CTXPROBE_MECH_FUTEX, CTXPROBE_PP_PROCESS, 0,
                                                   1000, 1000000);
    CHECK(pp != NULL);
    if (!pp)
        return NULL;
    CHECK(pthread_create(t, NULL, ctxprobe_pingpong_main, ctxprobe_pingpong_side(pp, 0)) == 0);
    *pid = ctxprobe_pingpong_fork(pp, 1);
    CHECK(*pid > 0);
    CHECK(ctxprobe_pingpong_wait_ready(pp, 5000) == 0);
    return pp;
}

/* A child that dies: reap reports -EPIPE, records it, and releases the side still waiting. */
static void child_killed(void)
{
    pthread_t t;
    int32_t pid;
    ctxprobe_pingpong *pp = long_process_run(&t, &pid);
    if (!pp)
        return;
    CHECK(ctxprobe_pingpong_tid(pp, 1) == pid, "child tid %d pid %d", ctxprobe_pingpong_tid(pp, 1),
          pid);
    ctxprobe_pingpong_go(pp);
    kill(pid, SIGKILL);
    CHECK(ctxprobe_pingpong_reap(pp, 1, 5000) == -EPIPE);
    CHECK(ctxprobe_pingpong_error(pp) == -EPIPE, "error %d", ctxprobe_pingpong_error(pp));
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += 10;
    CHECK(pthread_timedjoin_np(t, NULL, &ts) == 0, "side 0 released after the child died");
    ctxprobe_pingpong_free(pp);
    CHECK(test_no_child_left());
}

/* The partner watch: a child killed mid-run releases side 0 at once (well before any deadline,
 * with nobody reaping), and the object tells how it ended and after how many round trips. */
static void partner_watch(void)
{
    pthread_t t;
    int32_t pid;
    ctxprobe_pingpong *pp = long_process_run(&t, &pid);
    if (!pp)
        return;
    int32_t sig = -1, code = -2;
    CHECK(ctxprobe_pingpong_child_end(pp, 1, &sig, &code) == -ENODATA, "child still running");
    ctxprobe_pingpong_go(pp);
    for (int i = 0; i < 500 && ctxprobe_pingpong_round_trips(pp, 1) == 0; i++)
        usleep(1000);
    kill(pid, SIGKILL);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += 1;                       /* "at once": far below any probe deadline */
    CHECK(pthread_timedjoin_np(t, NULL, &ts) == 0, "side 0 released within 1 s, before any reap");
    CHECK(ctxprobe_pingpong_error(pp) == -EPIPE, "error %d", ctxprobe_pingpong_error(pp));
    CHECK(ctxprobe_pingpong_child_end(pp, 1, &sig, &code) == 0 && sig == SIGKILL && code == -1,
          "child end: signal %d, exit code %d", sig, code);
    int64_t n = ctxprobe_pingpong_round_trips(pp, 1);
    CHECK(n > 0, "partner killed by signal %d after %lld round trips", sig, (long long)n);
    CHECK(ctxprobe_pingpong_round_trips(pp, 2) == -EINVAL);
    CHECK(ctxprobe_pingpong_child_end(pp, 0, &sig, &code) == -ENODATA, "side 0 was never forked");
    CHECK(ctxprobe_pingpong_reap(pp, 1, 5000) == -EPIPE);
    ctxprobe_pingpong_free(pp);
    CHECK(test_no_child_left());
}

void test_mech(void)
{
    int cpus[2];
    int n = test_allowed_cpus(cpus);
    bad_flags();
    solo();
    same_cpu(n > 0 ? cpus[0] : 0);
    if (n >= 2)
        cross_cpu(cpus);
    else
        printf("pingpong cross-cpu skipped: this process may run on only one CPU\n");
    abort_mid_run();
    child_killed();
    partner_watch();
}
