/* test_sched.c — sched_slice.c, sched_wakeup.c, fiber_preempt.c, fiber_preempt_regs.c: turns
 * found by interleaving two timelines and matched by the kernel's involuntary switches, wake-ups
 * served and the hog preempted for each, preemptive fibers switched by the timer signal, a
 * preempted fiber's whole register file intact (and a corrupted one caught), and nothing left
 * behind: threads, children, fds, the signal's disposition. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ctxprobe.h"
#include "test.h"

#define SLICE_NS     (300LL * 1000000)
#define SLICE_GAP_NS 5000
#define MAX_RUNS     65536

/* Turns of either side: maximal stretches of one side's runs between the other side's runs,
 * inside the window where both recorded (the rule of the Java side's Timelines). A gap between two
 * runs of the same side is "foreign": an interrupt, a steal, or a third task on the CPU; those of
 * at least 50 us (*shared) are taken as the CPU shared with a third task. */
static int count_turns(const int64_t *a, int64_t na, const int64_t *b, int64_t nb, int *foreign, int *shared)
{
    int64_t lo = a[0] > b[0] ? a[0] : b[0];
    int64_t hi = a[2 * na - 1] < b[2 * nb - 1] ? a[2 * na - 1] : b[2 * nb - 1];
    int64_t i = 0, j = 0, last_end = 0;
    int last = -1, turns = 0;
    *foreign = *shared = 0;
    while (i < na || j < nb) {
        int side = j >= nb || (i < na && a[2 * i] < b[2 * j]) ? 0 : 1;
        int64_t start = side ? b[2 * j] : a[2 * i];
        int64_t end = side ? b[2 * j++ + 1] : a[2 * i++ + 1];
        if (start < lo || start > hi)
            continue;
        if (side != last && last != -1)
            turns++;
        else if (last != -1) {
            (*foreign)++;
            *shared += start - last_end >= 50000;
        }
        last = side;
        last_end = end;
    }
    return turns;
}

static void slice_case(int mode, int cpu, int policy, const char *what)
{
    int64_t *a = calloc(2 * MAX_RUNS, sizeof *a), *b = calloc(2 * MAX_RUNS, sizeof *b);
    int64_t out[CTXPROBE_SLICE_OUT_COUNT] = { 0 };
    int32_t abort_word = 0;
    int64_t ns = policy == CTXPROBE_SLICE_POLICY_RR ? 400LL * 1000000 : SLICE_NS;
    int rc = ctxprobe_sched_slice_run(mode, cpu, policy, 0, 0, ns, SLICE_GAP_NS, MAX_RUNS, a, b, out,
                                      &abort_word);
    if (rc == -EPERM && policy == CTXPROBE_SLICE_POLICY_RR) {
        printf("sched slice %s: SCHED_RR not permitted here (EPERM)\n", what);
        free(a);
        free(b);
        return;
    }
    CHECK(rc == 0, "slice %s: %d", what, rc);
    if (rc == 0) {
        int64_t na = out[CTXPROBE_SLICE_OUT_RUNS_A], nb = out[CTXPROBE_SLICE_OUT_RUNS_B];
        CHECK(na >= 1 && nb >= 1, "slice %s: runs %lld %lld", what, (long long)na, (long long)nb);
        CHECK(out[CTXPROBE_SLICE_OUT_CPU_A] == cpu && out[CTXPROBE_SLICE_OUT_CPU_B] == cpu,
              "slice %s: pinned to %d, ended on %lld and %lld", what, cpu,
              (long long)out[CTXPROBE_SLICE_OUT_CPU_A], (long long)out[CTXPROBE_SLICE_OUT_CPU_B]);
        int foreign, shared;
        int turns = count_turns(a, na, b, nb, &foreign, &shared);
        int64_t niv = out[CTXPROBE_SLICE_OUT_NIVCSW_A] + out[CTXPROBE_SLICE_OUT_NIVCSW_B];
        printf("sched slice %s: %d turns in %lld ms, %lld involuntary switches, runs %lld + %lld, rr %lld ns\n",
               what, turns, (long long)(ns / 1000000), (long long)niv, (long long)na, (long long)nb,
               (long long)out[CTXPROBE_SLICE_OUT_RR_NS]);
        if (test_emulator) {
            SKIP("slice %s: turns vs involuntary switches under %s (the emulator's own threads)", what,
                 test_emulator);
        } else {
            CHECK(turns >= (policy == CTXPROBE_SLICE_POLICY_RR ? 1 : 2), "slice %s: both sides took turns: %d",
                  what, turns);
            /* Every turn ends with the running side switched out involuntarily, and every other
             * involuntary switch opens a foreign gap: turns <= switches <= turns + foreign gaps. */
            CHECK(niv + 2 >= turns && niv <= turns + foreign + 2, "slice %s: %d turns, %d foreign gaps, %lld involuntary",
                  what, turns, foreign, (long long)niv);
            /* Where no third task shared the CPU, the two agree within 25%. */
            if (shared * 20 <= turns)
                CHECK(niv >= turns * 3 / 4 && niv <= turns * 5 / 4 + 2, "slice %s: %d turns, %lld involuntary",
                      what, turns, (long long)niv);
            else
                printf("sched slice %s: %d foreign gaps >= 50 us: the CPU was shared, the 25%% agreement not checked\n",
                       what, shared);
        }
        if (policy == CTXPROBE_SLICE_POLICY_RR)
            CHECK(out[CTXPROBE_SLICE_OUT_RR_NS] > 0, "RR interval %lld", (long long)out[CTXPROBE_SLICE_OUT_RR_NS]);
    }
    free(a);
    free(b);
}

static void wakeup_case(int source, int sleeper, int waker, int hog)
{
    enum { N = 60 };
    int64_t lat[N], out[CTXPROBE_WAKEUP_OUT_COUNT];
    int rc = ctxprobe_sched_wakeup_run(source, sleeper, waker, hog, 0, N, 1000000, lat, out, NULL);
    CHECK(rc == 0, "wakeup source %d hog %d: %d", source, hog, rc);
    if (rc)
        return;
    int64_t served = out[CTXPROBE_WAKEUP_OUT_SERVED];
    CHECK(served + out[CTXPROBE_WAKEUP_OUT_NOT_SLEPT] == N && served >= N / 2, "served %lld, not slept %lld",
          (long long)served, (long long)out[CTXPROBE_WAKEUP_OUT_NOT_SLEPT]);
    CHECK(out[CTXPROBE_WAKEUP_OUT_SLEEPER_CPU] == sleeper, "sleeper ended on %lld",
          (long long)out[CTXPROBE_WAKEUP_OUT_SLEEPER_CPU]);
    int64_t min = INT64_MAX;
    for (int i = 0; i < served; i++)
        min = lat[i] < min ? lat[i] : min;
    CHECK(min >= 0, "a latency is never negative: %lld", (long long)min);
    if (hog) {
        /* Each wake-up served on the hog's CPU took it from the hog, unless a third task had it:
         * checked where the hog and the sleeper had the CPU to themselves (98% of the run). */
        int64_t wall = out[CTXPROBE_WAKEUP_OUT_WALL_NS];
        int64_t ours = out[CTXPROBE_WAKEUP_OUT_HOG_RUN_NS] + out[CTXPROBE_WAKEUP_OUT_SLEEPER_RUN_NS];
        CHECK(wall > 0 && out[CTXPROBE_WAKEUP_OUT_HOG_RUN_NS] > 0, "run times: wall %lld, hog %lld", (long long)wall,
              (long long)out[CTXPROBE_WAKEUP_OUT_HOG_RUN_NS]);
        if (ours * 50 >= wall * 49)
            CHECK(out[CTXPROBE_WAKEUP_OUT_HOG_NIVCSW] >= served, "hog involuntary %lld < served %lld",
                  (long long)out[CTXPROBE_WAKEUP_OUT_HOG_NIVCSW], (long long)served);
        else
            printf("sched wakeup: third tasks had %.1f%% of the CPU: the hog's count is not checked\n",
                   100.0 - 100.0 * ours / wall);
        CHECK(out[CTXPROBE_WAKEUP_OUT_HOG_CPU] == sleeper, "hog ended on %lld",
              (long long)out[CTXPROBE_WAKEUP_OUT_HOG_CPU]);
    } else {
        CHECK(out[CTXPROBE_WAKEUP_OUT_HOG_NIVCSW] == -1, "no hog, no count");
    }
    printf("sched wakeup %s %s: %lld served, min %.1f us\n", source == CTXPROBE_WAKEUP_FUTEX ? "futex" : "timer",
           hog ? "busy" : "idle", (long long)served, min / 1e3);
}

static void preempt_case(int mode)
{
    enum { MAX = 4096 };
    static int64_t gaps[MAX], turns[MAX];
    int64_t out[CTXPROBE_PREEMPT_OUT_COUNT];
    int rc = ctxprobe_sched_fiber_preempt_run(mode, 100000, 100LL * 1000000, MAX, gaps, turns, out, NULL);
    CHECK(rc == 0, "fiber preempt mode %d: %d", mode, rc);
    if (rc)
        return;
    int64_t n = out[CTXPROBE_PREEMPT_OUT_GAPS];
    CHECK(n >= 10 && out[CTXPROBE_PREEMPT_OUT_TURNS] == n, "gaps %lld turns %lld", (long long)n,
          (long long)out[CTXPROBE_PREEMPT_OUT_TURNS]);
    CHECK(out[CTXPROBE_PREEMPT_OUT_SWITCHES] >= n, "switches %lld", (long long)out[CTXPROBE_PREEMPT_OUT_SWITCHES]);
    if (mode == CTXPROBE_PREEMPT_SIGNAL)
        CHECK(out[CTXPROBE_PREEMPT_OUT_SIGNALS] == out[CTXPROBE_PREEMPT_OUT_SWITCHES] && out[CTXPROBE_PREEMPT_OUT_SIGNO] > 0,
              "every switch by a signal: %lld signals, %lld switches", (long long)out[CTXPROBE_PREEMPT_OUT_SIGNALS],
              (long long)out[CTXPROBE_PREEMPT_OUT_SWITCHES]);
    else
        CHECK(out[CTXPROBE_PREEMPT_OUT_SIGNALS] == 0 && out[CTXPROBE_PREEMPT_OUT_SIGNO] == 0, "yield: no signal");
    int64_t min = INT64_MAX;
    for (int64_t i = 0; i < n; i++)
        min = gaps[i] < min ? gaps[i] : min;
    CHECK(min > 0, "a switch takes time: %lld", (long long)min);
    printf("fiber preempt %s: %lld switches, shortest gap %lld ns\n", mode == CTXPROBE_PREEMPT_SIGNAL ? "signal" : "yield",
           (long long)n, (long long)min);
}

static void regs_case(void)
{
    int64_t out[CTXPROBE_REGS_OUT_COUNT];
#if defined(__x86_64__)
    int rc = ctxprobe_sched_fiber_regs_run(25000, 10000, 20LL * 1000000000, -1, out);
    CHECK(rc == 0, "regs run: %d", rc);
    if (rc == 0) {
        CHECK(out[CTXPROBE_REGS_OUT_MISMATCHES] == 0, "register file changed: first %lld",
              (long long)out[CTXPROBE_REGS_OUT_FIRST_BAD]);
        CHECK(!out[CTXPROBE_REGS_OUT_TIMED_OUT] && out[CTXPROBE_REGS_OUT_IN_WINDOW_A] >= 10000
              && out[CTXPROBE_REGS_OUT_IN_WINDOW_B] >= 10000, "in-window preemptions %lld %lld",
              (long long)out[CTXPROBE_REGS_OUT_IN_WINDOW_A], (long long)out[CTXPROBE_REGS_OUT_IN_WINDOW_B]);
        printf("fiber regs: %lld + %lld preemptions inside the window, avx %lld, 0 differences\n",
               (long long)out[CTXPROBE_REGS_OUT_IN_WINDOW_A], (long long)out[CTXPROBE_REGS_OUT_IN_WINDOW_B],
               (long long)out[CTXPROBE_REGS_OUT_AVX]);
    }
    /* The negative control: one register altered in A's saved frame is caught, by its index. */
    const int32_t controls[] = { 1, 14, CTXPROBE_REGS_RFLAGS, CTXPROBE_REGS_MXCSR, CTXPROBE_REGS_X87CW,
                                 CTXPROBE_REGS_SIGMASK, CTXPROBE_REGS_VEC + 7 };
    for (size_t i = 0; i < sizeof controls / sizeof controls[0]; i++) {
        rc = ctxprobe_sched_fiber_regs_run(25000, 20, 5LL * 1000000000, controls[i], out);
        CHECK(rc == 0 && out[CTXPROBE_REGS_OUT_MISMATCHES] >= 1 && out[CTXPROBE_REGS_OUT_FIRST_BAD] == controls[i],
              "control %d: rc %d, %lld mismatches, first %lld", controls[i], rc,
              (long long)out[CTXPROBE_REGS_OUT_MISMATCHES], (long long)out[CTXPROBE_REGS_OUT_FIRST_BAD]);
    }
#else
    CHECK(ctxprobe_sched_fiber_regs_run(25000, 10, 1000000000, -1, out) == -ENOSYS, "x86-64 only");
#endif
    CHECK(ctxprobe_sched_fiber_regs_run(0, 10, 1000000000, -1, out) == -EINVAL);
}

void test_sched(void)
{
    int fds0 = test_open_fds(), threads0 = test_thread_count();
    int cpus[2];
    int n = test_allowed_cpus(cpus);
    struct sigaction before, after;
    sigaction(SIGRTMAX - 1, NULL, &before);

    slice_case(CTXPROBE_SLICE_THREADS, cpus[0], CTXPROBE_SLICE_POLICY_OTHER, "threads");
    slice_case(CTXPROBE_SLICE_PROCESSES, cpus[0], CTXPROBE_SLICE_POLICY_OTHER, "processes");
    slice_case(CTXPROBE_SLICE_THREADS, cpus[0], CTXPROBE_SLICE_POLICY_RR, "threads rr");
    CHECK(test_no_child_left(), "slice children reaped");

    wakeup_case(CTXPROBE_WAKEUP_TIMER, cpus[0], -1, 0);
    wakeup_case(CTXPROBE_WAKEUP_TIMER, cpus[0], -1, 1);
    if (n >= 2)
        wakeup_case(CTXPROBE_WAKEUP_FUTEX, cpus[0], cpus[1], 1);

    if (test_emulator) {
        SKIP("fiber.preempt: timer signals at 100 us under %s interrupt the emulator, not the fibers",
             test_emulator);
    } else {
        preempt_case(CTXPROBE_PREEMPT_SIGNAL);
        preempt_case(CTXPROBE_PREEMPT_YIELD);
        regs_case();
    }
    sigaction(SIGRTMAX - 1, NULL, &after);
    CHECK(after.sa_handler == before.sa_handler && (after.sa_flags & SA_SIGINFO) == (before.sa_flags & SA_SIGINFO),
          "signal disposition restored");

    /* Bad input. */
    int64_t buf[4], out[CTXPROBE_SLICE_OUT_COUNT];
    CHECK(ctxprobe_sched_slice_run(0, 0, 0, 0, 0, SLICE_NS, SLICE_GAP_NS, 2, buf, buf, out, NULL) == -EINVAL);
    CHECK(ctxprobe_sched_slice_run(CTXPROBE_SLICE_THREADS, 0, CTXPROBE_SLICE_POLICY_RR, 0, 0,
                                   CTXPROBE_SLICE_RR_MAX_NS + 1, SLICE_GAP_NS, 2, buf, buf, out, NULL) == -EINVAL,
          "an RR hog longer than the cap is refused");
    CHECK(ctxprobe_sched_wakeup_run(CTXPROBE_WAKEUP_FUTEX, 0, -1, 0, 0, 10, 1000000, buf, out, NULL) == -EINVAL);
    CHECK(ctxprobe_sched_fiber_preempt_run(CTXPROBE_PREEMPT_SIGNAL, 1000, 1000000, 4, buf, buf, out, NULL) == -EINVAL,
          "a slice under the minimum is refused");

    CHECK(test_open_fds() == fds0, "fds: %d before, %d after", fds0, test_open_fds());
    /* Under qemu-user a joined thread lingers in /proc/self/task for a moment (see test_create.c). */
    for (int i = 0; test_emulator && test_threads_named("ctxp-") != 0 && i < 200; i++)
        nanosleep(&(struct timespec){ 0, 10 * 1000 * 1000 }, NULL);
    CHECK(test_thread_count() == threads0, "threads: %d before, %d after", threads0, test_thread_count());
    CHECK(test_threads_named("ctxp-") == 0, "no ctxp- thread left");
}
