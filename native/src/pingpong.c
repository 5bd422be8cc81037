/*
 * pingpong.c — thread.switch, process.switch, cache.c2c and fiber migration: two sides bounce a
 * token, in the manner of the kernel selftest context_switch.c. Java creates the threads
 * (pthread_create on ctxprobe_pingpong_main) or, in process mode, has C fork one side
 * (ctxprobe_pingpong_fork); the bodies live here.
 *
 * A mechanism is a small table of functions (struct pp_mech in pp_internal.h, one pp_mech_*.c file
 * each): init / wait / wake / kick / fini, plus its solo form. The loop knows only "wait until the
 * token is at my side" and "hand the token to the other side"; it does not change per mechanism.
 *
 * Abort: ctxprobe_pingpong_abort() sets the abort flag, then the mechanism's kick makes every waiter
 * return (futex: the word moves to TOKEN_ABORT; pipe, eventfd: a byte / a count into both
 * directions; yield, spin: the flag is checked at every look), so both sides return (-ECANCELED).
 * The waits outside the measured loop (ready, go) stay bounded (WAIT_SLICE) and re-check the flag.
 * A side that fails records its -errno (first one wins) and aborts the other side.
 *
 * Round trips: warmup*ops unmeasured, then batches*ops measured (side 0 times each batch), then one
 * untimed tail round trip, so side 1 is still parked (not exiting) while side 0 closes its last batch.
 * Each side snapshots sched_getcpu, getrusage(RUSAGE_THREAD) and its perf fds right before its
 * first measured round trip and right after its last. Where "after its last" lies is chosen so that
 * each side's window holds the switch-out that each measured round trip forces on it:
 *   side 0: snap | N x (hold, wake, wait) | snap | tail (hold, wake, wait)
 *   side 1: snap | N x (wait, hold, wake) | tail wait | snap | tail (hold, wake)
 * (Side 1 is switched out for round trip i between its wake(i) and its wait(i+1): for the last one,
 * that is the tail wait.) On one CPU each side is therefore switched out >= N times in its window.
 * "hold" is the work done while holding the token: nothing, or (CTXPROBE_PP_FIBER) one resume of
 * the shared fiber, which switches straight back to the side that resumed it.
 *
 * Process mode (one side forked through child.c, watched, reaped) lives in pp_process.c.
 *
 * Driven from C: tlb.switch uses the same object and mechanism for its round-trip events — the
 * partner runs pp_echo (answer every round trip until aborted), the caller's thread calls
 * pp_drive_round_trip once per event.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "pp_internal.h"
#include "batch.h"

#define WAIT_SLICE_S 1                  /* ready/go waits time out after this and re-check abort */
#define FIBER_STACK_SIZE (64 * 1024)    /* usable bytes; a guard page lies below */

static const struct pp_mech *const mechanisms[] = {
    &ctxp_mech_futex, &ctxp_mech_pipe, &ctxp_mech_eventfd, &ctxp_mech_yield, &ctxp_mech_spin,
    &ctxp_mech_unix,
};

static const struct pp_mech *find_mech(int32_t id)
{
    for (size_t i = 0; i < sizeof mechanisms / sizeof mechanisms[0]; i++)
        if (mechanisms[i]->id == id)
            return mechanisms[i];
    return NULL;
}

static const struct timespec wait_slice = { WAIT_SLICE_S, 0 };

/* ---- the loop ------------------------------------------------------------------------------- */

void pp_fail(struct ctxprobe_pingpong *pp, int32_t err)
{
    int32_t zero = 0;
    atomic_compare_exchange_strong(&pp->error, &zero, err);   /* the first error wins */
    atomic_store(&pp->abort_flag, 1);
    pp_futex_wake_all(pp, &pp->ready);
    pp_futex_wake_all(pp, &pp->go);
    pp->mech->kick(pp);
}

/* The calling thread's time on a CPU and time runnable but waiting for one (ns), from
 * /proc/thread-self/schedstat ("run_ns wait_ns timeslices"). open/read/close only: async-signal-safe,
 * so a forked side may call it. Both -1 where the kernel has no schedstat (no CONFIG_SCHED_INFO). */
static void read_schedstat(int64_t *run_ns, int64_t *wait_ns)
{
    char buf[96];
    int64_t v[2] = { -1, -1 };
    int fd = open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);
    ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
    if (fd >= 0)
        close(fd);
    if (n > 0) {
        const char *p = buf, *end = buf + n;
        for (int f = 0; f < 2; f++) {
            while (p < end && *p == ' ')
                p++;
            if (p == end || *p < '0' || *p > '9')
                break;
            int64_t x = 0;
            while (p < end && *p >= '0' && *p <= '9')
                x = x * 10 + (*p++ - '0');
            v[f] = x;
        }
    }
    *run_ns = v[0] >= 0 && v[1] >= 0 ? v[0] : -1;
    *wait_ns = v[0] >= 0 && v[1] >= 0 ? v[1] : -1;
}

/* fds: the counter fds valid in this process (a forked side gets its own copies). */
static int snapshot(struct pp_side *s, int at, const int32_t *fds)
{
    struct pp_snap *p = &s->at[at];
    struct rusage ru;
    int cpu = sched_getcpu();
    p->cpu = cpu < 0 ? -errno : cpu;
    if (getrusage(RUSAGE_THREAD, &ru) != 0)
        return -errno;
    p->nvcsw = ru.ru_nvcsw;
    p->nivcsw = ru.ru_nivcsw;
    read_schedstat(&p->run_ns, &p->wait_ns);
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    p->mono_ns = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
    for (int k = 0; k < CTXPROBE_COUNTER_SLOTS; k++) {
        /* Room for value, time_enabled, time_running: a counter opened with those in its
         * read_format refuses a shorter buffer (ENOSPC). The value always comes first. */
        uint64_t v[3];
        int fd = fds[k];
        p->counter[k] = (fd >= 0 && read(fd, v, sizeof v) >= (ssize_t)sizeof v[0]) ? (int64_t)v[0] : -1;
    }
    atomic_store(&s->at_valid[at], 1);
    return 0;
}

/* The fiber: each time it is resumed it notes who resumed it and switches straight back there.
 * It runs on whichever thread holds the token; its callee-saved state travels in its own frame,
 * each side's stays in that side's sched_sp. It touches no thread-local state. */
static void fiber_body(void *arg)
{
    struct ctxprobe_pingpong *pp = arg;
    for (;;) {
        struct pp_side *from = pp->fiber_from;
        from->fiber_runs++;
        ctxprobe_fiber_jump(&pp->fiber_sp, from->sched_sp);
    }
}

/* The work done while holding the token. The token's release/acquire orders fiber_sp between the
 * two threads, so the fiber never runs on both at once. */
static inline void hold(struct ctxprobe_pingpong *pp, struct pp_side *s)
{
    if (pp->flags & CTXPROBE_PP_FIBER) {
        pp->fiber_from = s;
        ctxprobe_fiber_jump(&s->sched_sp, pp->fiber_sp);
    }
}

/* One round trip from `side`'s point of view: side 0 holds, sends, waits; side 1 waits, holds,
 * sends. */
static inline int round_trip(struct ctxprobe_pingpong *pp, struct pp_side *s)
{
    const struct pp_mech *m = pp->mech;
    int rc;
    if (s->side == 0) {
        hold(pp, s);
        if ((rc = m->wake(pp, 0)) != 0)
            return rc;
        return m->wait(pp, 0);
    }
    if ((rc = m->wait(pp, 1)) != 0)
        return rc;
    hold(pp, s);
    return m->wake(pp, 1);
}

static int run_side(struct pp_side *s, const int32_t *fds)
{
    struct ctxprobe_pingpong *pp = s->pp;
    const int side = s->side;
    int rc;

    for (int64_t i = 0; i < pp->warmup * pp->ops; i++)
        if ((rc = round_trip(pp, s)) != 0)
            return rc;

    if ((rc = snapshot(s, 0, fds)) != 0)
        return rc;
    for (int64_t b = 0; b < pp->batches; b++) {
        struct batch_edge e;
        if (side == 0)
            batch_begin(&e, b, NULL);
        for (int64_t i = 0; i < pp->ops; i++) {
            if ((rc = round_trip(pp, s)) != 0)
                return rc;
            __atomic_store_n(&s->round_trips, s->round_trips + 1,   /* the one line that counts */
                             __ATOMIC_RELAXED);
        }
        if (side == 0)
            batch_end(&e, b, pp->samples, NULL);
    }
    if (side == 0) {
        if ((rc = snapshot(s, 1, fds)) != 0)
            return rc;
        atomic_store(&pp->samples_done, 1);
        return round_trip(pp, s);                               /* untimed tail */
    }
    /* Side 1 closes its window only after the tail wait: that wait is where side 1 gets switched
     * out so side 0 can finish the last measured round trip. Snapshotting here also keeps side 1's
     * snapshot system calls out of side 0's last timed batch. */
    if ((rc = pp->mech->wait(pp, 1)) != 0)
        return rc;
    if ((rc = snapshot(s, 1, fds)) != 0)
        return rc;
    hold(pp, s);
    return pp->mech->wake(pp, 1);
}

/* The body of one side, thread or forked child: name, publish the tid, report ready, wait for go,
 * run. sock >= 0 only in a forked child. Returns 0 or the side's -errno (already recorded). */
int pp_side_body(struct pp_side *s, int sock)
{
    struct ctxprobe_pingpong *pp = s->pp;
    int rc = 0;

    if (prctl(PR_SET_NAME, s->side == 0 ? "ctxp-ping" : "ctxp-pong", 0, 0, 0) != 0)
        rc = -errno;
    atomic_store(&s->tid, (int32_t)gettid());
    if (rc)
        pp_fail(pp, rc);
    atomic_fetch_add(&pp->ready, 1);
    pp_futex_wake_all(pp, &pp->ready);
    if (rc)
        return rc;

    rc = pp_wait_while(pp, &pp->go, 0, &wait_slice);
    int32_t fds[CTXPROBE_COUNTER_SLOTS];
    for (int k = 0; k < CTXPROBE_COUNTER_SLOTS; k++)
        fds[k] = sock >= 0 ? -1 : s->counter_fd[k];
    if (rc == 0 && sock >= 0)
        pp_recv_counter_fds(sock, fds);
    if (rc == 0)
        rc = run_side(s, fds);
    if (rc)
        pp_fail(pp, rc);
    if (sock >= 0)
        for (int k = 0; k < CTXPROBE_COUNTER_SLOTS; k++)
            if (fds[k] >= 0)
                close(fds[k]);
    return rc;
}

void *ctxprobe_pingpong_main(void *arg)
{
    struct pp_side *s = arg;
    pp_side_body(s, -1);
    return NULL;
}

/* ---- the object ----------------------------------------------------------------------------- */

ctxprobe_pingpong *pp_create(int32_t mechanism, int32_t flags, int64_t warmup, int64_t batches,
                             int64_t ops, int *err)
{
    const struct pp_mech *m = find_mech(mechanism);
    *err = -EINVAL;
    if (!m || warmup < 0 || batches <= 0 || ops <= 0 || batches > INT64_MAX / ops ||
        warmup > INT64_MAX / ops || (uint64_t)batches > (SIZE_MAX / 2) / sizeof(int64_t))
        return NULL;
    if (flags & ~(CTXPROBE_PP_PROCESS | CTXPROBE_PP_FIBER))
        return NULL;
    if ((flags & CTXPROBE_PP_FIBER) &&
        ((flags & CTXPROBE_PP_PROCESS) || mechanism != CTXPROBE_MECH_SPIN))
        return NULL;

    /* One mapping: the object, then side 0's samples. Shared in process mode. */
    size_t head = (sizeof(struct ctxprobe_pingpong) + 63) & ~(size_t)63;
    size_t len = head + (size_t)batches * sizeof(int64_t);
    void *map = mmap(NULL, len, PROT_READ | PROT_WRITE,
                     ((flags & CTXPROBE_PP_PROCESS) ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS,
                     -1, 0);
    if (map == MAP_FAILED) {
        *err = -errno;
        return NULL;
    }
    struct ctxprobe_pingpong *pp = map;                 /* zero-filled */
    pp->map_len = len;
    pp->samples = (int64_t *)((char *)map + head);
    pp->flags = flags;
    pp->futex_private = (flags & CTXPROBE_PP_PROCESS) ? 0 : FUTEX_PRIVATE_FLAG;
    pp->mech = m;
    pp->warmup = warmup;
    pp->batches = batches;
    pp->ops = ops;
    pp->echo_cpu = -1;
    for (int i = 0; i < PP_MFDS; i++)
        pp->mfd[i] = -1;
    for (int i = 0; i < 2; i++) {
        pp->side[i].pp = pp;
        pp->side[i].side = i;
        pp->side[i].sock = -1;
        pp->side[i].child.pidfd = -1;
        for (int k = 0; k < CTXPROBE_COUNTER_SLOTS; k++)
            pp->side[i].counter_fd[k] = -1;
    }
    if ((*err = m->init(pp)) != 0) {
        munmap(map, len);
        return NULL;
    }
    if (flags & CTXPROBE_PP_FIBER) {
        if ((*err = ctxp_stack_alloc(&pp->fiber_stack, FIBER_STACK_SIZE)) != 0) {
            if (m->fini)
                m->fini(pp);
            munmap(map, len);
            return NULL;
        }
        pp->fiber_sp = ctxprobe_fiber_make(pp->fiber_stack.hi, fiber_body, pp);
    }
    return pp;
}

ctxprobe_pingpong *ctxprobe_pingpong_new(int32_t mechanism, int32_t flags, int64_t warmup,
                                         int64_t batches, int64_t ops)
{
    int err;
    return pp_create(mechanism, flags, warmup, batches, ops, &err);
}

static int side_ok(const ctxprobe_pingpong *pp, int32_t side)
{
    return pp && (side == 0 || side == 1);
}

void *ctxprobe_pingpong_side(ctxprobe_pingpong *pp, int32_t side)
{
    return side_ok(pp, side) ? &pp->side[side] : NULL;
}

int32_t ctxprobe_pingpong_wait_ready(ctxprobe_pingpong *pp, int64_t timeout_ms)
{
    if (!pp || timeout_ms < 0)
        return -EINVAL;
    int64_t deadline = batch_clock_ns(CLOCK_MONOTONIC) + timeout_ms * 1000000;
    for (;;) {
        int32_t err = atomic_load(&pp->error);
        if (err)
            return err;
        if (atomic_load(&pp->abort_flag))
            return -ECANCELED;
        uint32_t r = atomic_load(&pp->ready);
        if (r >= 2)
            return 0;
        int64_t left = deadline - batch_clock_ns(CLOCK_MONOTONIC);
        if (left <= 0)
            return -ETIMEDOUT;
        struct timespec ts = { left / 1000000000, left % 1000000000 };
        pp_futex(pp, &pp->ready, FUTEX_WAIT, r, &ts);
    }
}

/* -EINVAL for a bad side; 0 until the thread has published its tid. */
int32_t ctxprobe_pingpong_tid(ctxprobe_pingpong *pp, int32_t side)
{
    return side_ok(pp, side) ? atomic_load(&pp->side[side].tid) : -EINVAL;
}

/* fd < 0 clears the slot. -EINVAL for a bad side or slot, -EBUSY once go has been given. */
int32_t ctxprobe_pingpong_set_counter_fd(ctxprobe_pingpong *pp, int32_t side, int32_t slot, int32_t fd)
{
    if (!side_ok(pp, side) || slot < 0 || slot >= CTXPROBE_COUNTER_SLOTS)
        return -EINVAL;
    if (atomic_load(&pp->go))
        return -EBUSY;
    pp->side[side].counter_fd[slot] = fd < 0 ? -1 : fd;   /* published by go's atomic store */
    return 0;
}

void ctxprobe_pingpong_go(ctxprobe_pingpong *pp)
{
    if (!pp || atomic_load(&pp->go))
        return;
    for (int i = 0; i < 2; i++)
        if (pp->side[i].sock >= 0)
            pp_send_counter_fds(&pp->side[i]);
    atomic_store(&pp->go, 1);
    pp_futex_wake_all(pp, &pp->go);
}

void ctxprobe_pingpong_abort(ctxprobe_pingpong *pp)
{
    if (!pp)
        return;
    atomic_store(&pp->abort_flag, 1);
    pp_futex_wake_all(pp, &pp->ready);
    pp_futex_wake_all(pp, &pp->go);
    pp->mech->kick(pp);
}

int32_t ctxprobe_pingpong_error(ctxprobe_pingpong *pp)
{
    return pp ? atomic_load(&pp->error) : -EINVAL;
}

/* The other side may still be counting: a plain read of a value only that side writes. */
int64_t ctxprobe_pingpong_round_trips(ctxprobe_pingpong *pp, int32_t side)
{
    if (!side_ok(pp, side))
        return -EINVAL;
    return __atomic_load_n(&pp->side[side].round_trips, __ATOMIC_RELAXED);
}

/* 0 and batches values copied; -EINVAL for NULL arguments; -ENODATA if side 0 did not finish its
 * measured batches (nothing copied). */
int32_t ctxprobe_pingpong_samples(ctxprobe_pingpong *pp, int64_t *wall_ns)
{
    if (!pp || !wall_ns)
        return -EINVAL;
    if (!atomic_load(&pp->samples_done))
        return -ENODATA;
    memcpy(wall_ns, pp->samples, (size_t)pp->batches * sizeof(int64_t));
    return 0;
}

/* The CPU, -EINVAL for a bad side, -ENODATA if that snapshot was never taken, or sched_getcpu's
 * -errno. at_end: 0 = at the first measured round trip, non-zero = after the last. */
int32_t ctxprobe_pingpong_cpu(ctxprobe_pingpong *pp, int32_t side, int32_t at_end)
{
    if (!side_ok(pp, side))
        return -EINVAL;
    int at = at_end ? 1 : 0;
    if (!atomic_load(&pp->side[side].at_valid[at]))
        return -ENODATA;
    return pp->side[side].at[at].cpu;
}

static int snaps_valid(struct pp_side *s)
{
    return atomic_load(&s->at_valid[0]) && atomic_load(&s->at_valid[1]);
}

/* -1 for a bad side or slot, no fd, a failed read, or missing snapshots. */
int64_t ctxprobe_pingpong_counter_delta(ctxprobe_pingpong *pp, int32_t side, int32_t slot)
{
    if (!side_ok(pp, side) || slot < 0 || slot >= CTXPROBE_COUNTER_SLOTS)
        return -1;
    struct pp_side *s = &pp->side[side];
    if (!snaps_valid(s) || s->at[0].counter[slot] < 0 || s->at[1].counter[slot] < 0)
        return -1;
    return s->at[1].counter[slot] - s->at[0].counter[slot];
}

/* which: 0 = ru_nvcsw, 1 = ru_nivcsw. -1 for a bad side or which, or missing snapshots. */
int64_t ctxprobe_pingpong_rusage_delta(ctxprobe_pingpong *pp, int32_t side, int32_t which)
{
    if (!side_ok(pp, side) || (which != CTXPROBE_RUSAGE_NVCSW && which != CTXPROBE_RUSAGE_NIVCSW))
        return -1;
    struct pp_side *s = &pp->side[side];
    if (!snaps_valid(s))
        return -1;
    return which == CTXPROBE_RUSAGE_NVCSW ? s->at[1].nvcsw - s->at[0].nvcsw : s->at[1].nivcsw - s->at[0].nivcsw;
}

/* which: CTXPROBE_SCHED_*. -1 for a bad side or which, missing snapshots, or no schedstat. */
int64_t ctxprobe_pingpong_sched_delta(ctxprobe_pingpong *pp, int32_t side, int32_t which)
{
    if (!side_ok(pp, side))
        return -1;
    struct pp_side *s = &pp->side[side];
    if (!snaps_valid(s))
        return -1;
    const struct pp_snap *a = &s->at[0], *b = &s->at[1];
    switch (which) {
    case CTXPROBE_SCHED_WINDOW_NS:
        return b->mono_ns - a->mono_ns;
    case CTXPROBE_SCHED_RUN_NS:
        return a->run_ns < 0 || b->run_ns < 0 ? -1 : b->run_ns - a->run_ns;
    case CTXPROBE_SCHED_WAIT_NS:
        return a->wait_ns < 0 || b->wait_ns < 0 ? -1 : b->wait_ns - a->wait_ns;
    default:
        return -1;
    }
}

/* The caller guarantees both threads have been joined (or were never created) and forked sides
 * reaped; a child still there is killed and reaped here rather than left behind. */
void ctxprobe_pingpong_free(ctxprobe_pingpong *pp)
{
    if (!pp)
        return;
    for (int i = 0; i < 2; i++)
        pp_release_child(&pp->side[i]);
    if (pp->mech->fini)
        pp->mech->fini(pp);
    ctxp_stack_free(&pp->fiber_stack);
    munmap(pp, pp->map_len);
}

/* ---- the mechanism alone -------------------------------------------------------------------- */

int32_t ctxprobe_mechanism_solo_run(int32_t mechanism, int64_t warmup, int64_t batches, int64_t ops,
                                    int64_t *wall_ns, int64_t *cpu_ns)
{
    const struct pp_mech *m = find_mech(mechanism);
    if (!m)
        return -EINVAL;
    int rc = batch_args_check(warmup, batches, ops, wall_ns);
    if (rc)
        return rc;
    struct ctxprobe_pingpong *pp = pp_create(mechanism, 0, 0, 1, 1, &rc);  /* the mechanism's objects */
    if (!pp)
        return rc;
    for (int64_t b = -warmup; b < batches; b++) {
        struct batch_edge e;
        batch_begin(&e, b, cpu_ns);
        rc = m->solo(pp, ops);
        batch_end(&e, b, wall_ns, cpu_ns);
        if (rc)
            break;
    }
    ctxprobe_pingpong_free(pp);
    return rc;
}

/* ---- driven from C (tlb.switch) ---------------------------------------------------------------- */

int pp_echo(struct pp_side *s, int sock)
{
    (void)sock;
    struct ctxprobe_pingpong *pp = s->pp;
    const struct pp_mech *m = pp->mech;
    int rc = 0;
    if (pp->echo_cpu >= 0) {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(pp->echo_cpu, &set);
        if (sched_setaffinity(0, sizeof set, &set) != 0)
            rc = -errno;
    }
    atomic_store(&s->tid, (int32_t)gettid());
    while (rc == 0 && (rc = m->wait(pp, s->side)) == 0 && (rc = m->wake(pp, s->side)) == 0)
        __atomic_store_n(&s->round_trips, s->round_trips + 1, __ATOMIC_RELAXED);
    if (rc == -ECANCELED)
        return 0;                                   /* stopped by the driver's abort */
    pp_fail(pp, rc);
    return rc;
}

void *pp_echo_main(void *side)
{
    pp_echo(side, -1);
    return NULL;
}

int pp_drive_round_trip(struct ctxprobe_pingpong *pp)
{
    return round_trip(pp, &pp->side[0]);
}
