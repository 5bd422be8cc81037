/*
 * ctxprobe/pingpong.h — the ping-pong object (pingpong.c, pp_mech_*.c). Java: NativePingPong.
 * Part of ctxprobe.h.
 *
 * One object serves every probe in which two sides bounce a token:
 *   thread.switch   two threads, a blocking mechanism (futex, pipe, eventfd, yield);
 *   process.switch  the same with side 1 forked (CTXPROBE_PP_PROCESS);
 *   cache.c2c       two threads, MECH_SPIN;
 *   ipc.latency     threads or processes, MECH_UNIX among others;
 *   fiber.switch    its migration cases: MECH_SPIN with CTXPROBE_PP_FIBER;
 *   tlb.switch      its thread/process round-trip events (driven from C, tlb_switch.c).
 *
 * Two kernel threads bounce a token. Java creates both with pthread_create(ctxprobe_pingpong_main,
 * ctxprobe_pingpong_side(pp, 0 or 1)), so the threads are created from Java through FFM while their
 * bodies live here. Sequence:
 *   pp = ctxprobe_pingpong_new(...);  pthread_create x2;  ctxprobe_pingpong_wait_ready(pp, ms)
 *   -> both threads have published their tid and wait for go; Java may now pin them
 *      (sched_setaffinity on the tid) and open per-thread counters, handing the fds over with
 *      ctxprobe_pingpong_set_counter_fd();
 *   ctxprobe_pingpong_go(pp);  pthread_join x2;  ctxprobe_pingpong_error(pp);  read results;
 *   ctxprobe_pingpong_free(pp).
 * Side 0 (ping) times each batch; both sides count their own round trips, so each side reads its
 * counters (perf fds and getrusage(RUSAGE_THREAD)) exactly at the first and last measured round trip.
 * ctxprobe_pingpong_abort() wakes every waiter and makes both threads return (deadline, Ctrl-C).
 */
#ifndef CTXPROBE_PINGPONG_H
#define CTXPROBE_PINGPONG_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Mechanisms: how a side waits for the token and hands it over. Every mechanism also has a solo
 * form (ctxprobe_mechanism_solo_run): the same calls of one handoff with no partner to switch to. */
#define CTXPROBE_MECH_FUTEX   1 /* FUTEX_WAIT/FUTEX_WAKE on one shared word (private futex; shared
                                   futex in process mode)                                         */
#define CTXPROBE_MECH_PIPE    2 /* one pipe per direction: write 1 byte, the other side reads it  */
#define CTXPROBE_MECH_EVENTFD 3 /* one eventfd per direction: write 1, the other side reads it    */
#define CTXPROBE_MECH_YIELD   4 /* the shared word, polled with sched_yield() between looks (the
                                   caller puts both sides under SCHED_FIFO where permitted)        */
#define CTXPROBE_MECH_SPIN    5 /* the shared word, polled with a pause instruction only: no system
                                   call, no switch (cache.c2c; fiber migration)                   */
#define CTXPROBE_MECH_UNIX    6 /* one socketpair(AF_UNIX, SOCK_STREAM) between the sides: a 1-byte
                                   send hands the token over, a blocking 1-byte recv waits for it
                                   (ipc.latency); solo: send on one end, receive on the other     */

/* Flags for ctxprobe_pingpong_new. */
#define CTXPROBE_PP_PROCESS   1 /* side 1 will run in a forked child (ctxprobe_pingpong_fork): the
                                   object lives in a MAP_SHARED mapping, futexes are shared        */
#define CTXPROBE_PP_FIBER     2 /* each side, once it holds the token, resumes one shared fiber
                                   that switches straight back: the fiber migrates between the two
                                   threads every handoff (threads only; with MECH_SPIN)            */

#define CTXPROBE_COUNTER_SLOTS 4 /* perf fds per side; slot meaning is the caller's              */

typedef struct ctxprobe_pingpong ctxprobe_pingpong;

/* With CTXPROBE_PP_* flags (0: two threads). NULL on bad input (mechanism unknown, batches/ops <= 0,
 * unknown flags or a flag the mechanism cannot take) or allocation failure. */
ctxprobe_pingpong *ctxprobe_pingpong_new(int32_t mechanism, int32_t flags, int64_t warmup,
                                         int64_t batches, int64_t ops);
/* Process mode: forks a child process that runs `side`'s body (instead of pthread_create for that
 * side) and leaves with _exit; it never returns into the caller. The child sets
 * PR_SET_PDEATHSIG(SIGKILL), which fires when the *calling thread* exits: call this from a thread
 * that outlives the child. A watcher (child.c) notices the child's death at once: a child that dies
 * or fails aborts the other side with -EPIPE within milliseconds, and ctxprobe_pingpong_child_end
 * tells how it ended. Returns the child's pid (also its tid for _tid, pinning and counters), or
 * -errno; -EINVAL without CTXPROBE_PP_PROCESS. Only async-signal-safe work runs in the child. */
int32_t ctxprobe_pingpong_fork(ctxprobe_pingpong *pp, int32_t side);
/* Waits up to timeout_ms for the forked `side` to exit (SIGKILL after that) and reaps it. 0 if it
 * exited with status 0; -ETIMEDOUT if it had to be killed; -ECHILD if there is no child for side;
 * a child killed by a signal or exiting non-zero records -EPIPE as the object's error. */
int32_t ctxprobe_pingpong_reap(ctxprobe_pingpong *pp, int32_t side, int64_t timeout_ms);
/* How the forked `side` ended, as soon as it has (before or after _reap): 0 with *signal the signal
 * that killed it (0 if none) and *exit_code its exit status (-1 if killed); -ENODATA while it runs
 * or if it was never forked; -EINVAL for a bad side or NULL pointer. */
int32_t ctxprobe_pingpong_child_end(ctxprobe_pingpong *pp, int32_t side, int32_t *signal,
                                    int32_t *exit_code);
void *ctxprobe_pingpong_side(ctxprobe_pingpong *pp, int32_t side);
void *ctxprobe_pingpong_main(void *side);                       /* the pthread body */
/* 0 when both sides are ready, -ETIMEDOUT, or the first thread's negative errno
 * (-ECANCELED once aborted; -EINVAL for a NULL pp or a negative timeout). */
int32_t ctxprobe_pingpong_wait_ready(ctxprobe_pingpong *pp, int64_t timeout_ms);
/* The side's kernel tid; 0 until that thread has published it; -EINVAL for a bad side. */
int32_t ctxprobe_pingpong_tid(ctxprobe_pingpong *pp, int32_t side);
/* A perf counter fd (or -1) that `side` reads at its measured edges; slot in [0, COUNTER_SLOTS).
 * Any counting read_format whose first u64 is the value works (PERF_FORMAT_TOTAL_TIME_* included).
 * 0, -EINVAL for a bad side or slot, -EBUSY after ctxprobe_pingpong_go. The fd stays the caller's. */
int32_t ctxprobe_pingpong_set_counter_fd(ctxprobe_pingpong *pp, int32_t side, int32_t slot, int32_t fd);
void    ctxprobe_pingpong_go(ctxprobe_pingpong *pp);
void    ctxprobe_pingpong_abort(ctxprobe_pingpong *pp);
/* 0, or the first negative errno a side hit (-ECANCELED after abort). */
int32_t ctxprobe_pingpong_error(ctxprobe_pingpong *pp);
/* Measured round trips `side` completed so far (all of them once the run finished; fewer after an
 * abort or a partner's death); -EINVAL for a bad side. */
int64_t ctxprobe_pingpong_round_trips(ctxprobe_pingpong *pp, int32_t side);
/* Copies side 0's per-batch wall times (batches elements). 0, -EINVAL for NULL, -ENODATA (nothing
 * copied) if side 0 did not finish its measured batches. */
int32_t ctxprobe_pingpong_samples(ctxprobe_pingpong *pp, int64_t *wall_ns);
/* CPU the side ran on (sched_getcpu) at its first (at_end = 0) and at its last (at_end != 0) measured
 * round trip; -EINVAL for a bad side, -ENODATA if that point was never reached. */
int32_t ctxprobe_pingpong_cpu(ctxprobe_pingpong *pp, int32_t side, int32_t at_end);
/* Counter deltas over the measured batches: slot value (perf fd read; -1 if no fd or read failed,
 * and also -1 for a bad side or slot or a run that did not finish). */
int64_t ctxprobe_pingpong_counter_delta(ctxprobe_pingpong *pp, int32_t side, int32_t slot);
/* getrusage(RUSAGE_THREAD) deltas over the measured batches: which is one of CTXPROBE_RUSAGE_*.
 * -1 for a bad side or which, or a run that did not finish. */
#define CTXPROBE_RUSAGE_NVCSW  0 /* ru_nvcsw: voluntary switches                                 */
#define CTXPROBE_RUSAGE_NIVCSW 1 /* ru_nivcsw: involuntary switches                              */
int64_t ctxprobe_pingpong_rusage_delta(ctxprobe_pingpong *pp, int32_t side, int32_t which);
/* The side's scheduling over its measured window (the same two snapshots), in ns: which is one of
 * CTXPROBE_SCHED_*. -1 for a bad side or which, a run that did not finish, or (RUN, WAIT) a kernel
 * without /proc/thread-self/schedstat. WAIT is the time the side was runnable but not running. */
#define CTXPROBE_SCHED_WINDOW_NS 0 /* CLOCK_MONOTONIC between the side's two snapshots            */
#define CTXPROBE_SCHED_RUN_NS    1 /* schedstat field 1: time on a CPU                           */
#define CTXPROBE_SCHED_WAIT_NS   2 /* schedstat field 2 (run_delay): runnable, waiting for a CPU  */
int64_t ctxprobe_pingpong_sched_delta(ctxprobe_pingpong *pp, int32_t side, int32_t which);
/* Frees the object; the caller has joined both threads (and reaped a forked side). */
void    ctxprobe_pingpong_free(ctxprobe_pingpong *pp);

/* The mechanism's own cost, lmbench-style but explicit: on the calling thread, with no partner, one
 * operation is the calls one side makes per handoff (futex: a FUTEX_WAKE with no waiter and a
 * FUTEX_WAIT that finds the word already changed; pipe/eventfd: a write and the read of it on the
 * same object; yield: one sched_yield with nothing else to run; spin: one look at the word). So
 * "switch cost = ping-pong ns per switch - solo ns per op", both measured. Batch protocol. */
int32_t ctxprobe_mechanism_solo_run(int32_t mechanism, int64_t warmup, int64_t batches, int64_t ops,
                                    int64_t *wall_ns, int64_t *cpu_ns);

#ifdef __cplusplus
}
#endif

#endif /* CTXPROBE_PINGPONG_H */
