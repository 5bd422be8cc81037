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

/* Creation kinds. Process kinds go to ctxprobe_process_create_run (create.c, also linked into the
 * small helper executable build/ctxprobe-helper), thread kinds to ctxprobe_thread_create_run
 * (thread_create.c + clone_x86_64_sysv_elf_gas.S), fiber kinds to ctxprobe_fiber_create_run
 * (fiber_create.c); each returns -EINVAL for a kind that is not its own. */
#define CTXPROBE_CREATE_FORK          1  /* _Fork (the system call, no atfork handlers); child _exit(0) */
#define CTXPROBE_CREATE_VFORK         2  /* vfork; child _exit(0)                                      */
#define CTXPROBE_CREATE_CLONE         3  /* raw syscall(SYS_clone, SIGCHLD, 0...): fork without libc  */
#define CTXPROBE_CREATE_POSIX_SPAWN   4  /* posix_spawn(exec_path, {exec_path, "exit"}, env {})        */
#define CTXPROBE_CREATE_FORK_EXEC     5  /* _Fork + execve(exec_path, ...)                              */
#define CTXPROBE_CREATE_VFORK_EXEC    6  /* vfork + execve(exec_path, ...)                              */
#define CTXPROBE_CREATE_PTHREAD       11 /* pthread_create(empty body) + pthread_join                  */
#define CTXPROBE_CREATE_CLONE_THREAD  12 /* raw clone(CLONE_VM|..|CLONE_THREAD|CLEARTID|SETTID) on an
                                            mmap'd stack; asm child SYS_exits; futex join          */
#define CTXPROBE_CREATE_FIBER_FRESH   21 /* mmap stack + guard, first frame, switch in and back, munmap */
#define CTXPROBE_CREATE_FIBER_POOLED  22 /* the same on one reused stack                              */

/* One op = create a child process of `kind`, which exits at once (or execs exec_path with the
 * single argument "exit": a program that must _exit(0) at once, e.g. ctxprobe-helper), and reap
 * it with waitpid, checking it exited with status 0. exec_path is needed by the three exec kinds
 * only (else may be NULL). All signals are blocked on the calling thread for the run (outside the
 * timed batches) and children inherit that mask. At most one child exists at a time; each is
 * reaped before the next is created and before any return. Returns 0, -EINVAL (unknown kind,
 * missing exec_path, bad batch arguments), -EPROTO (a child died or exited non-zero, e.g. 127 when
 * its exec failed), or the -errno of a failed creation or wait. Batch protocol as above. */
int32_t ctxprobe_process_create_run(int32_t kind, const char *exec_path, int64_t warmup,
                                    int64_t batches, int64_t ops, int64_t *wall_ns, int64_t *cpu_ns);

/* One op = create a kernel thread of `kind` (PTHREAD or CLONE_THREAD) and join it. All signals are
 * blocked on the calling thread for the run (a raw clone child runs on the caller's TLS and must
 * never run a handler). Returns 0, -EINVAL, -EPROTO (a raw thread was joined without having run),
 * or the -errno of a failed create or join. Batch protocol as above. */
int32_t ctxprobe_thread_create_run(int32_t kind, int64_t warmup, int64_t batches, int64_t ops,
                                   int64_t *wall_ns, int64_t *cpu_ns);

/* One op = create a fiber of `kind` (FIBER_FRESH or FIBER_POOLED) on a 64 KiB stack, switch into
 * it once, it switches back, tear it down. Returns 0, -EINVAL, -EPROTO (a fiber's body did not
 * run), or the -errno of a failed mmap / mprotect. Batch protocol as above. */
int32_t ctxprobe_fiber_create_run(int32_t kind, int64_t warmup, int64_t batches, int64_t ops,
                                  int64_t *wall_ns, int64_t *cpu_ns);

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

/* Mechanism unix (pp_mech_unix.c, ipc.latency): one socketpair(AF_UNIX, SOCK_STREAM) between the
 * sides; a 1-byte send hands the token over, a blocking 1-byte recv waits for it. Thread and
 * process mode; solo: send on one end, receive on the other. */
#define CTXPROBE_MECH_UNIX    6

/* ipc.bandwidth channels: how a writer moves data to a reader. */
#define CTXPROBE_IPC_SHM_THREADS 1 /* two threads of this process: a ring of message slots in
                                      private memory, spin-then-futex flags (private futexes)      */
#define CTXPROBE_IPC_PIPE        2 /* a forked writer process, a pipe (default capacity), a reader
                                      thread here                                                 */
#define CTXPROBE_IPC_UNIX        3 /* a forked writer process, socketpair(AF_UNIX, SOCK_STREAM),
                                      a reader thread here                                         */
#define CTXPROBE_IPC_SHM_FUTEX   4 /* a forked writer process, the same ring in a MAP_SHARED mapping,
                                      shared futexes                                              */

/* Moves (warmup + batches) x bytes_per_batch bytes from a writer to a reader in messages of
 * msg_bytes (a multiple of 8, 64..16 MiB; bytes_per_batch a multiple of msg_bytes). The reader is a
 * thread created here, the writer a thread (SHM_THREADS) or a child forked from the calling thread
 * (PR_SET_PDEATHSIG(SIGKILL), all signals blocked, _exit); each pins itself with sched_setaffinity to
 * cpu_writer / cpu_reader (< 0: not pinned). The reader copies every message into its own buffer
 * and verifies it: the message's sequence number stamped in its first and last 8 bytes, and the sum
 * of its words; after the last message a pipe or socket must be at end-of-file. wall_ns[i]: the
 * reader's CLOCK_MONOTONIC time for measured batch i (the stream never pauses between batches).
 * Everything (threads, child, fds, mappings) is gone on return. Returns 0 (all data verified),
 * -EINVAL, -EBADMSG (wrong bytes delivered), -EPIPE (the writer died or failed), -ETIMEDOUT (no
 * progress for 30 s: both sides stopped), or another -errno. */
int32_t ctxprobe_ipc_bandwidth_run(int32_t channel, int32_t cpu_writer, int32_t cpu_reader,
                                   int64_t msg_bytes, int64_t warmup, int64_t batches,
                                   int64_t bytes_per_batch, int64_t *wall_ns);

/* isolation: what a fault takes down. One repetition of a scenario in a sacrificial child forked
 * from the calling thread (PR_SET_PDEATHSIG(SIGKILL), core dumps off: RLIMIT_CORE 0 and
 * PR_SET_DUMPABLE 0, SIGSEGV back to SIG_DFL). The faulting code writes CLOCK_MONOTONIC into a shared
 * mapping, then stores through a NULL pointer. */
#define CTXPROBE_ISO_CHILD_PROCESS 1 /* the sacrificial process forks two grandchildren; one faults;
                                        it notices with waitpid and checks the other with kill(0) */
#define CTXPROBE_ISO_THREAD        2 /* it runs two extra pthreads; one faults; the caller notices
                                        with waitpid on the sacrificial process                    */
#define CTXPROBE_ISO_FIBER         3 /* it runs two fibers on its one thread; one faults; the caller
                                        notices with waitpid                                      */

/* outcome_bits */
#define CTXPROBE_ISO_SIBLING_RAN      1  /* the other grandchild / thread / fiber ran before the fault */
#define CTXPROBE_ISO_FAULTER_KILLED   2  /* the faulting process (or its process) died of a signal  */
#define CTXPROBE_ISO_PARENT_SURVIVED  4  /* the sacrificial process lived on after the fault and
                                            exited 0 once it had reaped everything                */
#define CTXPROBE_ISO_SIBLING_SURVIVED 8  /* the other grandchild / thread was alive at the notice */
#define CTXPROBE_ISO_PROCESS_KILLED   16 /* the sacrificial process itself died of a signal       */

/* One repetition. *notice_ns: ns from the fault's timestamp to the noticer's CLOCK_MONOTONIC read
 * right after waitpid returned (child-process: the sacrificial process; thread, fiber: the caller,
 * waiting on a pidfd where the kernel has one); *signal: the signal that killed the faulter (0 if
 * none). Children and grandchildren are reaped or killed before return (30 s deadline). 0, -EINVAL
 * (unknown scenario, NULL pointer), -ETIMEDOUT, -EPROTO (the sacrificial process failed before the
 * fault), or another -errno. */
int32_t ctxprobe_isolation_run(int32_t scenario, int64_t *notice_ns, int32_t *outcome_bits,
                               int32_t *signal);

/* (end of ipc/isolation section) */


/* ---- blocking.c: blocking (ABI 3) -------------------------------------------------------------- */

/* A cooperative M:1 fiber scheduler on the calling thread: `workers` worker fibers (1..64) each loop
 * "count one step (CLOCK_MONOTONIC), yield"; one blocker fiber reads one byte from a pipe that a
 * feeder pthread writes delay_ns after the run starts (absolute CLOCK_MONOTONIC deadline).
 *   CTXPROBE_BLOCKING_READ:  a plain blocking read(2): the whole thread sleeps in the kernel, so no
 *                            worker runs until it returns;
 *   CTXPROBE_BLOCKING_EPOLL: the pipe is O_NONBLOCK; on EAGAIN the blocker registers the fd with an
 *                            epoll set and yields; the scheduler polls the set (timeout 0) once per
 *                            cycle and resumes the blocker when it is readable (it would block in
 *                            epoll_wait only if every fiber waited on I/O, which never happens with
 *                            a worker present).
 * The run ends once the blocker has its byte and every worker has stepped once more (closing the
 * last gap). Outputs: *longest_stall_ns: the longest time between two consecutive progress steps of
 * any worker (from the run's start to the first step included); *progress_steps: worker steps in the
 * run; *elapsed_ns: run start to the last step; switches (NULL or 2 elements): the calling thread's
 * getrusage(RUSAGE_THREAD) voluntary and involuntary switch deltas over the run.
 * Everything (feeder joined, pipe and epoll fds closed, stacks unmapped) is released before return.
 * 0 or a negative errno: -EINVAL for a bad mode, workers, delay_ns (<= 0 or > 60 s) or NULL output,
 * -EPIPE if the pipe reached end of file without the byte (the feeder failed). */
#define CTXPROBE_BLOCKING_READ   1
#define CTXPROBE_BLOCKING_EPOLL  2

int32_t ctxprobe_blocking_fibers_run(int32_t mode, int32_t workers, int64_t delay_ns,
                                     int64_t *longest_stall_ns, int64_t *progress_steps,
                                     int64_t *elapsed_ns, int64_t *switches);

/* (end of blocking section) */


/* ---- tlb_*.c: tlb.reach, tlb.switch (ABI 3) ---- */

/* Layouts of a pointer chase over N "pages" (tlb_reach.c). Every layout is one random single cycle
 * (Sattolo's shuffle) through N cache lines; each load's address is the value the previous load
 * returned.
 *   SPARSE_4K:      one line per 4 KiB page, N pages, madvise(MADV_NOHUGEPAGE); the line within
 *                   page i is i mod 64, so the lines spread over every cache set;
 *   PACKED:         the same N lines contiguous (N/64 pages, 4 KiB pages): the cache control;
 *   SPARSE_THP:     SPARSE_4K's geometry in a 2 MiB aligned region with madvise(MADV_HUGEPAGE);
 *   SPARSE_HUGETLB: SPARSE_4K's geometry in a MAP_HUGETLB mapping (2 MiB pages, needs
 *                   /proc/sys/vm/nr_hugepages > 0: -ENOMEM otherwise). */
#define CTXPROBE_TLB_SPARSE_4K       1
#define CTXPROBE_TLB_PACKED          2
#define CTXPROBE_TLB_SPARSE_THP      3
#define CTXPROBE_TLB_SPARSE_HUGETLB  4

/* Batch protocol with ops = dependent loads per batch (no cpu_ns: nothing but the chase runs in a
 * batch). Memory is mapped and every line written before the first batch, and unmapped before
 * return. huge_kib (may be NULL): the mapping's AnonHugePages (THP) or its whole size (hugetlbfs)
 * in KiB from /proc/self/smaps, read before timing (-1 if smaps could not be read).
 * 0 or a negative errno: -EINVAL for a bad layout or pages outside [2, 1<<24], -ENOMEM when the
 * mapping (hugetlbfs: the huge page reservation) fails. */
int32_t ctxprobe_tlb_chase_run(int32_t layout, int64_t pages, int64_t warmup, int64_t batches,
                               int64_t ops, int64_t *wall_ns, int64_t *huge_kib);

/* Test aid: builds the chase for (layout, pages), walks it once from its head and returns the cycle
 * length if the walk visited every line exactly once and came back to the head (so it equals pages),
 * -EFAULT if the permutation is not one cycle, -EXDEV if a sparse layout put two lines in one 4 KiB
 * page, or the run function's errors. Unmaps before return. */
int64_t ctxprobe_tlb_chase_verify(int32_t layout, int64_t pages);

/* Events between two timed passes (tlb_switch.c). */
#define CTXPROBE_TLBEV_NONE              0
#define CTXPROBE_TLBEV_NULL_SYSCALL      1 /* raw syscall(SYS_getppid)                               */
#define CTXPROBE_TLBEV_FIBER_ASM         2 /* hand-written fiber switch there and back               */
#define CTXPROBE_TLBEV_FIBER_UCONTEXT    3 /* swapcontext there and back                             */
#define CTXPROBE_TLBEV_THREAD_ROUNDTRIP  4 /* futex handoff to a thread of this process on the same
                                              CPU, and back                                          */
#define CTXPROBE_TLBEV_PROCESS_ROUNDTRIP 5 /* the same with a forked child (PR_SET_PDEATHSIG, reaped)*/

/* A working set of `pages` lines (one per 4 KiB page, or packed into pages/64 pages when packed != 0)
 * chased once to warm it; then per pass: one event, then ONE timed pass over the whole cycle
 * (CLOCK_MONOTONIC, vDSO, read just before and after the pass: the event's own time is outside).
 * Batch protocol with ops = passes: wall_ns[b] is the sum of the batch's pass times. The caller's
 * thread should be pinned: the partner thread or child is pinned to the CPU the caller is on.
 * Everything (partner joined, child reaped, memory unmapped) is released before return.
 * 0 or a negative errno (-EINVAL for a bad event, pages outside [2, 1<<20] or batch arguments). */
int32_t ctxprobe_tlb_switch_run(int32_t event, int32_t packed, int64_t pages, int64_t warmup,
                                int64_t batches, int64_t passes, int64_t *wall_ns);

/* (end of tlb section) */


#ifdef __cplusplus
}
#endif

#endif /* CTXPROBE_H */
