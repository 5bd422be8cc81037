/* test_pingpong.c — pingpong.c driven the way the Java side drives it: the test creates the threads
 * with pthread_create, pins them by tid between wait_ready and go, joins, then reads results. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <linux/perf_event.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "ctxprobe.h"
#include "test.h"

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int start_threads(ctxprobe_pingpong *pp, pthread_t t[2])
{
    for (int i = 0; i < 2; i++)
        if (pthread_create(&t[i], NULL, ctxprobe_pingpong_main, ctxprobe_pingpong_side(pp, i)))
            return -1;
    return 0;
}

/* Joins with a deadline so a broken abort fails the test instead of hanging it. */
static int join_both(pthread_t t[2])
{
    int rc = 0;
    for (int i = 0; i < 2; i++) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += 10;
        rc |= pthread_timedjoin_np(t[i], NULL, &ts);
    }
    return rc;
}

static int first_allowed_cpu(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) != 0)
        return 0;
    for (int c = 0; c < CPU_SETSIZE; c++)
        if (CPU_ISSET(c, &set))
            return c;
    return 0;
}

/* A software context-switch counter on one thread (root or paranoid <= 1); -1 if unavailable. */
static int open_cs_counter(pid_t tid)
{
    struct perf_event_attr a;
    memset(&a, 0, sizeof a);
    a.size = sizeof a;
    a.type = PERF_TYPE_SOFTWARE;
    a.config = PERF_COUNT_SW_CONTEXT_SWITCHES;
    return (int)syscall(SYS_perf_event_open, &a, tid, -1, -1, PERF_FLAG_FD_CLOEXEC);
}

static void same_core(void)
{
    enum { WARM = 2, B = 15, OPS = 400 };
    const int64_t n = (int64_t)B * OPS;
    int cpu = first_allowed_cpu();
    ctxprobe_pingpong *pp = ctxprobe_pingpong_new(CTXPROBE_MECH_FUTEX, 0, WARM, B, OPS);
    CHECK(pp != NULL);
    if (!pp)
        return;
    pthread_t t[2];
    CHECK(start_threads(pp, t) == 0);
    CHECK(ctxprobe_pingpong_wait_ready(pp, 5000) == 0);

    int fds[2] = { -1, -1 };
    for (int s = 0; s < 2; s++) {
        pid_t tid = ctxprobe_pingpong_tid(pp, s);
        CHECK(tid > 0, "side %d tid %d", s, tid);
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(cpu, &set);
        CHECK(sched_setaffinity(tid, sizeof set, &set) == 0, "pin tid %d: %s", tid, strerror(errno));
        fds[s] = open_cs_counter(tid);
        if (fds[s] >= 0)
            CHECK(ctxprobe_pingpong_set_counter_fd(pp, s, 0, fds[s]) == 0);
    }
    ctxprobe_pingpong_go(pp);
    CHECK(ctxprobe_pingpong_set_counter_fd(pp, 0, 1, 3) == -EBUSY);
    CHECK(join_both(t) == 0);
    CHECK(ctxprobe_pingpong_error(pp) == 0, "error %d", ctxprobe_pingpong_error(pp));

    int64_t wall[B];
    CHECK(ctxprobe_pingpong_samples(pp, wall) == 0);
    int ok = 1;
    for (int i = 0; i < B; i++)
        ok &= wall[i] > 0;
    CHECK(ok, "a ping-pong sample <= 0");
    qsort(wall, B, sizeof wall[0], cmp_i64);
    double futex_ns = (double)wall[B / 2] / (2.0 * OPS);

    int64_t total = 0;
    for (int s = 0; s < 2; s++) {
        int64_t v = ctxprobe_pingpong_rusage_delta(pp, s, 0);
        int64_t iv = ctxprobe_pingpong_rusage_delta(pp, s, 1);
        CHECK(v >= 0 && iv >= 0, "side %d nvcsw %lld nivcsw %lld", s, (long long)v, (long long)iv);
        /* one CPU: the token can only pass if this side is switched out once per round trip */
        CHECK(v + iv >= n, "side %d: %lld switches < %lld round trips", s, (long long)(v + iv),
              (long long)n);
        total += v + iv;
        CHECK(ctxprobe_pingpong_cpu(pp, s, 0) == cpu, "side %d first cpu %d, pinned %d", s,
              ctxprobe_pingpong_cpu(pp, s, 0), cpu);
        CHECK(ctxprobe_pingpong_cpu(pp, s, 1) == cpu, "side %d last cpu %d, pinned %d", s,
              ctxprobe_pingpong_cpu(pp, s, 1), cpu);
        CHECK(ctxprobe_pingpong_counter_delta(pp, s, 2) == -1, "unset slot");
        /* schedstat over the side's window: a thread cannot run longer than the window lasted */
        int64_t window = ctxprobe_pingpong_sched_delta(pp, s, CTXPROBE_SCHED_WINDOW_NS);
        int64_t run = ctxprobe_pingpong_sched_delta(pp, s, CTXPROBE_SCHED_RUN_NS);
        int64_t wait = ctxprobe_pingpong_sched_delta(pp, s, CTXPROBE_SCHED_WAIT_NS);
        CHECK(window > 0, "side %d window %lld", s, (long long)window);
        if (access("/proc/thread-self/schedstat", R_OK) == 0)
            CHECK(run > 0 && wait >= 0 && run <= window + window / 10, "side %d run %lld wait %lld window %lld",
                  s, (long long)run, (long long)wait, (long long)window);
        else
            CHECK(run == -1 && wait == -1, "no schedstat: run %lld wait %lld", (long long)run, (long long)wait);
        if (fds[s] >= 0) {
            int64_t c = ctxprobe_pingpong_counter_delta(pp, s, 0);
            CHECK(c >= n, "side %d perf context-switches %lld < %lld", s, (long long)c, (long long)n);
            close(fds[s]);
        }
    }
    CHECK(total >= 2 * n, "same-core: %lld switches < 2 x %lld round trips", (long long)total,
          (long long)n);
    printf("thread.switch futex same-core cpu %d: %.1f ns/switch, %.3f switches per round trip "
           "(getrusage)%s\n", cpu, futex_ns, (double)total / (double)n,
           fds[0] >= 0 ? ", perf sw counter checked" : ", perf sw counter unavailable");

    /* ratio fact: a user-space switch does far less than a kernel thread switch */
    CHECK(test_asm_ns_per_switch > 0 && test_asm_ns_per_switch * 10 <= futex_ns,
          "asm %.1f ns vs futex same-core %.1f ns per switch", test_asm_ns_per_switch, futex_ns);
    printf("ratio: futex same-core / asm switch = %.0fx\n", futex_ns / test_asm_ns_per_switch);

    ctxprobe_pingpong_free(pp);
    CHECK(test_threads_named("ctxp-") == 0, "a ctxp-* thread is still alive after join");
}

static void abort_before_go(void)
{
    ctxprobe_pingpong *pp = ctxprobe_pingpong_new(CTXPROBE_MECH_FUTEX, 0, 0, 2, 10);
    CHECK(pp != NULL);
    if (!pp)
        return;
    pthread_t t[2];
    CHECK(start_threads(pp, t) == 0);
    CHECK(ctxprobe_pingpong_wait_ready(pp, 5000) == 0);
    ctxprobe_pingpong_abort(pp);
    CHECK(join_both(t) == 0, "join after abort");
    CHECK(ctxprobe_pingpong_error(pp) == -ECANCELED, "error %d", ctxprobe_pingpong_error(pp));
    int64_t w[2];
    CHECK(ctxprobe_pingpong_samples(pp, w) == -ENODATA);
    CHECK(ctxprobe_pingpong_rusage_delta(pp, 0, 0) == -1);
    CHECK(ctxprobe_pingpong_cpu(pp, 0, 0) == -ENODATA);
    ctxprobe_pingpong_free(pp);
    CHECK(test_threads_named("ctxp-") == 0, "a ctxp-* thread is still alive after abort + join");
}

static void abort_during_run(void)
{
    /* far more round trips than the test would ever wait for: abort must end it */
    ctxprobe_pingpong *pp = ctxprobe_pingpong_new(CTXPROBE_MECH_FUTEX, 0, 0, 1000, 1000000);
    CHECK(pp != NULL);
    if (!pp)
        return;
    pthread_t t[2];
    CHECK(start_threads(pp, t) == 0);
    CHECK(ctxprobe_pingpong_wait_ready(pp, 5000) == 0);
    ctxprobe_pingpong_go(pp);
    struct timespec pause = { 0, 20 * 1000 * 1000 };
    nanosleep(&pause, NULL);
    ctxprobe_pingpong_abort(pp);
    CHECK(join_both(t) == 0, "join after abort during the run");
    CHECK(ctxprobe_pingpong_error(pp) == -ECANCELED, "error %d", ctxprobe_pingpong_error(pp));
    CHECK(ctxprobe_pingpong_wait_ready(pp, 10) == -ECANCELED);
    ctxprobe_pingpong_free(pp);
}

static void bad_input(void)
{
    CHECK(ctxprobe_pingpong_new(0, 0, 0, 1, 1) == NULL);
    CHECK(ctxprobe_pingpong_new(CTXPROBE_MECH_FUTEX, 0, 0, 0, 1) == NULL);
    CHECK(ctxprobe_pingpong_new(CTXPROBE_MECH_FUTEX, 0, 0, 1, 0) == NULL);
    CHECK(ctxprobe_pingpong_new(CTXPROBE_MECH_FUTEX, 0, -1, 1, 1) == NULL);
    ctxprobe_pingpong *pp = ctxprobe_pingpong_new(CTXPROBE_MECH_FUTEX, 0, 0, 1, 1);
    CHECK(pp != NULL);
    if (!pp)
        return;
    CHECK(ctxprobe_pingpong_side(pp, 2) == NULL);
    CHECK(ctxprobe_pingpong_tid(pp, -1) == -EINVAL);
    CHECK(ctxprobe_pingpong_tid(pp, 0) == 0);
    CHECK(ctxprobe_pingpong_set_counter_fd(pp, 0, CTXPROBE_COUNTER_SLOTS, 3) == -EINVAL);
    CHECK(ctxprobe_pingpong_cpu(pp, 2, 0) == -EINVAL);
    CHECK(ctxprobe_pingpong_counter_delta(pp, 0, -1) == -1);
    CHECK(ctxprobe_pingpong_rusage_delta(pp, 1, 2) == -1);
    CHECK(ctxprobe_pingpong_sched_delta(pp, 1, 3) == -1);
    CHECK(ctxprobe_pingpong_sched_delta(pp, 2, CTXPROBE_SCHED_WINDOW_NS) == -1);
    CHECK(ctxprobe_pingpong_samples(pp, NULL) == -EINVAL);
    CHECK(ctxprobe_pingpong_wait_ready(pp, 20) == -ETIMEDOUT);   /* no threads were created */
    ctxprobe_pingpong_free(pp);
}

void test_pingpong(void)
{
    bad_input();
    abort_before_go();
    abort_during_run();
    same_core();
}
