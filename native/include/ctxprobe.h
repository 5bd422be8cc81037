/*
 * ctxprobe.h — the C ABI of libctxprobe: the one contract between Java and C.
 *
 * Java orchestrates; C runs the hot loops. Java binds exactly these symbols (one Java binding class,
 * io.ctxprobe.linux.CtxprobeLib, with each prototype above its handle). Rules for every function:
 *   - plain scalar and pointer arguments only: no struct is passed by value or shared by layout;
 *     objects that live across calls are opaque handles created and freed here;
 *   - a function that can fail returns a negative errno (-EINVAL, ...) and never exits or prints;
 *   - sample arrays are caller-owned: `batches` elements of int64_t, written in order;
 *   - nothing here calls back into the JVM. A forked or cloned child runs only code in this library
 *     and leaves with _exit / SYS_exit.
 *
 * Batch protocol (every *_run function): run `warmup` unmeasured batches, then `batches` measured
 * batches of `ops` operations each. wall_ns[i] is the CLOCK_MONOTONIC time of measured batch i;
 * cpu_ns[i] (when cpu_ns is not NULL) is its CLOCK_THREAD_CPUTIME_ID time, read at the batch's edges
 * only — on hosts where that clock is a system call it must never be read inside a batch.
 *
 * Minimum glibc: 2.34 (pthread symbols bind to GLIBC_2.34 when built on 2.34+).
 */
#ifndef CTXPROBE_H
#define CTXPROBE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped whenever a prototype or a meaning below changes; Java refuses a library with another. */
#define CTXPROBE_ABI_VERSION 3

int32_t ctxprobe_abi_version(void);

/* ---- clock.c: the timer and its own cost ------------------------------------------------------- */

/* CLOCK_MONOTONIC in ns (vDSO on most hosts). */
int64_t ctxprobe_now_ns(void);

/* CLOCK_THREAD_CPUTIME_ID in ns for the calling thread (a real system call on some hosts). */
int64_t ctxprobe_thread_cpu_ns(void);

/* Median cost in ns (x1000, i.e. picoseconds) of one ctxprobe_now_ns() read, over `reads` back-to-back
 * pairs; returns a negative errno on bad input. */
int64_t ctxprobe_timer_cost_ps(int64_t reads);

/* ---- cpuid.c: raw CPUID, for host facts (vendor, family/model, hypervisor leaf, TLB leaves) ----- */

/* Executes CPUID(leaf, subleaf) and stores eax, ebx, ecx, edx in out[0..3]. Returns 0. */
int32_t ctxprobe_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t *out);

/* ---- syscall_loop.c: syscall.null ------------------------------------------------------------- */

/* Batches of `ops` raw getppid system calls (syscall(SYS_getppid): never cached by libc).
 * Returns 0 or a negative errno. */
int32_t ctxprobe_syscall_null_run(int64_t warmup, int64_t batches, int64_t ops,
                                  int64_t *wall_ns, int64_t *cpu_ns);

/* ---- fiber.c + switch_*.S: fiber.switch --------------------------------------------------------- */

/* Fiber switch implementations. */
#define CTXPROBE_FIBER_ASM        1  /* hand-written switch: callee-saved GPRs + x87 CW + MXCSR   */
#define CTXPROBE_FIBER_ASM_NOFPU  2  /* hand-written switch without the x87 CW / MXCSR save       */
#define CTXPROBE_FIBER_UCONTEXT   3  /* glibc swapcontext (saves the signal mask: a system call)  */

/* Two fibers on the calling thread ping-pong `ops` round trips per batch (a round trip is two
 * switches: main -> fiber -> main). Stacks are mmap'd with a PROT_NONE guard page below them and
 * unmapped before returning. Returns 0 or a negative errno (-EINVAL for an unknown kind). */
int32_t ctxprobe_fiber_switch_run(int32_t kind, int64_t warmup, int64_t batches, int64_t ops,
                                  int64_t *wall_ns, int64_t *cpu_ns);

/* ---- pingpong.c: thread.switch, process.switch, cache.c2c, fiber migration ----------------------
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
 * ctxprobe_pingpong_abort() wakes every waiter and makes both threads return (deadline, Ctrl-C). */

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

/* Flags for ctxprobe_pingpong_new2. */
#define CTXPROBE_PP_PROCESS   1 /* side 1 will run in a forked child (ctxprobe_pingpong_fork): the
                                   object lives in a MAP_SHARED mapping, futexes are shared        */
#define CTXPROBE_PP_FIBER     2 /* each side, once it holds the token, resumes one shared fiber
                                   that switches straight back: the fiber migrates between the two
                                   threads every handoff (threads only; with MECH_SPIN)            */

#define CTXPROBE_COUNTER_SLOTS 4 /* perf fds per side; slot meaning is the caller's              */

typedef struct ctxprobe_pingpong ctxprobe_pingpong;

/* Returns NULL on bad input (mechanism unknown, batches/ops <= 0) or allocation failure.
 * Same as ctxprobe_pingpong_new2(mechanism, 0, ...). */
ctxprobe_pingpong *ctxprobe_pingpong_new(int32_t mechanism, int64_t warmup, int64_t batches,
                                         int64_t ops);
/* With CTXPROBE_PP_* flags; NULL also for unknown flags or a flag the mechanism cannot take. */
ctxprobe_pingpong *ctxprobe_pingpong_new2(int32_t mechanism, int32_t flags, int64_t warmup,
                                          int64_t batches, int64_t ops);
/* Process mode: forks a child process that runs `side`'s body (instead of pthread_create for that
 * side) and leaves with _exit; it never returns into the caller. The child sets
 * PR_SET_PDEATHSIG(SIGKILL), which fires when the *calling thread* exits: call this from a thread
 * that outlives the child. Returns the child's pid (also its tid for _tid, pinning and counters),
 * or -errno; -EINVAL without CTXPROBE_PP_PROCESS. Only async-signal-safe work runs in the child. */
int32_t ctxprobe_pingpong_fork(ctxprobe_pingpong *pp, int32_t side);
/* Waits up to timeout_ms for the forked `side` to exit (SIGKILL after that) and reaps it. 0 if it
 * exited with status 0; -ETIMEDOUT if it had to be killed; -ECHILD if there is no child for side;
 * a child killed by a signal or exiting non-zero records -EPIPE as the object's error. */
int32_t ctxprobe_pingpong_reap(ctxprobe_pingpong *pp, int32_t side, int64_t timeout_ms);
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
/* Copies side 0's per-batch wall times (batches elements). 0, -EINVAL for NULL, -ENODATA (nothing
 * copied) if side 0 did not finish its measured batches. */
int32_t ctxprobe_pingpong_samples(ctxprobe_pingpong *pp, int64_t *wall_ns);
/* CPU the side ran on (sched_getcpu) at its first (at_end = 0) and at its last (at_end != 0) measured
 * round trip; -EINVAL for a bad side, -ENODATA if that point was never reached. */
int32_t ctxprobe_pingpong_cpu(ctxprobe_pingpong *pp, int32_t side, int32_t at_end);
/* Counter deltas over the measured batches: slot value (perf fd read; -1 if no fd or read failed,
 * and also -1 for a bad side or slot or a run that did not finish). */
int64_t ctxprobe_pingpong_counter_delta(ctxprobe_pingpong *pp, int32_t side, int32_t slot);
/* getrusage(RUSAGE_THREAD) deltas over the measured batches: which 0 = ru_nvcsw, 1 = ru_nivcsw.
 * -1 for a bad side or which, or a run that did not finish. */
int64_t ctxprobe_pingpong_rusage_delta(ctxprobe_pingpong *pp, int32_t side, int32_t which);
/* Frees the object; the caller has joined both threads (and reaped a forked side). */
void    ctxprobe_pingpong_free(ctxprobe_pingpong *pp);

/* The mechanism's own cost, lmbench-style but explicit: on the calling thread, with no partner, one
 * operation is the calls one side makes per handoff (futex: a FUTEX_WAKE with no waiter and a
 * FUTEX_WAIT that finds the word already changed; pipe/eventfd: a write and the read of it on the
 * same object; yield: one sched_yield with nothing else to run; spin: one look at the word). So
 * "switch cost = ping-pong ns per switch - solo ns per op", both measured. Batch protocol as above. */
int32_t ctxprobe_mechanism_solo_run(int32_t mechanism, int64_t warmup, int64_t batches, int64_t ops,
                                    int64_t *wall_ns, int64_t *cpu_ns);

/* ---- create.c: process.create, thread.create, fiber.create (ABI 3) ------------------------------ */

/* (end of create section) */


/* ---- footprint.c: footprint (ABI 3) ------------------------------------------------------------ */

/* An "idle set": N units of one kind that exist and block, doing nothing, so that their memory can be
 * read from the kernel's accounting. Sequence:
 *   s = ctxprobe_idle_new(kind, n, touch_bytes);   (allocates the set's bookkeeping; no unit yet)
 *   ... baseline readings ...
 *   ctxprobe_idle_start(s);  ctxprobe_idle_wait_ready(s, ms);   -> every unit exists and is blocked
 *   ... readings (ctxprobe_idle_id gives each unit's pid/tid) ...
 *   ctxprobe_idle_release(s);  ctxprobe_idle_reap(s, ms);        -> nothing of the units is left
 *   ... "after" readings ...
 *   ctxprobe_idle_free(s).
 * Kinds:
 *   PROCESS: children forked (_Fork) from the calling thread, all signals blocked; each sets
 *            PR_SET_PDEATHSIG(SIGKILL) (it fires when the *calling thread* exits: call from a thread
 *            that outlives the set), checks getppid, reports ready and waits on a shared futex word in
 *            a MAP_SHARED page; released, it _exits(0). Async-signal-safe code only; never returns.
 *   THREAD:  pthread_create with glibc's default attributes (default stack size and guard) and all
 *            signals blocked; each names itself "ctxp-idle", publishes its tid, reports ready and waits
 *            on a private futex word; released, it returns and reap joins it. (glibc may keep a few
 *            joined stacks in its stack cache: those are glibc's, not the set's.)
 *   FIBER:   CTXPROBE_IDLE_FIBER_STACK usable bytes mmap'd per fiber with a PROT_NONE guard page below
 *            (fiber_stack.c); the hand-written switch (fiber_switch.h) enters each fiber once on the
 *            calling thread; the fiber touches `touch_bytes` of its stack below its first frame (one
 *            write per page; 0: only the first frame), reports ready and switches back for good.
 *            Release does nothing; reap unmaps every stack. */
#define CTXPROBE_IDLE_PROCESS 1
#define CTXPROBE_IDLE_THREAD  2
#define CTXPROBE_IDLE_FIBER   3

#define CTXPROBE_IDLE_FIBER_STACK (64 * 1024)  /* usable bytes per fiber stack (as fiber.switch)  */

typedef struct ctxprobe_idle ctxprobe_idle;

/* NULL on bad input (unknown kind, n <= 0, touch_bytes < 0, touch_bytes on a non-fiber kind, or
 * touch_bytes > CTXPROBE_IDLE_FIBER_STACK - 8 KiB: the first frame and the touch loop need room) or
 * allocation failure. */
ctxprobe_idle *ctxprobe_idle_new(int32_t kind, int32_t n, int64_t touch_bytes);
/* Creates the n units. Returns n, or the first -errno (fork/pthread_create/mmap failure; -EBUSY if
 * already started); units created before a failure stay counted (ctxprobe_idle_count) and are torn
 * down by release + reap / free as usual. */
int32_t ctxprobe_idle_start(ctxprobe_idle *s);
/* Units created so far; -EINVAL for NULL. */
int32_t ctxprobe_idle_count(ctxprobe_idle *s);
/* Units that reported ready (blocked, or for fibers suspended); -EINVAL for NULL. */
int32_t ctxprobe_idle_ready(ctxprobe_idle *s);
/* 0 once every created unit reported ready, -ETIMEDOUT, -EINVAL (NULL, negative timeout). */
int32_t ctxprobe_idle_wait_ready(ctxprobe_idle *s, int64_t timeout_ms);
/* Unit i's pid (PROCESS) or kernel tid (THREAD; 0 until that thread published it), 0 for a fiber
 * (no kernel task); -EINVAL for NULL or i outside [0, count). */
int32_t ctxprobe_idle_id(ctxprobe_idle *s, int32_t i);
/* Wakes every unit so that it exits (processes, threads); idempotent. */
void    ctxprobe_idle_release(ctxprobe_idle *s);
/* Releases, then: PROCESS waits up to timeout_ms for every child and reaps it (SIGKILL after the
 * deadline); THREAD joins every thread within timeout_ms; FIBER unmaps every stack. 0; -ETIMEDOUT if
 * a child had to be killed or a thread was not joined in time (free joins it); -EPIPE if a child
 * died or exited non-zero. Idempotent: what is gone is not touched again. */
int32_t ctxprobe_idle_reap(ctxprobe_idle *s, int64_t timeout_ms);
/* Tears down whatever reap did not (kills and reaps children, joins threads, unmaps stacks), then
 * frees the set. NULL is ignored. */
void    ctxprobe_idle_free(ctxprobe_idle *s);

/* (end of footprint section) */


/* ---- ipc.c, isolation.c: ipc.*, isolation (ABI 3) --------------------------------------------- */

/* (end of ipc/isolation section) */


/* ---- blocking.c: blocking (ABI 3) -------------------------------------------------------------- */

/* (end of blocking section) */


#ifdef __cplusplus
}
#endif

#endif /* CTXPROBE_H */
