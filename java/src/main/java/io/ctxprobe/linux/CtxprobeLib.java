package io.ctxprobe.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;

/**
 * The binding of native/include/ctxprobe.h (libctxprobe.so): every function, each prototype above
 * its handle, names in camelCase. Functions that fail return a negative errno, kept as an int for
 * the caller to decide; {@link #check} turns one into a {@link LinuxException}. Sample arrays are
 * caller-owned native segments of {@code batches} int64 values, checked for size before the call
 * because C would write past a short one.
 */
public final class CtxprobeLib {
    private CtxprobeLib() {}

    /** CTXPROBE_ABI_VERSION: NativeLibrary refuses a library reporting another. */
    public static final int ABI_VERSION = 3;

    public static final int FIBER_ASM = 1;
    public static final int FIBER_ASM_NOFPU = 2;
    public static final int FIBER_UCONTEXT = 3;

    public static final int MECH_FUTEX = 1;
    public static final int MECH_PIPE = 2;
    public static final int MECH_EVENTFD = 3;
    public static final int MECH_YIELD = 4;
    public static final int MECH_SPIN = 5;

    /** ctxprobe_pingpong_new2 flags. */
    public static final int PP_PROCESS = 1;
    public static final int PP_FIBER = 2;

    public static final int COUNTER_SLOTS = 4;

    /** rusage delta selectors for {@link #pingpongRusageDelta}. */
    public static final int RUSAGE_NVCSW = 0;
    public static final int RUSAGE_NIVCSW = 1;

    private static Downcall fn(String symbol, FunctionDescriptor fd) {
        return new Downcall(NativeLibrary::lookup, symbol, fd);
    }

    /** Throws {@link LinuxException} (errno = -rc) when {@code rc < 0}; returns rc otherwise. */
    public static int check(String call, int rc) {
        if (rc < 0) {
            throw new LinuxException(call, -rc);
        }
        return rc;
    }

    public static long check(String call, long rc) {
        if (rc < 0) {
            throw new LinuxException(call, (int) -rc);
        }
        return rc;
    }

    /* int32_t ctxprobe_abi_version(void); */
    private static final Downcall ABI = fn("ctxprobe_abi_version", FunctionDescriptor.of(JAVA_INT));

    public static int abiVersion() {
        try {
            return (int) ABI.handle().invokeExact();
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    // ---- clock.c ----------------------------------------------------------------------------------

    /* int64_t ctxprobe_now_ns(void); */
    private static final Downcall NOW_NS = fn("ctxprobe_now_ns", FunctionDescriptor.of(JAVA_LONG));

    /* int64_t ctxprobe_thread_cpu_ns(void); */
    private static final Downcall THREAD_CPU_NS = fn("ctxprobe_thread_cpu_ns", FunctionDescriptor.of(JAVA_LONG));

    /* int64_t ctxprobe_timer_cost_ps(int64_t reads); */
    private static final Downcall TIMER_COST_PS = fn("ctxprobe_timer_cost_ps",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG));

    public static long nowNs() {
        try {
            return (long) NOW_NS.handle().invokeExact();
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    public static long threadCpuNs() {
        try {
            return (long) THREAD_CPU_NS.handle().invokeExact();
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** Median cost of one now_ns read in ps, or a negative errno. */
    public static long timerCostPs(long reads) {
        try {
            return (long) TIMER_COST_PS.handle().invokeExact(reads);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    // ---- cpuid.c ----------------------------------------------------------------------------------

    /* int32_t ctxprobe_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t *out); */
    private static final Downcall CPUID = fn("ctxprobe_cpuid",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));

    /** {eax, ebx, ecx, edx} of CPUID(leaf, subleaf). */
    public static int[] cpuid(int leaf, int subleaf) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_INT, 4);
            int rc = (int) CPUID.handle().invokeExact(leaf, subleaf, out);
            check("ctxprobe_cpuid", rc);
            return out.toArray(JAVA_INT);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    // ---- syscall_loop.c ---------------------------------------------------------------------------

    /* int32_t ctxprobe_syscall_null_run(int64_t warmup, int64_t batches, int64_t ops,
     *                                   int64_t *wall_ns, int64_t *cpu_ns); */
    private static final Downcall SYSCALL_NULL_RUN = fn("ctxprobe_syscall_null_run",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS));

    /** {@code cpu} may be {@link MemorySegment#NULL}. Returns 0 or a negative errno. */
    public static int syscallNullRun(long warmup, long batches, long ops, MemorySegment wall, MemorySegment cpu) {
        checkSamples(batches, wall, cpu);
        try {
            return (int) SYSCALL_NULL_RUN.handle().invokeExact(warmup, batches, ops, wall, cpu);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    // ---- fiber.c + switch_*.S ---------------------------------------------------------------------

    /* int32_t ctxprobe_fiber_switch_run(int32_t kind, int64_t warmup, int64_t batches, int64_t ops,
     *                                   int64_t *wall_ns, int64_t *cpu_ns); */
    private static final Downcall FIBER_SWITCH_RUN = fn("ctxprobe_fiber_switch_run",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS));

    /** {@code kind} is FIBER_ASM, FIBER_ASM_NOFPU or FIBER_UCONTEXT. Returns 0 or a negative errno. */
    public static int fiberSwitchRun(int kind, long warmup, long batches, long ops,
                                     MemorySegment wall, MemorySegment cpu) {
        checkSamples(batches, wall, cpu);
        try {
            return (int) FIBER_SWITCH_RUN.handle().invokeExact(kind, warmup, batches, ops, wall, cpu);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    // ---- pingpong.c -------------------------------------------------------------------------------

    /* ctxprobe_pingpong *ctxprobe_pingpong_new(int32_t mechanism, int64_t warmup, int64_t batches,
     *                                          int64_t ops); */
    private static final Downcall PP_NEW = fn("ctxprobe_pingpong_new",
            FunctionDescriptor.of(ADDRESS, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG));

    /* ctxprobe_pingpong *ctxprobe_pingpong_new2(int32_t mechanism, int32_t flags, int64_t warmup,
     *                                           int64_t batches, int64_t ops); */
    private static final Downcall PP_NEW2 = fn("ctxprobe_pingpong_new2",
            FunctionDescriptor.of(ADDRESS, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG));

    /* int32_t ctxprobe_pingpong_fork(ctxprobe_pingpong *pp, int32_t side); */
    private static final Downcall PP_FORK = fn("ctxprobe_pingpong_fork",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));

    /* int32_t ctxprobe_pingpong_reap(ctxprobe_pingpong *pp, int32_t side, int64_t timeout_ms); */
    private static final Downcall PP_REAP = fn("ctxprobe_pingpong_reap",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG));

    /* int32_t ctxprobe_mechanism_solo_run(int32_t mechanism, int64_t warmup, int64_t batches,
     *                                     int64_t ops, int64_t *wall_ns, int64_t *cpu_ns); */
    private static final Downcall SOLO_RUN = fn("ctxprobe_mechanism_solo_run",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS));

    /* void *ctxprobe_pingpong_side(ctxprobe_pingpong *pp, int32_t side); */
    private static final Downcall PP_SIDE = fn("ctxprobe_pingpong_side",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));

    /* void *ctxprobe_pingpong_main(void *side);   — only its address is used, by pthread_create */
    private static final Downcall PP_MAIN = fn("ctxprobe_pingpong_main",
            FunctionDescriptor.of(ADDRESS, ADDRESS));

    /* int32_t ctxprobe_pingpong_wait_ready(ctxprobe_pingpong *pp, int64_t timeout_ms); */
    private static final Downcall PP_WAIT_READY = fn("ctxprobe_pingpong_wait_ready",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));

    /* int32_t ctxprobe_pingpong_tid(ctxprobe_pingpong *pp, int32_t side); */
    private static final Downcall PP_TID = fn("ctxprobe_pingpong_tid",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));

    /* int32_t ctxprobe_pingpong_set_counter_fd(ctxprobe_pingpong *pp, int32_t side, int32_t slot,
     *                                          int32_t fd); */
    private static final Downcall PP_SET_COUNTER_FD = fn("ctxprobe_pingpong_set_counter_fd",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT));

    /* void ctxprobe_pingpong_go(ctxprobe_pingpong *pp); */
    private static final Downcall PP_GO = fn("ctxprobe_pingpong_go", FunctionDescriptor.ofVoid(ADDRESS));

    /* void ctxprobe_pingpong_abort(ctxprobe_pingpong *pp); */
    private static final Downcall PP_ABORT = fn("ctxprobe_pingpong_abort", FunctionDescriptor.ofVoid(ADDRESS));

    /* int32_t ctxprobe_pingpong_error(ctxprobe_pingpong *pp); */
    private static final Downcall PP_ERROR = fn("ctxprobe_pingpong_error",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));

    /* int32_t ctxprobe_pingpong_samples(ctxprobe_pingpong *pp, int64_t *wall_ns); */
    private static final Downcall PP_SAMPLES = fn("ctxprobe_pingpong_samples",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));

    /* int32_t ctxprobe_pingpong_cpu(ctxprobe_pingpong *pp, int32_t side, int32_t at_end); */
    private static final Downcall PP_CPU = fn("ctxprobe_pingpong_cpu",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));

    /* int64_t ctxprobe_pingpong_counter_delta(ctxprobe_pingpong *pp, int32_t side, int32_t slot); */
    private static final Downcall PP_COUNTER_DELTA = fn("ctxprobe_pingpong_counter_delta",
            FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_INT, JAVA_INT));

    /* int64_t ctxprobe_pingpong_rusage_delta(ctxprobe_pingpong *pp, int32_t side, int32_t which); */
    private static final Downcall PP_RUSAGE_DELTA = fn("ctxprobe_pingpong_rusage_delta",
            FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_INT, JAVA_INT));

    /* void ctxprobe_pingpong_free(ctxprobe_pingpong *pp); */
    private static final Downcall PP_FREE = fn("ctxprobe_pingpong_free", FunctionDescriptor.ofVoid(ADDRESS));

    /**
     * A new ping-pong (opaque handle; free it with {@link #pingpongFree}). The C side returns NULL
     * for bad input or no memory: that becomes an IllegalArgumentException here, since no errno is
     * available to report.
     */
    public static MemorySegment pingpongNew(int mechanism, long warmup, long batches, long ops) {
        MemorySegment pp;
        try {
            pp = (MemorySegment) PP_NEW.handle().invokeExact(mechanism, warmup, batches, ops);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
        if (pp.equals(MemorySegment.NULL)) {
            throw new IllegalArgumentException("ctxprobe_pingpong_new(mechanism=" + mechanism + ", warmup=" + warmup
                    + ", batches=" + batches + ", ops=" + ops + ") returned NULL: bad input or out of memory");
        }
        return pp;
    }

    /** As {@link #pingpongNew} with CTXPROBE_PP_* {@code flags} (process mode, fiber payload). */
    public static MemorySegment pingpongNew2(int mechanism, int flags, long warmup, long batches, long ops) {
        MemorySegment pp;
        try {
            pp = (MemorySegment) PP_NEW2.handle().invokeExact(mechanism, flags, warmup, batches, ops);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
        if (pp.equals(MemorySegment.NULL)) {
            throw new IllegalArgumentException("ctxprobe_pingpong_new2(mechanism=" + mechanism + ", flags=" + flags
                    + ", warmup=" + warmup + ", batches=" + batches + ", ops=" + ops
                    + ") returned NULL: bad input, a flag the mechanism cannot take, or out of memory");
        }
        return pp;
    }

    /**
     * Process mode: forks a child running {@code side}'s body (in C; it never returns into the JVM).
     * Its PR_SET_PDEATHSIG follows the calling thread: call from a thread that outlives the child.
     * Returns the child's pid or a negative errno.
     */
    public static int pingpongFork(MemorySegment pp, int side) {
        try {
            return (int) PP_FORK.handle().invokeExact(pp, side);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** Reaps a forked side within {@code timeoutMs} (SIGKILL after it): 0, -ETIMEDOUT, -ECHILD, -EPIPE. */
    public static int pingpongReap(MemorySegment pp, int side, long timeoutMs) {
        try {
            return (int) PP_REAP.handle().invokeExact(pp, side, timeoutMs);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** The mechanism's calls of one handoff with no partner (batch protocol); 0 or a negative errno. */
    public static int mechanismSoloRun(int mechanism, long warmup, long batches, long ops, MemorySegment wall,
                                       MemorySegment cpu) {
        checkSamples(batches, wall, cpu);
        try {
            return (int) SOLO_RUN.handle().invokeExact(mechanism, warmup, batches, ops, wall, cpu);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** The argument for pthread_create(pingpongMainAddress(), side). */
    public static MemorySegment pingpongSide(MemorySegment pp, int side) {
        try {
            return (MemorySegment) PP_SIDE.handle().invokeExact(pp, side);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** The function pointer of ctxprobe_pingpong_main, the pthread body. */
    public static MemorySegment pingpongMainAddress() {
        return PP_MAIN.address();
    }

    /** 0 when both sides are ready, -ETIMEDOUT, or the first thread's negative errno. */
    public static int pingpongWaitReady(MemorySegment pp, long timeoutMs) {
        try {
            return (int) PP_WAIT_READY.handle().invokeExact(pp, timeoutMs);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    public static int pingpongTid(MemorySegment pp, int side) {
        try {
            return (int) PP_TID.handle().invokeExact(pp, side);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    public static int pingpongSetCounterFd(MemorySegment pp, int side, int slot, int fd) {
        try {
            return (int) PP_SET_COUNTER_FD.handle().invokeExact(pp, side, slot, fd);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    public static void pingpongGo(MemorySegment pp) {
        try {
            PP_GO.handle().invokeExact(pp);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    public static void pingpongAbort(MemorySegment pp) {
        try {
            PP_ABORT.handle().invokeExact(pp);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** 0, or the first negative errno a side hit (-ECANCELED after abort). */
    public static int pingpongError(MemorySegment pp) {
        try {
            return (int) PP_ERROR.handle().invokeExact(pp);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** Copies side 0's per-batch wall times into {@code wall} (at least {@code batches} int64s). */
    public static int pingpongSamples(MemorySegment pp, MemorySegment wall) {
        try {
            return (int) PP_SAMPLES.handle().invokeExact(pp, wall);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** As {@link #pingpongSamples(MemorySegment, MemorySegment)}, into a new array. */
    public static long[] pingpongSamples(MemorySegment pp, long batches) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment wall = arena.allocate(JAVA_LONG, batches);
            check("ctxprobe_pingpong_samples", pingpongSamples(pp, wall));
            return wall.toArray(JAVA_LONG);
        }
    }

    /** The CPU {@code side} ran on at its first ({@code atEnd} false) or last measured round trip. */
    public static int pingpongCpu(MemorySegment pp, int side, boolean atEnd) {
        try {
            return (int) PP_CPU.handle().invokeExact(pp, side, atEnd ? 1 : 0);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    public static long pingpongCounterDelta(MemorySegment pp, int side, int slot) {
        try {
            return (long) PP_COUNTER_DELTA.handle().invokeExact(pp, side, slot);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** {@code which}: RUSAGE_NVCSW (voluntary) or RUSAGE_NIVCSW (involuntary switches). */
    public static long pingpongRusageDelta(MemorySegment pp, int side, int which) {
        try {
            return (long) PP_RUSAGE_DELTA.handle().invokeExact(pp, side, which);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    public static void pingpongFree(MemorySegment pp) {
        try {
            PP_FREE.handle().invokeExact(pp);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    // C writes `batches` int64s: a short segment would be a silent heap overrun.
    // ---- create.c (process.create, thread.create, fiber.create) ----------------------------------

    /** CTXPROBE_CREATE_*: process kinds (processCreateRun), thread kinds, fiber kinds. */
    public static final int CREATE_FORK = 1;
    public static final int CREATE_VFORK = 2;
    public static final int CREATE_CLONE = 3;
    public static final int CREATE_POSIX_SPAWN = 4;
    public static final int CREATE_FORK_EXEC = 5;
    public static final int CREATE_VFORK_EXEC = 6;
    public static final int CREATE_PTHREAD = 11;
    public static final int CREATE_CLONE_THREAD = 12;
    public static final int CREATE_FIBER_FRESH = 21;
    public static final int CREATE_FIBER_POOLED = 22;

    /* int32_t ctxprobe_process_create_run(int32_t kind, const char *exec_path, int64_t warmup,
     *                                     int64_t batches, int64_t ops, int64_t *wall_ns, int64_t *cpu_ns); */
    private static final Downcall PROCESS_CREATE_RUN = fn("ctxprobe_process_create_run",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS));

    /* int32_t ctxprobe_thread_create_run(int32_t kind, int64_t warmup, int64_t batches, int64_t ops,
     *                                    int64_t *wall_ns, int64_t *cpu_ns); */
    private static final Downcall THREAD_CREATE_RUN = fn("ctxprobe_thread_create_run",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS));

    /* int32_t ctxprobe_fiber_create_run(int32_t kind, int64_t warmup, int64_t batches, int64_t ops,
     *                                   int64_t *wall_ns, int64_t *cpu_ns); */
    private static final Downcall FIBER_CREATE_RUN = fn("ctxprobe_fiber_create_run",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS));

    /**
     * Creates and reaps child processes of {@code kind} (CREATE_FORK .. CREATE_VFORK_EXEC) in C, from
     * the calling thread; the exec kinds exec {@code execPath} with the argument "exit" (the helper),
     * others ignore it (may be null). Returns 0 or a negative errno (-EPROTO: a child failed).
     */
    public static int processCreateRun(int kind, String execPath, long warmup, long batches, long ops,
                                       MemorySegment wall, MemorySegment cpu) {
        checkSamples(batches, wall, cpu);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment path = execPath == null ? MemorySegment.NULL : arena.allocateFrom(execPath);
            return (int) PROCESS_CREATE_RUN.handle().invokeExact(kind, path, warmup, batches, ops, wall, cpu);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** Creates and joins kernel threads: CREATE_PTHREAD or CREATE_CLONE_THREAD. 0 or a negative errno. */
    public static int threadCreateRun(int kind, long warmup, long batches, long ops, MemorySegment wall,
                                      MemorySegment cpu) {
        checkSamples(batches, wall, cpu);
        try {
            return (int) THREAD_CREATE_RUN.handle().invokeExact(kind, warmup, batches, ops, wall, cpu);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** Creates, runs once and tears down fibers: CREATE_FIBER_FRESH or CREATE_FIBER_POOLED. */
    public static int fiberCreateRun(int kind, long warmup, long batches, long ops, MemorySegment wall,
                                     MemorySegment cpu) {
        checkSamples(batches, wall, cpu);
        try {
            return (int) FIBER_CREATE_RUN.handle().invokeExact(kind, warmup, batches, ops, wall, cpu);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    // (end of create section)


    // ---- footprint.c -------------------------------------------------------------------------------

    /** ctxprobe_idle_new kinds (CTXPROBE_IDLE_*). */
    public static final int IDLE_PROCESS = 1;
    public static final int IDLE_THREAD = 2;
    public static final int IDLE_FIBER = 3;
    /** CTXPROBE_IDLE_FIBER_STACK: usable bytes of each idle fiber's stack. */
    public static final long IDLE_FIBER_STACK = 64 * 1024;

    /* ctxprobe_idle *ctxprobe_idle_new(int32_t kind, int32_t n, int64_t touch_bytes); */
    private static final Downcall IDLE_NEW = fn("ctxprobe_idle_new",
            FunctionDescriptor.of(ADDRESS, JAVA_INT, JAVA_INT, JAVA_LONG));

    /* int32_t ctxprobe_idle_start(ctxprobe_idle *s); */
    private static final Downcall IDLE_START = fn("ctxprobe_idle_start", FunctionDescriptor.of(JAVA_INT, ADDRESS));

    /* int32_t ctxprobe_idle_count(ctxprobe_idle *s); */
    private static final Downcall IDLE_COUNT = fn("ctxprobe_idle_count", FunctionDescriptor.of(JAVA_INT, ADDRESS));

    /* int32_t ctxprobe_idle_ready(ctxprobe_idle *s); */
    private static final Downcall IDLE_READY = fn("ctxprobe_idle_ready", FunctionDescriptor.of(JAVA_INT, ADDRESS));

    /* int32_t ctxprobe_idle_wait_ready(ctxprobe_idle *s, int64_t timeout_ms); */
    private static final Downcall IDLE_WAIT_READY = fn("ctxprobe_idle_wait_ready",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));

    /* int32_t ctxprobe_idle_id(ctxprobe_idle *s, int32_t i); */
    private static final Downcall IDLE_ID = fn("ctxprobe_idle_id", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));

    /* void ctxprobe_idle_release(ctxprobe_idle *s); */
    private static final Downcall IDLE_RELEASE = fn("ctxprobe_idle_release", FunctionDescriptor.ofVoid(ADDRESS));

    /* int32_t ctxprobe_idle_reap(ctxprobe_idle *s, int64_t timeout_ms); */
    private static final Downcall IDLE_REAP = fn("ctxprobe_idle_reap",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));

    /* void ctxprobe_idle_free(ctxprobe_idle *s); */
    private static final Downcall IDLE_FREE = fn("ctxprobe_idle_free", FunctionDescriptor.ofVoid(ADDRESS));

    /**
     * A new idle set of {@code n} units of {@code kind} (IDLE_*), nothing created yet; free it with
     * {@link #idleFree}. NULL from C (bad input or no memory) becomes an IllegalArgumentException.
     */
    public static MemorySegment idleNew(int kind, int n, long touchBytes) {
        MemorySegment s;
        try {
            s = (MemorySegment) IDLE_NEW.handle().invokeExact(kind, n, touchBytes);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
        if (s.equals(MemorySegment.NULL)) {
            throw new IllegalArgumentException("ctxprobe_idle_new(kind=" + kind + ", n=" + n + ", touch_bytes=" + touchBytes
                    + ") returned NULL: bad input or out of memory");
        }
        return s;
    }

    /** Creates the units (forks / pthread_create / fiber first frames, on the calling thread): n or a negative errno. */
    public static int idleStart(MemorySegment s) {
        try {
            return (int) IDLE_START.handle().invokeExact(s);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** Units created so far. */
    public static int idleCount(MemorySegment s) {
        try {
            return (int) IDLE_COUNT.handle().invokeExact(s);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** Units that reported ready (blocked or suspended). */
    public static int idleReady(MemorySegment s) {
        try {
            return (int) IDLE_READY.handle().invokeExact(s);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** 0 once every created unit is ready, -ETIMEDOUT. */
    public static int idleWaitReady(MemorySegment s, long timeoutMs) {
        try {
            return (int) IDLE_WAIT_READY.handle().invokeExact(s, timeoutMs);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** Unit i's pid (process) or tid (thread), 0 for a fiber; -EINVAL out of range. */
    public static int idleId(MemorySegment s, int i) {
        try {
            return (int) IDLE_ID.handle().invokeExact(s, i);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** Wakes every unit so that it exits; idempotent (an abort action). */
    public static void idleRelease(MemorySegment s) {
        try {
            IDLE_RELEASE.handle().invokeExact(s);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** Releases, then reaps children / joins threads / unmaps fiber stacks: 0, -ETIMEDOUT, -EPIPE. */
    public static int idleReap(MemorySegment s, long timeoutMs) {
        try {
            return (int) IDLE_REAP.handle().invokeExact(s, timeoutMs);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** Tears down whatever is left (kill + reap, join, unmap) and frees the set. */
    public static void idleFree(MemorySegment s) {
        try {
            IDLE_FREE.handle().invokeExact(s);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    // (end of footprint section)


    // ---- ipc.c, isolation.c ------------------------------------------------------------------------

    /** CTXPROBE_MECH_UNIX: a socketpair(AF_UNIX, SOCK_STREAM), 1-byte send / blocking recv (ipc.latency). */
    public static final int MECH_UNIX = 6;

    /** ipc.bandwidth channels (CTXPROBE_IPC_*). */
    public static final int IPC_SHM_THREADS = 1;
    public static final int IPC_PIPE = 2;
    public static final int IPC_UNIX = 3;
    public static final int IPC_SHM_FUTEX = 4;

    /** isolation scenarios (CTXPROBE_ISO_*). */
    public static final int ISO_CHILD_PROCESS = 1;
    public static final int ISO_THREAD = 2;
    public static final int ISO_FIBER = 3;

    /** isolation outcome bits. */
    public static final int ISO_SIBLING_RAN = 1;
    public static final int ISO_FAULTER_KILLED = 2;
    public static final int ISO_PARENT_SURVIVED = 4;
    public static final int ISO_SIBLING_SURVIVED = 8;
    public static final int ISO_PROCESS_KILLED = 16;

    /* int32_t ctxprobe_ipc_bandwidth_run(int32_t channel, int32_t cpu_writer, int32_t cpu_reader,
     *                                    int64_t msg_bytes, int64_t warmup, int64_t batches,
     *                                    int64_t bytes_per_batch, int64_t *wall_ns); */
    private static final Downcall IPC_BANDWIDTH_RUN = fn("ctxprobe_ipc_bandwidth_run",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG,
                    ADDRESS));

    /**
     * Moves (warmup + batches) x bytesPerBatch bytes writer -> reader in msgBytes messages; the reader
     * verifies them. Returns 0 (all verified) or a negative errno (-EBADMSG: wrong bytes delivered).
     */
    public static int ipcBandwidthRun(int channel, int cpuWriter, int cpuReader, long msgBytes, long warmup,
                                      long batches, long bytesPerBatch, MemorySegment wall) {
        checkSamples(batches, wall, MemorySegment.NULL);
        try {
            return (int) IPC_BANDWIDTH_RUN.handle().invokeExact(channel, cpuWriter, cpuReader, msgBytes, warmup,
                    batches, bytesPerBatch, wall);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /* int32_t ctxprobe_isolation_run(int32_t scenario, int64_t *notice_ns, int32_t *outcome_bits,
     *                                int32_t *signal); */
    private static final Downcall ISOLATION_RUN = fn("ctxprobe_isolation_run",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, ADDRESS));

    /** One isolation repetition: what survived a fault, the signal, and fault-to-notice ns. */
    public record IsolationOutcome(long noticeNs, int bits, int signal) {
        public boolean has(int bit) {
            return (bits & bit) != 0;
        }
    }

    /** Throws {@link LinuxException} on a negative return. */
    public static IsolationOutcome isolationRun(int scenario) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment notice = arena.allocate(JAVA_LONG);
            MemorySegment bits = arena.allocate(JAVA_INT);
            MemorySegment signal = arena.allocate(JAVA_INT);
            int rc = (int) ISOLATION_RUN.handle().invokeExact(scenario, notice, bits, signal);
            check("ctxprobe_isolation_run", rc);
            return new IsolationOutcome(notice.get(JAVA_LONG, 0), bits.get(JAVA_INT, 0), signal.get(JAVA_INT, 0));
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    // (end of ipc/isolation section)


    // ---- blocking.c --------------------------------------------------------------------------------

    public static final int BLOCKING_READ = 1;
    public static final int BLOCKING_EPOLL = 2;

    /* int32_t ctxprobe_blocking_fibers_run(int32_t mode, int32_t workers, int64_t delay_ns,
     *                                      int64_t *longest_stall_ns, int64_t *progress_steps,
     *                                      int64_t *elapsed_ns, int64_t *switches); */
    private static final Downcall BLOCKING_FIBERS_RUN = fn("ctxprobe_blocking_fibers_run",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, ADDRESS));

    /** One run of the M:1 blocking-fibers scheduler; what C reported, in ns (switches: getrusage(RUSAGE_THREAD)). */
    public record BlockingFibersRun(long longestStallNs, long progressSteps, long elapsedNs,
                                    long voluntarySwitches, long involuntarySwitches) {}

    /** Throws {@link LinuxException} on a negative errno. */
    public static BlockingFibersRun blockingFibersRun(int mode, int workers, long delayNs) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_LONG, 5);
            int rc = (int) BLOCKING_FIBERS_RUN.handle().invokeExact(mode, workers, delayNs, out,
                    out.asSlice(8), out.asSlice(16), out.asSlice(24));
            check("ctxprobe_blocking_fibers_run", rc);
            long[] v = out.toArray(JAVA_LONG);
            return new BlockingFibersRun(v[0], v[1], v[2], v[3], v[4]);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    // (end of blocking section)


    // ---- tlb_*.c: tlb.reach, tlb.switch (ABI 3) ----------------------------------------------------

    public static final int TLB_SPARSE_4K = 1;
    public static final int TLB_PACKED = 2;
    public static final int TLB_SPARSE_THP = 3;
    public static final int TLB_SPARSE_HUGETLB = 4;

    public static final int TLBEV_NONE = 0;
    public static final int TLBEV_NULL_SYSCALL = 1;
    public static final int TLBEV_FIBER_ASM = 2;
    public static final int TLBEV_FIBER_UCONTEXT = 3;
    public static final int TLBEV_THREAD_ROUNDTRIP = 4;
    public static final int TLBEV_PROCESS_ROUNDTRIP = 5;

    /* int32_t ctxprobe_tlb_chase_run(int32_t layout, int64_t pages, int64_t warmup, int64_t batches,
     *                                int64_t ops, int64_t *wall_ns, int64_t *huge_kib); */
    private static final Downcall TLB_CHASE_RUN = fn("ctxprobe_tlb_chase_run",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS));

    /** Returns 0 or a negative errno (callers decide: hugetlbfs's -ENOMEM is a skip, not a failure). */
    public static int tlbChaseRun(int layout, long pages, long warmup, long batches, long ops, MemorySegment wall,
                                  MemorySegment hugeKib) {
        checkSamples(batches, wall, MemorySegment.NULL);
        try {
            return (int) TLB_CHASE_RUN.handle().invokeExact(layout, pages, warmup, batches, ops, wall, hugeKib);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /* int64_t ctxprobe_tlb_chase_verify(int32_t layout, int64_t pages); */
    private static final Downcall TLB_CHASE_VERIFY = fn("ctxprobe_tlb_chase_verify",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG));

    /** The chase's cycle length (== pages when it is one cycle through every line), or a negative errno. */
    public static long tlbChaseVerify(int layout, long pages) {
        try {
            return (long) TLB_CHASE_VERIFY.handle().invokeExact(layout, pages);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /* int32_t ctxprobe_tlb_switch_run(int32_t event, int32_t packed, int64_t pages, int64_t warmup,
     *                                 int64_t batches, int64_t passes, int64_t *wall_ns); */
    private static final Downcall TLB_SWITCH_RUN = fn("ctxprobe_tlb_switch_run",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS));

    /** Returns 0 or a negative errno. */
    public static int tlbSwitchRun(int event, boolean packed, long pages, long warmup, long batches, long passes,
                                   MemorySegment wall) {
        checkSamples(batches, wall, MemorySegment.NULL);
        try {
            return (int) TLB_SWITCH_RUN.handle().invokeExact(event, packed ? 1 : 0, pages, warmup, batches, passes, wall);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    // (end of tlb section)


    private static void checkSamples(long batches, MemorySegment wall, MemorySegment cpu) {
        long need = Math.multiplyExact(Math.max(batches, 0), 8L);
        if (wall.byteSize() < need || (!cpu.equals(MemorySegment.NULL) && cpu.byteSize() < need)) {
            throw new IllegalArgumentException("sample arrays must hold " + batches + " int64 values");
        }
    }
}
