/*
 * pp_internal.h — internal to the ping-pong object: pingpong.c (object, loop, accessors),
 * pp_process.c (process mode), the mechanisms (pp_mech_*.c), and tlb_switch.c, which drives the
 * object from C (pp_echo, pp_drive_round_trip); not part of the ABI.
 * The C tests include it to read test-only fields (fiber_runs) straight from the object; no symbol
 * is exported for that.
 *
 * The object lives in one mmap'd region with side 0's sample array right after it: MAP_PRIVATE for
 * threads, MAP_SHARED in process mode so a forked child shares it (and its futex words, which are
 * then shared futexes: every futex call goes through pp_futex, which applies pp->futex_private).
 */
#ifndef CTXPROBE_PP_INTERNAL_H
#define CTXPROBE_PP_INTERNAL_H

#include <errno.h>
#include <linux/futex.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "ctxprobe/pingpong.h"
#include "child.h"
#include "fiber_switch.h"

struct ctxprobe_pingpong;

/* A mechanism: how a side waits for the token and hands it over. The loop in pingpong.c calls only
 * these; a new mechanism is a new table. */
struct pp_mech {
    int32_t     id;
    const char *name;
    int  (*init)(struct ctxprobe_pingpong *pp);            /* 0 or -errno (undoes itself on error) */
    int  (*wait)(struct ctxprobe_pingpong *pp, int side);  /* until the token is at `side` */
    int  (*wake)(struct ctxprobe_pingpong *pp, int side);  /* hand the token to the other side */
    void (*kick)(struct ctxprobe_pingpong *pp);            /* after abort_flag: wake every waiter */
    void (*fini)(struct ctxprobe_pingpong *pp);            /* NULL if nothing to release */
    int  (*solo)(struct ctxprobe_pingpong *pp, int64_t ops); /* `ops` solo operations, 0 or -errno */
};

CTXP_HIDDEN extern const struct pp_mech ctxp_mech_futex;
CTXP_HIDDEN extern const struct pp_mech ctxp_mech_pipe;
CTXP_HIDDEN extern const struct pp_mech ctxp_mech_eventfd;
CTXP_HIDDEN extern const struct pp_mech ctxp_mech_yield;
CTXP_HIDDEN extern const struct pp_mech ctxp_mech_spin;
CTXP_HIDDEN extern const struct pp_mech ctxp_mech_unix;

struct pp_snap {
    int32_t cpu;                             /* sched_getcpu, or -errno */
    int64_t nvcsw, nivcsw;                   /* getrusage(RUSAGE_THREAD) */
    int64_t counter[CTXPROBE_COUNTER_SLOTS]; /* perf fd value, -1 if no fd or read failed */
    int64_t mono_ns;                         /* CLOCK_MONOTONIC at the snapshot */
    int64_t run_ns, wait_ns;                 /* /proc/thread-self/schedstat fields 1 and 2, -1 if unreadable */
};

/* One side. Cache-line aligned: each side writes its own round_trips every round trip. */
struct pp_side {
    _Alignas(64) struct ctxprobe_pingpong *pp;
    int32_t side;
    _Atomic int32_t tid;                     /* 0 until the thread (or child) publishes it */
    int32_t counter_fd[CTXPROBE_COUNTER_SLOTS];
    int64_t round_trips;                     /* measured round trips this side completed */
    struct pp_snap at[2];                    /* 0: before the first measured, 1: after the last */
    _Atomic int32_t at_valid[2];
    /* process mode (parent's bookkeeping, pp_process.c) */
    struct ctxp_child child;                 /* forked child running this side; pid 0 if none */
    struct ctxp_watch watch;                 /* notices the child's end at once */
    struct ctxp_child_end end;               /* how the child ended (watch or reap) */
    int     forked;                          /* a child was forked for this side */
    int     sock;                            /* parent's end of the child's counter-fd socket, -1 */
    /* fiber mode */
    void   *sched_sp;                        /* this side's context while the fiber runs */
    int64_t fiber_runs;                      /* times the fiber ran for this side (tests read it) */
};

#define PP_MFDS 4

struct ctxprobe_pingpong {
    _Alignas(64) _Atomic uint32_t word;      /* futex/yield/spin: 1 = token at side 1, 0 = at side 0 */
    _Alignas(64) _Atomic uint32_t ready;     /* sides that reached the go wait (or failed) */
    _Atomic uint32_t go;                     /* 1 once ctxprobe_pingpong_go ran */
    _Atomic int32_t  abort_flag;
    _Atomic int32_t  error;                  /* first negative errno */
    int32_t  flags;                          /* CTXPROBE_PP_* */
    int32_t  futex_private;                  /* FUTEX_PRIVATE_FLAG, or 0 in process mode */
    int32_t  echo_cpu;                       /* pp_echo: the CPU the partner pins itself to, or -1 */
    const struct pp_mech *mech;
    int64_t  warmup, batches, ops;
    int64_t *samples;                        /* side 0's per-batch wall times (same mapping) */
    _Atomic int32_t samples_done;
    size_t   map_len;                        /* the whole mapping */
    int      mfd[PP_MFDS];                   /* mechanism fds (pipe, eventfd), -1 if unused */
    /* fiber mode: one fiber, resumed by whichever side holds the token */
    struct ctxp_stack fiber_stack;
    void    *fiber_sp;                       /* the fiber's saved context while suspended */
    struct pp_side *fiber_from;              /* the side that resumed it (it switches back there) */
    struct pp_side side[2];
};

#define TOKEN_ABORT 2u   /* futex: a token value neither side waits on */

/* pingpong.c, shared with pp_process.c and tlb_switch.c (hidden). */
/* The object: NULL with *err set on bad input or failure (flags as ctxprobe_pingpong_new). */
CTXP_HIDDEN struct ctxprobe_pingpong *pp_create(int32_t mechanism, int32_t flags, int64_t warmup,
                                                int64_t batches, int64_t ops, int *err);
/* Records err (the first one wins), sets the abort flag and wakes every waiter. */
CTXP_HIDDEN void pp_fail(struct ctxprobe_pingpong *pp, int32_t err);
/* A side's whole body (name, tid, ready, go, run); sock >= 0 in a forked child. 0 or -errno. */
CTXP_HIDDEN int pp_side_body(struct pp_side *s, int sock);
/* pp_process.c: forks `side`, running body(side, sock) in the child, whose return value (0 or
 * -errno) becomes exit status 0 (also for -ECANCELED: an aborted run) or 1. The child is watched:
 * its end is noticed at once and fails the object with -EPIPE unless it exited 0. sock: the child's
 * end of the counter-fd socket. Returns the child's pid or -errno. */
CTXP_HIDDEN int32_t pp_fork_side(struct ctxprobe_pingpong *pp, int32_t side,
                                 int (*body)(struct pp_side *s, int sock));
/* pp_process.c: go() hands a forked side its counter fds; the child receives them. */
CTXP_HIDDEN void pp_send_counter_fds(struct pp_side *s);
CTXP_HIDDEN void pp_recv_counter_fds(int sock, int32_t fds[CTXPROBE_COUNTER_SLOTS]);
/* pp_process.c: unwatches, kills and reaps a child still there, closes its socket (free). */
CTXP_HIDDEN void pp_release_child(struct pp_side *s);

/* Driven from C (tlb.switch): side 1 answers every round trip until the object is aborted; side 0
 * is the calling thread, one pp_drive_round_trip per event. The partner pins itself to echo_cpu
 * (a failure is the object's error). */
CTXP_HIDDEN int   pp_echo(struct pp_side *s, int sock);  /* fork body: 0 once aborted, or -errno */
CTXP_HIDDEN void *pp_echo_main(void *side);       /* the same as a pthread body */
CTXP_HIDDEN int   pp_drive_round_trip(struct ctxprobe_pingpong *pp);

static inline long pp_futex(struct ctxprobe_pingpong *pp, _Atomic uint32_t *uaddr, int op,
                            uint32_t val, const struct timespec *ts)
{
    return syscall(SYS_futex, (uint32_t *)uaddr, op | pp->futex_private, val, ts, NULL, 0);
}

static inline void pp_futex_wake_all(struct ctxprobe_pingpong *pp, _Atomic uint32_t *uaddr)
{
    pp_futex(pp, uaddr, FUTEX_WAKE, INT32_MAX, NULL);
}

/* Waits while *w == busy, re-checking the abort flag before every sleep; `slice` bounds each sleep
 * (NULL: unbounded, for words an abort moves). 0, -ECANCELED on abort, or -errno of an unexpected
 * futex failure. */
static inline int pp_wait_while(struct ctxprobe_pingpong *pp, _Atomic uint32_t *w, uint32_t busy,
                                const struct timespec *slice)
{
    while (atomic_load_explicit(w, memory_order_acquire) == busy) {
        if (atomic_load_explicit(&pp->abort_flag, memory_order_seq_cst))
            return -ECANCELED;
        if (pp_futex(pp, w, FUTEX_WAIT, busy, slice) < 0 && errno != EAGAIN && errno != EINTR &&
            errno != ETIMEDOUT)
            return -errno;
    }
    return 0;
}

/* The value of word that means "the token is not at `side`". */
static inline uint32_t pp_busy(int side)
{
    return side == 0 ? 1u : 0u;
}

#endif /* CTXPROBE_PP_INTERNAL_H */
