/*
 * pingpong.c — thread.switch: two kernel threads bounce a token, in the manner of the kernel
 * selftest context_switch.c. Java creates both threads (pthread_create on ctxprobe_pingpong_main);
 * the bodies live here.
 *
 * A mechanism is a small table of functions (struct pp_mech): init / wait / wake / kick / fini.
 * The loop knows only "wait until the token is at my side" and "hand the token to the other side",
 * so pipe, eventfd or sched_yield mechanisms can be added as further tables without touching it.
 *
 * Abort: ctxprobe_pingpong_abort() sets the abort flag, then the mechanism's kick moves the token
 * word to a value neither side waits on (TOKEN_ABORT) and wakes every waiter, so both threads return
 * (-ECANCELED). A side checks the flag before each sleep, and the kernel compares the word under the
 * futex lock, so no side can fall asleep after an abort. The token waits carry no timeout: a timed
 * FUTEX_WAIT arms an hrtimer on every wait, a cost the plain ping-pong does not pay. The waits
 * outside the measured loop (ready, go) stay bounded (WAIT_SLICE) and re-check the flag. A side that
 * fails records its -errno (first one wins) and aborts the other side.
 *
 * Round trips: warmup*ops unmeasured, then batches*ops measured (side 0 times each batch), then one
 * untimed tail round trip, so side 1 is still parked (not exiting) while side 0 closes its last batch.
 * Each side snapshots sched_getcpu, getrusage(RUSAGE_THREAD) and its perf fds right before its
 * first measured round trip and right after its last. Where "after its last" lies is chosen so that
 * each side's window holds the switch-out that each measured round trip forces on it:
 *   side 0: snap | N x (wake, wait) | snap | tail (wake, wait)
 *   side 1: snap | N x (wait, wake) | tail wait | snap | tail wake
 * (Side 1 is switched out for round trip i between its wake(i) and its wait(i+1): for the last one,
 * that is the tail wait.) On one CPU each side is therefore switched out >= N times in its window.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "ctxprobe.h"
#include "batch.h"

#define WAIT_SLICE_S 1          /* every futex wait times out after this and re-checks abort */

struct ctxprobe_pingpong;

struct pp_mech {
    int32_t     id;
    const char *name;
    int  (*init)(struct ctxprobe_pingpong *pp);            /* 0 or -errno */
    int  (*wait)(struct ctxprobe_pingpong *pp, int side);  /* until the token is at `side` */
    int  (*wake)(struct ctxprobe_pingpong *pp, int side);  /* hand the token to the other side */
    void (*kick)(struct ctxprobe_pingpong *pp);            /* wake every waiter (abort) */
    void (*fini)(struct ctxprobe_pingpong *pp);
};

struct pp_snap {
    int32_t cpu;                             /* sched_getcpu, or -errno */
    int64_t nvcsw, nivcsw;                   /* getrusage(RUSAGE_THREAD) */
    int64_t counter[CTXPROBE_COUNTER_SLOTS]; /* perf fd value, -1 if no fd or read failed */
};

struct pp_side {
    struct ctxprobe_pingpong *pp;
    int32_t side;
    _Atomic int32_t tid;                     /* 0 until the thread publishes it */
    int32_t counter_fd[CTXPROBE_COUNTER_SLOTS];
    int64_t round_trips;                     /* measured round trips this side completed */
    struct pp_snap at[2];                    /* 0: before the first measured, 1: after the last */
    _Atomic int32_t at_valid[2];
};

struct ctxprobe_pingpong {
    _Alignas(64) _Atomic uint32_t word;      /* futex mechanism: 1 = token at side 1, 0 = at side 0 */
    _Alignas(64) _Atomic uint32_t ready;     /* threads that reached the go wait (or failed) */
    _Atomic uint32_t go;                     /* 1 once ctxprobe_pingpong_go ran */
    _Atomic int32_t  abort_flag;
    _Atomic int32_t  error;                  /* first negative errno */
    const struct pp_mech *mech;
    int64_t  warmup, batches, ops;
    int64_t *samples;                        /* side 0's per-batch wall times */
    _Atomic int32_t samples_done;
    struct pp_side side[2];
};

/* ---- futex helpers ------------------------------------------------------------------------- */

static long futex_op(_Atomic uint32_t *uaddr, int op, uint32_t val, const struct timespec *ts)
{
    return syscall(SYS_futex, (uint32_t *)uaddr, op | FUTEX_PRIVATE_FLAG, val, ts, NULL, 0);
}

static void futex_wake_all(_Atomic uint32_t *uaddr)
{
    futex_op(uaddr, FUTEX_WAKE, INT_MAX, NULL);
}

static const struct timespec wait_slice = { WAIT_SLICE_S, 0 };

/* Waits while *w == busy, re-checking the abort flag before every sleep; `slice` bounds each sleep
 * (NULL: unbounded, for words an abort moves). 0, -ECANCELED on abort, or -errno of an unexpected
 * futex failure. */
static int wait_while(struct ctxprobe_pingpong *pp, _Atomic uint32_t *w, uint32_t busy,
                      const struct timespec *slice)
{
    while (atomic_load_explicit(w, memory_order_acquire) == busy) {
        if (atomic_load_explicit(&pp->abort_flag, memory_order_seq_cst))
            return -ECANCELED;
        if (futex_op(w, FUTEX_WAIT, busy, slice) < 0 && errno != EAGAIN && errno != EINTR &&
            errno != ETIMEDOUT)
            return -errno;
    }
    return 0;
}

/* ---- mechanism: futex (one shared word) ----------------------------------------------------- */

static int futex_init(struct ctxprobe_pingpong *pp)
{
    atomic_store(&pp->word, 0);
    return 0;
}

/* Side 0 waits while the token is at side 1 (word 1); side 1 waits while it is at side 0 (word 0). */
static int futex_wait_token(struct ctxprobe_pingpong *pp, int side)
{
    return wait_while(pp, &pp->word, side == 0 ? 1u : 0u, NULL);
}

static int futex_wake_token(struct ctxprobe_pingpong *pp, int side)
{
    atomic_store_explicit(&pp->word, side == 0 ? 1u : 0u, memory_order_release);
    if (futex_op(&pp->word, FUTEX_WAKE, 1, NULL) < 0)
        return -errno;
    return 0;
}

/* After the abort flag is set: a token value neither side waits on, then wake both. A side that
 * writes 0 or 1 afterwards checks the flag before its next sleep. */
#define TOKEN_ABORT 2u
static void futex_kick(struct ctxprobe_pingpong *pp)
{
    atomic_store_explicit(&pp->word, TOKEN_ABORT, memory_order_seq_cst);
    futex_wake_all(&pp->word);
}

static const struct pp_mech mech_futex = {
    .id = CTXPROBE_MECH_FUTEX, .name = "futex",
    .init = futex_init, .wait = futex_wait_token, .wake = futex_wake_token,
    .kick = futex_kick, .fini = NULL,
};

static const struct pp_mech *const mechanisms[] = { &mech_futex };

/* ---- the loop ------------------------------------------------------------------------------- */

static void fail(struct ctxprobe_pingpong *pp, int32_t err)
{
    int32_t zero = 0;
    atomic_compare_exchange_strong(&pp->error, &zero, err);   /* the first error wins */
    atomic_store(&pp->abort_flag, 1);
    futex_wake_all(&pp->ready);
    futex_wake_all(&pp->go);
    pp->mech->kick(pp);
}

static int snapshot(struct pp_side *s, int at)
{
    struct pp_snap *p = &s->at[at];
    struct rusage ru;
    int cpu = sched_getcpu();
    p->cpu = cpu < 0 ? -errno : cpu;
    if (getrusage(RUSAGE_THREAD, &ru) != 0)
        return -errno;
    p->nvcsw = ru.ru_nvcsw;
    p->nivcsw = ru.ru_nivcsw;
    for (int k = 0; k < CTXPROBE_COUNTER_SLOTS; k++) {
        /* Room for value, time_enabled, time_running: a counter opened with those in its
         * read_format refuses a shorter buffer (ENOSPC). The value always comes first. */
        uint64_t v[3];
        int fd = s->counter_fd[k];
        p->counter[k] = (fd >= 0 && read(fd, v, sizeof v) >= (ssize_t)sizeof v[0]) ? (int64_t)v[0] : -1;
    }
    atomic_store(&s->at_valid[at], 1);
    return 0;
}

/* One round trip from `side`'s point of view: side 0 sends then waits, side 1 waits then sends. */
static inline int round_trip(struct ctxprobe_pingpong *pp, int side)
{
    const struct pp_mech *m = pp->mech;
    int rc;
    if (side == 0) {
        if ((rc = m->wake(pp, 0)) != 0)
            return rc;
        return m->wait(pp, 0);
    }
    if ((rc = m->wait(pp, 1)) != 0)
        return rc;
    return m->wake(pp, 1);
}

static int run_side(struct pp_side *s)
{
    struct ctxprobe_pingpong *pp = s->pp;
    const int side = s->side;
    int rc;

    for (int64_t i = 0; i < pp->warmup * pp->ops; i++)
        if ((rc = round_trip(pp, side)) != 0)
            return rc;

    if ((rc = snapshot(s, 0)) != 0)
        return rc;
    for (int64_t b = 0; b < pp->batches; b++) {
        struct batch_edge e;
        if (side == 0)
            batch_begin(&e, b, NULL);
        for (int64_t i = 0; i < pp->ops; i++) {
            if ((rc = round_trip(pp, side)) != 0)
                return rc;
            s->round_trips++;                                   /* the one line that counts */
        }
        if (side == 0)
            batch_end(&e, b, pp->samples, NULL);
    }
    if (side == 0) {
        if ((rc = snapshot(s, 1)) != 0)
            return rc;
        atomic_store(&pp->samples_done, 1);
        return round_trip(pp, 0);                               /* untimed tail */
    }
    /* Side 1 closes its window only after the tail wait: that wait is where side 1 gets switched
     * out so side 0 can finish the last measured round trip. Snapshotting here also keeps side 1's
     * snapshot system calls out of side 0's last timed batch. */
    if ((rc = pp->mech->wait(pp, 1)) != 0)
        return rc;
    if ((rc = snapshot(s, 1)) != 0)
        return rc;
    return pp->mech->wake(pp, 1);
}

void *ctxprobe_pingpong_main(void *arg)
{
    struct pp_side *s = arg;
    struct ctxprobe_pingpong *pp = s->pp;
    int rc = 0;

    if (prctl(PR_SET_NAME, s->side == 0 ? "ctxp-ping" : "ctxp-pong", 0, 0, 0) != 0)
        rc = -errno;
    atomic_store(&s->tid, (int32_t)gettid());
    if (rc)
        fail(pp, rc);
    atomic_fetch_add(&pp->ready, 1);
    futex_wake_all(&pp->ready);
    if (rc)
        return NULL;

    rc = wait_while(pp, &pp->go, 0, &wait_slice);
    if (rc == 0)
        rc = run_side(s);
    if (rc)
        fail(pp, rc);
    return NULL;
}

/* ---- the object ----------------------------------------------------------------------------- */

ctxprobe_pingpong *ctxprobe_pingpong_new(int32_t mechanism, int64_t warmup, int64_t batches,
                                         int64_t ops)
{
    const struct pp_mech *m = NULL;
    for (size_t i = 0; i < sizeof mechanisms / sizeof mechanisms[0]; i++)
        if (mechanisms[i]->id == mechanism)
            m = mechanisms[i];
    if (!m || warmup < 0 || batches <= 0 || ops <= 0 || batches > INT64_MAX / ops ||
        warmup > INT64_MAX / ops || (uint64_t)batches > SIZE_MAX / sizeof(int64_t))
        return NULL;

    struct ctxprobe_pingpong *pp = aligned_alloc(64, (sizeof *pp + 63) & ~(size_t)63);
    if (!pp)
        return NULL;
    memset(pp, 0, sizeof *pp);
    pp->samples = calloc((size_t)batches, sizeof(int64_t));
    if (!pp->samples) {
        free(pp);
        return NULL;
    }
    pp->mech = m;
    pp->warmup = warmup;
    pp->batches = batches;
    pp->ops = ops;
    for (int i = 0; i < 2; i++) {
        pp->side[i].pp = pp;
        pp->side[i].side = i;
        for (int k = 0; k < CTXPROBE_COUNTER_SLOTS; k++)
            pp->side[i].counter_fd[k] = -1;
    }
    if (m->init(pp) != 0) {
        free(pp->samples);
        free(pp);
        return NULL;
    }
    return pp;
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
        futex_op(&pp->ready, FUTEX_WAIT, r, &ts);
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
    if (!pp)
        return;
    atomic_store(&pp->go, 1);
    futex_wake_all(&pp->go);
}

void ctxprobe_pingpong_abort(ctxprobe_pingpong *pp)
{
    if (!pp)
        return;
    atomic_store(&pp->abort_flag, 1);
    futex_wake_all(&pp->ready);
    futex_wake_all(&pp->go);
    pp->mech->kick(pp);
}

int32_t ctxprobe_pingpong_error(ctxprobe_pingpong *pp)
{
    return pp ? atomic_load(&pp->error) : -EINVAL;
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
    if (!side_ok(pp, side) || (which != 0 && which != 1))
        return -1;
    struct pp_side *s = &pp->side[side];
    if (!snaps_valid(s))
        return -1;
    return which == 0 ? s->at[1].nvcsw - s->at[0].nvcsw : s->at[1].nivcsw - s->at[0].nivcsw;
}

/* The caller guarantees both threads have been joined (or were never created). */
void ctxprobe_pingpong_free(ctxprobe_pingpong *pp)
{
    if (!pp)
        return;
    if (pp->mech->fini)
        pp->mech->fini(pp);
    free(pp->samples);
    free(pp);
}
