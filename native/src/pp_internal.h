/*
 * pp_internal.h — internal to pingpong.c and its mechanisms (pp_mech_*.c); not part of the ABI.
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

#include "ctxprobe.h"
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
    /* process mode (parent's bookkeeping) */
    pid_t   child;                           /* forked child running this side, 0 if none */
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
