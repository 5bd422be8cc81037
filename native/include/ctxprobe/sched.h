/*
 * ctxprobe/sched.h — the preemptive side: sched.slice (sched_slice.c), sched.wakeup
 * (sched_wakeup.c), fiber.preempt (fiber_preempt.c and fiber_preempt_regs.c on the signal-driven
 * scheduler of preempt_sched.c; preempt_regs_x86_64_sysv_elf_gas.S). Java: NativeSched.
 * Part of ctxprobe.h.
 *
 * Every run here is bounded by its own duration (a hard cap per function, below) and checks
 * `abort` (may be NULL; set non-zero from another thread to end a thread-mode run early). Every
 * thread, child, timer, signal disposition and mapping a run creates is gone when it returns.
 */
#ifndef CTXPROBE_SCHED_H
#define CTXPROBE_SCHED_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- sched.slice ------------------------------------------------------------------------------ */

/* Who stamps: two pthreads, or two processes forked through child.c (shared mapping). */
#define CTXPROBE_SLICE_THREADS    1
#define CTXPROBE_SLICE_PROCESSES  2

/* Policy of both sides: SCHED_OTHER with each side's nice value, or SCHED_RR priority 1. */
#define CTXPROBE_SLICE_POLICY_OTHER  0
#define CTXPROBE_SLICE_POLICY_RR     2

/* An RR run is refused above this duration: the two hogs take one CPU whole, so they stay well
 * under the default RT throttling budget (sched_rt_runtime_us 950000 per 1 s period). */
#define CTXPROBE_SLICE_RR_MAX_NS  800000000LL
#define CTXPROBE_SLICE_MAX_NS     5000000000LL

/* out[] of ctxprobe_sched_slice_run (CTXPROBE_SLICE_OUT_COUNT elements). */
#define CTXPROBE_SLICE_OUT_RUNS_A      0  /* runs recorded by side A (pairs in runs_a)            */
#define CTXPROBE_SLICE_OUT_RUNS_B      1
#define CTXPROBE_SLICE_OUT_NIVCSW_A    2  /* involuntary switches of A over its loop (getrusage)  */
#define CTXPROBE_SLICE_OUT_NVCSW_A     3  /* voluntary switches of A over its loop                 */
#define CTXPROBE_SLICE_OUT_NIVCSW_B    4
#define CTXPROBE_SLICE_OUT_NVCSW_B     5
#define CTXPROBE_SLICE_OUT_RR_NS       6  /* sched_rr_get_interval of side A under RR; -1 else     */
#define CTXPROBE_SLICE_OUT_TRUNCATED   7  /* 1 when a side filled its buffer (runs stop there)     */
#define CTXPROBE_SLICE_OUT_CPU_A       8  /* sched_getcpu of A at its loop's end                  */
#define CTXPROBE_SLICE_OUT_CPU_B       9
#define CTXPROBE_SLICE_OUT_COUNT      10

/* Two CPU-bound sides pinned to `cpu`, each stamping CLOCK_MONOTONIC in a tight loop for
 * duration_ns after a common start. A side records a "run" (start, end) of consecutive stamps;
 * a new run starts whenever two consecutive stamps lie more than gap_ns apart (the side did not
 * run in between: the other side, an interrupt, a steal). Which gaps were turns of the other side
 * is decided by interleaving the two timelines (the caller's job). runs_a / runs_b: 2 * max_runs
 * int64 each (start, end, start, end, ...). A side sets its policy and nice itself (nice_a,
 * nice_b: -20..19, only for POLICY_OTHER).
 * 0, or -EINVAL (bad mode, policy, cpu, duration, gap, max_runs, NULL buffer), -EPERM (the policy
 * or a lower nice was refused: RR needs CAP_SYS_NICE or RLIMIT_RTPRIO, and an RT budget in its
 * cgroup), -ETIMEDOUT (a side did not start within 5 s), -ECHILD/-EPIPE (a child died), -errno. */
int32_t ctxprobe_sched_slice_run(int32_t mode, int32_t cpu, int32_t policy, int32_t nice_a, int32_t nice_b,
                                 int64_t duration_ns, int64_t gap_ns, int32_t max_runs,
                                 int64_t *runs_a, int64_t *runs_b, int64_t *out, const int32_t *abort);

/* ---- sched.wakeup ----------------------------------------------------------------------------- */

/* What wakes the sleeper: a futex word changed and FUTEX_WAKEd by a waker thread on waker_cpu
 * (latency = sleeper's stamp - waker's stamp taken just before the wake), or its own absolute
 * clock_nanosleep (latency = stamp after it returns - the expiry asked for, as cyclictest). */
#define CTXPROBE_WAKEUP_FUTEX  1
#define CTXPROBE_WAKEUP_TIMER  2

#define CTXPROBE_WAKEUP_MAX     100000
#define CTXPROBE_WAKEUP_MAX_NS  10000000000LL   /* wakeups * period_ns */

/* out[] of ctxprobe_sched_wakeup_run. */
#define CTXPROBE_WAKEUP_OUT_SERVED       0  /* latencies written                                   */
#define CTXPROBE_WAKEUP_OUT_NOT_SLEPT    1  /* futex waits that found the word changed (not a
                                               wake-up; not in latency_ns)                        */
#define CTXPROBE_WAKEUP_OUT_HOG_NIVCSW   2  /* the hog's involuntary switches over the run; -1 none */
#define CTXPROBE_WAKEUP_OUT_HOG_NVCSW    3
#define CTXPROBE_WAKEUP_OUT_SLEEPER_NVCSW  4 /* the sleeper's voluntary switches                   */
#define CTXPROBE_WAKEUP_OUT_SLEEPER_NIVCSW 5
#define CTXPROBE_WAKEUP_OUT_SLEEPER_CPU  6  /* sched_getcpu of the sleeper after its last wake-up  */
#define CTXPROBE_WAKEUP_OUT_HOG_CPU      7  /* of the hog at its end; -1 none                     */
#define CTXPROBE_WAKEUP_OUT_SLEEPER_RUN_NS 8 /* the sleeper's CPU time over its loop (thread clock) */
#define CTXPROBE_WAKEUP_OUT_HOG_RUN_NS   9  /* the hog's CPU time over its loop; -1 none           */
#define CTXPROBE_WAKEUP_OUT_WALL_NS     10  /* the sleeper's loop, wall clock: the hog's CPU time
                                               plus the sleeper's against it tells whether a third
                                               task shared the CPU                                 */
#define CTXPROBE_WAKEUP_OUT_COUNT       11

/* A sleeper thread pinned to sleeper_cpu is woken `wakeups` times, period_ns apart (its timer slack
 * set to 1 ns: the default 50 us of SCHED_OTHER would be added to every timer expiry); hog != 0 adds
 * a SCHED_OTHER thread spinning on sleeper_cpu for the whole run; fifo != 0 makes the sleeper
 * SCHED_FIFO priority 1. waker_cpu: the FUTEX waker's CPU (ignored for TIMER). latency_ns:
 * `wakeups` elements. 0, or -EINVAL, -EPERM (SCHED_FIFO refused), -errno. */
int32_t ctxprobe_sched_wakeup_run(int32_t source, int32_t sleeper_cpu, int32_t waker_cpu, int32_t hog,
                                  int32_t fifo, int32_t wakeups, int64_t period_ns, int64_t *latency_ns,
                                  int64_t *out, const int32_t *abort);

/* ---- fiber.preempt ---------------------------------------------------------------------------- */

/* How two fibers on the calling thread take turns: a per-thread timer signal whose handler
 * switches fibers (timer_create(CLOCK_MONOTONIC, SIGEV_THREAD_ID), periodic at slice_ns), or each
 * fiber yielding (the hand-written switch) once its turn has lasted slice_ns. */
#define CTXPROBE_PREEMPT_SIGNAL  1
#define CTXPROBE_PREEMPT_YIELD   2

#define CTXPROBE_PREEMPT_MIN_SLICE_NS  10000LL
#define CTXPROBE_PREEMPT_MAX_NS        5000000000LL

/* out[] of ctxprobe_sched_fiber_preempt_run. */
#define CTXPROBE_PREEMPT_OUT_GAPS       0  /* gaps written: last stamp of one fiber to the first of
                                              the other = the switch as the fibers see it         */
#define CTXPROBE_PREEMPT_OUT_TURNS      1  /* turns written: a fiber's first to last stamp         */
#define CTXPROBE_PREEMPT_OUT_SIGNALS    2  /* timer signals handled (SIGNAL)                       */
#define CTXPROBE_PREEMPT_OUT_SWITCHES   3  /* fiber switches (by the handler or by yields)         */
#define CTXPROBE_PREEMPT_OUT_ELAPSED_NS 4  /* first stamp to the end                              */
#define CTXPROBE_PREEMPT_OUT_SIGNO      5  /* the real-time signal used; 0 for YIELD               */
#define CTXPROBE_PREEMPT_OUT_NVCSW      6  /* the thread's voluntary switches over the run         */
#define CTXPROBE_PREEMPT_OUT_NIVCSW     7  /* the thread's involuntary switches over the run       */
#define CTXPROBE_PREEMPT_OUT_COUNT      8

/* Two fibers on the calling thread each loop "stamp CLOCK_MONOTONIC" for duration_ns, switched
 * every slice_ns. gap_ns, turn_ns: max_samples elements each (samples past that are dropped).
 * Pin the thread first: the figures are for one CPU. 0, or -EINVAL, -EBUSY (another preemptive
 * run is active in this process, or no free real-time signal), -errno of timer_create/sigaction. */
int32_t ctxprobe_sched_fiber_preempt_run(int32_t mode, int64_t slice_ns, int64_t duration_ns,
                                         int32_t max_samples, int64_t *gap_ns, int64_t *turn_ns,
                                         int64_t *out, const int32_t *abort);

/* out[] of ctxprobe_sched_fiber_regs_run. */
#define CTXPROBE_REGS_OUT_PREEMPTED_A   0  /* preemptions of fiber A                                */
#define CTXPROBE_REGS_OUT_PREEMPTED_B   1
#define CTXPROBE_REGS_OUT_IN_WINDOW_A   2  /* of those, inside A's filled-register window, and that
                                              window compared afterwards                           */
#define CTXPROBE_REGS_OUT_IN_WINDOW_B   3
#define CTXPROBE_REGS_OUT_WINDOWS_A     4  /* windows A checked                                     */
#define CTXPROBE_REGS_OUT_WINDOWS_B     5
#define CTXPROBE_REGS_OUT_MISMATCHES    6  /* windows whose registers or signal mask differed       */
#define CTXPROBE_REGS_OUT_FIRST_BAD     7  /* CTXPROBE_REGS_* of the first difference; -1 none      */
#define CTXPROBE_REGS_OUT_TIMED_OUT     8  /* 1 when timeout_ns passed before the preemptions       */
#define CTXPROBE_REGS_OUT_AVX           9  /* 1 when ymm upper halves were filled and checked       */
#define CTXPROBE_REGS_OUT_SIGNALS      10
#define CTXPROBE_REGS_OUT_COUNT        11

/* Register indexes in CTXPROBE_REGS_OUT_FIRST_BAD: 0-14 the general registers in the order
 * rax rbx rcx rdx rsi rdi rbp r8 .. r15, then these, then the vector registers from VEC + n. */
#define CTXPROBE_REGS_RFLAGS   15
#define CTXPROBE_REGS_MXCSR    16
#define CTXPROBE_REGS_X87CW    17
#define CTXPROBE_REGS_SIGMASK  18
#define CTXPROBE_REGS_VEC      19

/* Two fibers on the calling thread, preempted every interval_ns by the timer signal, each fill
 * every general register, the flags (CF PF AF ZF SF OF DF), xmm0-15 (ymm0-15 where AVX is
 * enabled), MXCSR and the x87 control word with their own known values and block their own extra
 * signal, spin, then dump and compare everything, until each fiber was preempted `preemptions`
 * times inside its window or timeout_ns passed.
 * corrupt: -1 normally; a CTXPROBE_REGS_* index (a general register, RFLAGS, MXCSR, X87CW,
 * SIGMASK or VEC + n for xmm n) makes the handler alter that register in fiber A's saved signal
 * frame at its first preemption inside the window: the negative control, showing that a register
 * the kernel failed to restore would be caught.
 * x86-64 only: -ENOSYS elsewhere. 0 (see out[] for the verdict), or -EINVAL, -EBUSY, -errno. */
int32_t ctxprobe_sched_fiber_regs_run(int64_t interval_ns, int64_t preemptions, int64_t timeout_ns,
                                      int32_t corrupt, int64_t *out);

#ifdef __cplusplus
}
#endif

#endif /* CTXPROBE_SCHED_H */
