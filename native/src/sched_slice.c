/*
 * sched_slice.c — sched.slice: how long the kernel lets a CPU-bound task run before it takes the
 * CPU away for another.
 *
 * Two sides (threads, or processes forked through child.c) pinned to one CPU each stamp
 * CLOCK_MONOTONIC in a tight loop into their own buffer, compressed into runs: a run is a stretch
 * of stamps no two of which lie more than gap_ns apart. A gap in one side's timeline is not yet a
 * turn of the other: interrupts, softirqs, kernel threads and hypervisor steal open gaps too. The
 * caller interleaves the two timelines: a turn of A is a maximal stretch in which only A's runs
 * fall, whatever gaps it holds; it ends where B's next run begins.
 *
 * Everything the sides share lives in one MAP_SHARED mapping (the start gate is a shared futex),
 * so the same code serves threads and forked children. A side sets its own affinity, policy and
 * nice, reports ready, and waits at the gate; the caller opens it with a common end time.
 */
#include "sched_gate.h"

#include <string.h>
#include <sys/mman.h>

#include "child.h"
#include "ctxprobe/sched.h"

#define SLICE_START_TIMEOUT_NS (5LL * 1000000000)
#define SLICE_GATE_AHEAD_NS    (2LL * 1000000)   /* end = gate + this + duration: both sides wake */

struct slice_side {
    int64_t nruns;
    int64_t switches[2];      /* voluntary, involuntary over the loop */
    int64_t cpu_end;
    int64_t rr_ns;
    int32_t error;            /* -errno of the side's setup, 0 */
    int32_t truncated;
};

struct slice_shared {
    int32_t ready;            /* futex: sides done with their setup */
    int32_t go;               /* futex: 0 wait, 1 run, -1 abandon */
    int64_t end_ns;
    int32_t cpu, policy, nice[2];
    int64_t gap_ns;
    int64_t max_runs;
    const int32_t *abort;     /* threads only: a child's copy would never change */
    struct slice_side side[2];
    int64_t runs[];           /* side i: [2 * max_runs * i, 2 * max_runs * (i + 1)) */
};

struct slice_arg {
    struct slice_shared *sh;
    int index;
};

/* The hot loop. A new run starts when the clock jumped more than gap_ns since the previous stamp;
 * the buffer full ends the side's loop (and marks it truncated). */
static void slice_stamp(struct slice_shared *sh, struct slice_side *me, int64_t *runs)
{
    const int64_t end = sh->end_ns, gap = sh->gap_ns, max = sh->max_runs;
    int64_t prev = sg_now_ns(), n = 0;
    uint32_t k = 0;
    runs[0] = prev;
    for (;;) {
        int64_t t = sg_now_ns();
        if (t - prev > gap) {
            if (n + 1 >= max) {
                me->truncated = 1;
                break;
            }
            runs[2 * n + 1] = prev;
            n++;
            runs[2 * n] = t;
        }
        prev = t;
        if (t >= end)
            break;
        if ((++k & 4095) == 0 && sg_aborted(sh->abort))
            break;
    }
    runs[2 * n + 1] = prev;
    me->nruns = n + 1;
}

static int slice_side_main(struct slice_shared *sh, int i)
{
    struct slice_side *me = &sh->side[i];
    int err = sg_pin(sh->cpu);
    if (!err)
        err = sg_set_policy(sh->policy == CTXPROBE_SLICE_POLICY_RR ? SCHED_RR : SCHED_OTHER, sh->nice[i]);
    if (!err && sh->policy == CTXPROBE_SLICE_POLICY_RR) {
        struct timespec ts;
        me->rr_ns = sched_rr_get_interval(0, &ts) == 0 ? (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec : -1;
    }
    me->error = err;
    sg_add_and_wake(&sh->ready, 1);
    int32_t g;
    while ((g = __atomic_load_n(&sh->go, __ATOMIC_ACQUIRE)) == 0)
        sg_futex_wait(&sh->go, 0, 100000000);
    if (g < 0 || err)
        return err ? 1 : 0;
    int64_t before[2], after[2];
    sg_switches(before);
    slice_stamp(sh, me, sh->runs + 2 * sh->max_runs * i);
    sg_switches(after);
    me->switches[0] = after[0] - before[0];
    me->switches[1] = after[1] - before[1];
    me->cpu_end = sched_getcpu();
    return 0;
}

static void *slice_thread(void *p)
{
    struct slice_arg *a = p;
    slice_side_main(a->sh, a->index);
    return NULL;
}

static int slice_child(void *p)
{
    struct slice_arg *a = p;
    return slice_side_main(a->sh, a->index);
}

/* Waits for both sides' setup, then opens the gate (or abandons it on an error). */
static int slice_open_gate(struct slice_shared *sh, int64_t duration_ns)
{
    int rc = sg_wait_at_least(&sh->ready, 2, sg_now_ns() + SLICE_START_TIMEOUT_NS);
    for (int i = 0; rc == 0 && i < 2; i++)
        if (sh->side[i].error)
            rc = sh->side[i].error;
    if (rc) {
        sg_store_and_wake(&sh->go, -1);
        return rc;
    }
    sh->end_ns = sg_now_ns() + SLICE_GATE_AHEAD_NS + duration_ns;
    sg_store_and_wake(&sh->go, 1);
    return 0;
}

static int slice_run_threads(struct slice_shared *sh, int64_t duration_ns)
{
    pthread_t t[2];
    struct slice_arg args[2] = { { sh, 0 }, { sh, 1 } };
    int started = 0, rc = 0;
    for (; started < 2; started++) {
        rc = sg_thread_start(&t[started], slice_thread, &args[started], started ? "ctxp-slice-b" : "ctxp-slice-a");
        if (rc)
            break;
    }
    if (!rc)
        rc = slice_open_gate(sh, duration_ns);
    else
        sg_store_and_wake(&sh->go, -1);
    for (int i = 0; i < started; i++)
        pthread_join(t[i], NULL);
    return rc;
}

static int slice_run_processes(struct slice_shared *sh, int64_t duration_ns)
{
    struct ctxp_child c[2];
    memset(c, 0, sizeof c);
    struct slice_arg args[2] = { { sh, 0 }, { sh, 1 } };
    int forked = 0, rc = 0;
    for (; forked < 2; forked++) {
        rc = ctxp_child_fork(&c[forked], CTXP_CHILD_PIDFD, slice_child, &args[forked]);
        if (rc)
            break;
    }
    if (!rc)
        rc = slice_open_gate(sh, duration_ns);
    else
        sg_store_and_wake(&sh->go, -1);
    int64_t deadline = sg_now_ns() + duration_ns + SLICE_START_TIMEOUT_NS;
    for (int i = 0; i < forked; i++) {
        int status = 0;
        int r = ctxp_child_reap(&c[i], deadline, &status);
        if (!rc && r)
            rc = r;
        else if (!rc && ctxp_child_status_ok(status))
            rc = sh->side[i].error ? sh->side[i].error : -EPIPE;
    }
    return rc;
}

static int slice_args_ok(int32_t mode, int32_t cpu, int32_t policy, int32_t nice_a, int32_t nice_b,
                         int64_t duration_ns, int64_t gap_ns, int32_t max_runs, const int64_t *runs_a,
                         const int64_t *runs_b, const int64_t *out)
{
    if (mode != CTXPROBE_SLICE_THREADS && mode != CTXPROBE_SLICE_PROCESSES)
        return 0;
    if (policy != CTXPROBE_SLICE_POLICY_OTHER && policy != CTXPROBE_SLICE_POLICY_RR)
        return 0;
    if (cpu < 0 || cpu >= CPU_SETSIZE || nice_a < -20 || nice_a > 19 || nice_b < -20 || nice_b > 19)
        return 0;
    int64_t cap = policy == CTXPROBE_SLICE_POLICY_RR ? CTXPROBE_SLICE_RR_MAX_NS : CTXPROBE_SLICE_MAX_NS;
    return duration_ns > 0 && duration_ns <= cap && gap_ns > 0 && max_runs >= 2 && runs_a && runs_b && out;
}

int32_t ctxprobe_sched_slice_run(int32_t mode, int32_t cpu, int32_t policy, int32_t nice_a, int32_t nice_b,
                                 int64_t duration_ns, int64_t gap_ns, int32_t max_runs,
                                 int64_t *runs_a, int64_t *runs_b, int64_t *out, const int32_t *abort)
{
    if (!slice_args_ok(mode, cpu, policy, nice_a, nice_b, duration_ns, gap_ns, max_runs, runs_a, runs_b, out))
        return -EINVAL;
    size_t len = sizeof(struct slice_shared) + 4 * (size_t)max_runs * sizeof(int64_t);
    struct slice_shared *sh = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (sh == MAP_FAILED)
        return -errno;
    sh->cpu = cpu;
    sh->policy = policy;
    sh->nice[0] = nice_a;
    sh->nice[1] = nice_b;
    sh->gap_ns = gap_ns;
    sh->max_runs = max_runs;
    sh->abort = mode == CTXPROBE_SLICE_THREADS ? abort : NULL;
    for (int i = 0; i < 2; i++)
        sh->side[i].rr_ns = -1;
    int rc = mode == CTXPROBE_SLICE_THREADS ? slice_run_threads(sh, duration_ns)
                                            : slice_run_processes(sh, duration_ns);
    if (rc == 0) {
        memcpy(runs_a, sh->runs, 2 * (size_t)sh->side[0].nruns * sizeof(int64_t));
        memcpy(runs_b, sh->runs + 2 * (size_t)max_runs, 2 * (size_t)sh->side[1].nruns * sizeof(int64_t));
        out[CTXPROBE_SLICE_OUT_RUNS_A] = sh->side[0].nruns;
        out[CTXPROBE_SLICE_OUT_RUNS_B] = sh->side[1].nruns;
        out[CTXPROBE_SLICE_OUT_NVCSW_A] = sh->side[0].switches[0];
        out[CTXPROBE_SLICE_OUT_NIVCSW_A] = sh->side[0].switches[1];
        out[CTXPROBE_SLICE_OUT_NVCSW_B] = sh->side[1].switches[0];
        out[CTXPROBE_SLICE_OUT_NIVCSW_B] = sh->side[1].switches[1];
        out[CTXPROBE_SLICE_OUT_RR_NS] = sh->side[0].rr_ns;
        out[CTXPROBE_SLICE_OUT_TRUNCATED] = sh->side[0].truncated || sh->side[1].truncated;
        out[CTXPROBE_SLICE_OUT_CPU_A] = sh->side[0].cpu_end;
        out[CTXPROBE_SLICE_OUT_CPU_B] = sh->side[1].cpu_end;
    }
    munmap(sh, len);
    return rc;
}
