package io.ctxprobe.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.util.Optional;

/**
 * The binding of native/include/ctxprobe/pingpong.h, and its typed face: two parties that bounce a
 * token in libctxprobe (thread.switch, process.switch, cache.c2c, ipc.latency, fiber migration).
 * Side 0 is always a kernel thread created from Java with pthread_create (body:
 * ctxprobe_pingpong_main). Side 1 is another such thread, or — in {@link Mode#PROCESS} — a child
 * process forked inside libctxprobe (it never returns into the JVM), created from the calling
 * thread, which must outlive it (PR_SET_PDEATHSIG follows the creating thread). Life cycle:
 * {@link #start} (threads created, both ready and waiting, tids known) → pin and attach counters →
 * {@link #go} → {@link #join} → read results → {@link #close}. {@link #abort} may be called from any
 * thread at any time and makes both threads return; a forked side that dies aborts the run at once
 * ({@link #childEnd} then says how it ended, {@link #roundTrips} after how many round trips).
 */
public final class NativePingPong implements AutoCloseable {

    public static final int PING = 0;
    public static final int PONG = 1;

    /** Perf counter fds per side ({@link #counterFd} slots). */
    @CDefine("CTXPROBE_COUNTER_SLOTS")
    public static final int COUNTER_SLOTS = 4;

    /** _child_end's "not yet" (errno.h). */
    @CDefine("ENODATA")
    static final int ENODATA = 61;

    @CDefine("CTXPROBE_RUSAGE_NVCSW")
    static final int RUSAGE_NVCSW = 0;
    @CDefine("CTXPROBE_RUSAGE_NIVCSW")
    static final int RUSAGE_NIVCSW = 1;

    @CDefine("CTXPROBE_SCHED_WINDOW_NS")
    static final int SCHED_WINDOW_NS = 0;
    @CDefine("CTXPROBE_SCHED_RUN_NS")
    static final int SCHED_RUN_NS = 1;
    @CDefine("CTXPROBE_SCHED_WAIT_NS")
    static final int SCHED_WAIT_NS = 2;

    /** How a side waits for the token and hands it over. */
    public enum Mechanism implements NativeCode {
        @CDefine("CTXPROBE_MECH_FUTEX") FUTEX(1),
        @CDefine("CTXPROBE_MECH_PIPE") PIPE(2),
        @CDefine("CTXPROBE_MECH_EVENTFD") EVENTFD(3),
        @CDefine("CTXPROBE_MECH_YIELD") YIELD(4),
        @CDefine("CTXPROBE_MECH_SPIN") SPIN(5),
        @CDefine("CTXPROBE_MECH_UNIX") UNIX(6);

        private final int code;

        Mechanism(int code) {
            this.code = code;
        }

        @Override
        public int code() {
            return code;
        }
    }

    /** Where side 1 runs and what a side does while it holds the token (CTXPROBE_PP_* flags). */
    public enum Mode implements NativeCode {
        /** Two threads (flags 0). */
        THREADS(0),
        /** Side 1 forked in C. */
        @CDefine("CTXPROBE_PP_PROCESS") PROCESS(1),
        /** Two threads; one shared fiber migrates between them every handoff (MECH_SPIN only). */
        @CDefine("CTXPROBE_PP_FIBER") FIBER(2);

        private final int code;

        Mode(int code) {
            this.code = code;
        }

        @Override
        public int code() {
            return code;
        }
    }

    /** How a forked side ended: the signal that killed it (0 if none) or its exit code (-1 if killed). */
    public record ChildEnd(int signal, int exitCode) {}

    /* ctxprobe_pingpong *ctxprobe_pingpong_new(int32_t mechanism, int32_t flags, int64_t warmup,
     *                                          int64_t batches, int64_t ops); */
    private static final Downcall NEW = NativeCore.fn("ctxprobe_pingpong_new",
            FunctionDescriptor.of(ADDRESS, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG));
    /* int32_t ctxprobe_pingpong_fork(ctxprobe_pingpong *pp, int32_t side); */
    private static final Downcall FORK = NativeCore.fn("ctxprobe_pingpong_fork",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    /* int32_t ctxprobe_pingpong_reap(ctxprobe_pingpong *pp, int32_t side, int64_t timeout_ms); */
    private static final Downcall REAP = NativeCore.fn("ctxprobe_pingpong_reap",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG));
    /* int32_t ctxprobe_pingpong_child_end(ctxprobe_pingpong *pp, int32_t side, int32_t *signal,
     *                                     int32_t *exit_code); */
    private static final Downcall CHILD_END = NativeCore.fn("ctxprobe_pingpong_child_end",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS));
    /* void *ctxprobe_pingpong_side(ctxprobe_pingpong *pp, int32_t side); */
    private static final Downcall SIDE = NativeCore.fn("ctxprobe_pingpong_side",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));
    /* void *ctxprobe_pingpong_main(void *side);   — only its address is used, by pthread_create */
    private static final Downcall MAIN = NativeCore.fn("ctxprobe_pingpong_main",
            FunctionDescriptor.of(ADDRESS, ADDRESS));
    /* int32_t ctxprobe_pingpong_wait_ready(ctxprobe_pingpong *pp, int64_t timeout_ms); */
    private static final Downcall WAIT_READY = NativeCore.fn("ctxprobe_pingpong_wait_ready",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    /* int32_t ctxprobe_pingpong_tid(ctxprobe_pingpong *pp, int32_t side); */
    private static final Downcall TID = NativeCore.fn("ctxprobe_pingpong_tid",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    /* int32_t ctxprobe_pingpong_set_counter_fd(ctxprobe_pingpong *pp, int32_t side, int32_t slot, int32_t fd); */
    private static final Downcall SET_COUNTER_FD = NativeCore.fn("ctxprobe_pingpong_set_counter_fd",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT));
    /* void ctxprobe_pingpong_go(ctxprobe_pingpong *pp); */
    private static final Downcall GO = NativeCore.fn("ctxprobe_pingpong_go", FunctionDescriptor.ofVoid(ADDRESS));
    /* void ctxprobe_pingpong_abort(ctxprobe_pingpong *pp); */
    private static final Downcall ABORT = NativeCore.fn("ctxprobe_pingpong_abort", FunctionDescriptor.ofVoid(ADDRESS));
    /* int32_t ctxprobe_pingpong_error(ctxprobe_pingpong *pp); */
    private static final Downcall ERROR = NativeCore.fn("ctxprobe_pingpong_error",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    /* int64_t ctxprobe_pingpong_round_trips(ctxprobe_pingpong *pp, int32_t side); */
    private static final Downcall ROUND_TRIPS = NativeCore.fn("ctxprobe_pingpong_round_trips",
            FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_INT));
    /* int32_t ctxprobe_pingpong_samples(ctxprobe_pingpong *pp, int64_t *wall_ns); */
    private static final Downcall SAMPLES = NativeCore.fn("ctxprobe_pingpong_samples",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    /* int32_t ctxprobe_pingpong_cpu(ctxprobe_pingpong *pp, int32_t side, int32_t at_end); */
    private static final Downcall CPU = NativeCore.fn("ctxprobe_pingpong_cpu",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    /* int64_t ctxprobe_pingpong_counter_delta(ctxprobe_pingpong *pp, int32_t side, int32_t slot); */
    private static final Downcall COUNTER_DELTA = NativeCore.fn("ctxprobe_pingpong_counter_delta",
            FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_INT, JAVA_INT));
    /* int64_t ctxprobe_pingpong_rusage_delta(ctxprobe_pingpong *pp, int32_t side, int32_t which); */
    private static final Downcall RUSAGE_DELTA = NativeCore.fn("ctxprobe_pingpong_rusage_delta",
            FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_INT, JAVA_INT));
    /* int64_t ctxprobe_pingpong_sched_delta(ctxprobe_pingpong *pp, int32_t side, int32_t which); */
    private static final Downcall SCHED_DELTA = NativeCore.fn("ctxprobe_pingpong_sched_delta",
            FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_INT, JAVA_INT));
    /* void ctxprobe_pingpong_free(ctxprobe_pingpong *pp); */
    private static final Downcall FREE = NativeCore.fn("ctxprobe_pingpong_free", FunctionDescriptor.ofVoid(ADDRESS));
    /* int32_t ctxprobe_mechanism_solo_run(int32_t mechanism, int64_t warmup, int64_t batches, int64_t ops,
     *                                     int64_t *wall_ns, int64_t *cpu_ns); */
    private static final Downcall SOLO_RUN = NativeCore.fn("ctxprobe_mechanism_solo_run",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS));

    /** How long a forked side may take to exit once its work is done or aborted. */
    private static final long REAP_TIMEOUT_MS = 10_000;

    private final MemorySegment handle;
    private final int batches;
    private final long[] threads = {0, 0};
    private boolean childForked;
    private boolean joined;

    private NativePingPong(MemorySegment handle, int batches) {
        this.handle = handle;
        this.batches = batches;
    }

    /**
     * Creates the object and both parties (side 1 forked in {@link Mode#PROCESS}), and waits until
     * both are ready — or fails, leaving none behind. NULL from C (bad input, a mode the mechanism
     * cannot take, no memory) becomes an IllegalArgumentException: no errno is available.
     */
    public static NativePingPong start(Mechanism mechanism, Mode mode, long warmup, int batches, long ops,
                                       long readyTimeoutMs) {
        MemorySegment handle;
        try {
            handle = (MemorySegment) NEW.handle().invokeExact(mechanism.code(), mode.code(), warmup, (long) batches, ops);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
        if (handle.equals(MemorySegment.NULL)) {
            throw new IllegalArgumentException("ctxprobe_pingpong_new(" + mechanism + ", " + mode + ", warmup=" + warmup
                    + ", batches=" + batches + ", ops=" + ops + ") returned NULL: bad input or out of memory");
        }
        NativePingPong pp = new NativePingPong(handle, batches);
        try {
            pp.threads[PING] = Pthread.create(mainAddress(), pp.side(PING));
            if (mode == Mode.PROCESS) {
                NativeCore.check("ctxprobe_pingpong_fork", pp.callInt(FORK, PONG));
                pp.childForked = true;
            } else {
                pp.threads[PONG] = Pthread.create(mainAddress(), pp.side(PONG));
            }
            NativeCore.check("ctxprobe_pingpong_wait_ready", pp.callLong(WAIT_READY, readyTimeoutMs));
            return pp;
        } catch (RuntimeException e) {
            pp.abort();
            pp.close();
            throw e;
        }
    }

    /** The function pointer of ctxprobe_pingpong_main, the pthread body. */
    public static MemorySegment mainAddress() {
        return MAIN.address();
    }

    /** The mechanism's calls of one handoff with no partner (batch protocol); 0 or a negative errno. */
    public static int soloRun(Mechanism mechanism, long warmup, long batches, long ops, MemorySegment wall,
                              MemorySegment cpu) {
        NativeCore.checkSamples(batches, wall, cpu);
        try {
            return (int) SOLO_RUN.handle().invokeExact(mechanism.code(), warmup, batches, ops, wall, cpu);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    private MemorySegment side(int side) {
        try {
            return (MemorySegment) SIDE.handle().invokeExact(handle, side);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** One (pp, int) -> int call: fork, tid. */
    private int callInt(Downcall fn, int arg) {
        try {
            return (int) fn.handle().invokeExact(handle, arg);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** One (pp, int64) -> int call: wait_ready. */
    private int callLong(Downcall fn, long arg) {
        try {
            return (int) fn.handle().invokeExact(handle, arg);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** One (pp, int, int) -> int64 call: counter and rusage deltas. */
    private long delta(Downcall fn, int side, int which) {
        try {
            return (long) fn.handle().invokeExact(handle, side, which);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** One (pp) -> void call: go, abort, free. */
    private void call(Downcall fn) {
        try {
            fn.handle().invokeExact(handle);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** The side's kernel tid (a forked side's pid). */
    public int tid(int side) {
        return NativeCore.check("ctxprobe_pingpong_tid", callInt(TID, side));
    }

    /** Hands a perf counter fd to {@code side}, which reads it at its first and last measured round trip. */
    public void counterFd(int side, int slot, int fd) {
        try {
            NativeCore.check("ctxprobe_pingpong_set_counter_fd",
                    (int) SET_COUNTER_FD.handle().invokeExact(handle, side, slot, fd));
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    public void go() {
        call(GO);
    }

    public void abort() {
        call(ABORT);
    }

    /** 0, or the first negative errno a side hit (-ECANCELED after abort, -EPIPE for a dead child). */
    public int error() {
        try {
            return (int) ERROR.handle().invokeExact(handle);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** Joins both threads; rethrows the first error either side hit (-ECANCELED after an abort). */
    public void join() {
        joinThreads();
        NativeCore.check("thread ping-pong", error());
    }

    /** Joins the threads and reaps a forked side; the first failure to reap is rethrown after all. */
    private void joinThreads() {
        if (joined) return;
        joined = true;
        for (int side = PING; side <= PONG; side++) {
            if (threads[side] != 0) Pthread.join(threads[side]);
            threads[side] = 0;
        }
        if (childForked) {
            childForked = false;
            try {
                NativeCore.check("ctxprobe_pingpong_reap",
                        (int) REAP.handle().invokeExact(handle, PONG, REAP_TIMEOUT_MS));
            } catch (Throwable t) {
                throw Libc.rethrow(t);
            }
        }
    }

    /** How the forked side ended, once it has; empty while it runs or if it was never forked. */
    public Optional<ChildEnd> childEnd(int side) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_INT, 2);
            int rc = (int) CHILD_END.handle().invokeExact(handle, side, out, out.asSlice(4));
            if (rc == -ENODATA) return Optional.empty();
            NativeCore.check("ctxprobe_pingpong_child_end", rc);
            return Optional.of(new ChildEnd(out.get(JAVA_INT, 0), out.get(JAVA_INT, 4)));
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** Measured round trips {@code side} completed so far. */
    public long roundTrips(int side) {
        try {
            return NativeCore.check("ctxprobe_pingpong_round_trips", (long) ROUND_TRIPS.handle().invokeExact(handle, side));
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** Side 0's per-batch wall times (ns per batch of round trips). */
    public long[] batchWallNs() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment wall = arena.allocate(JAVA_LONG, batches);
            NativeCore.check("ctxprobe_pingpong_samples", (int) SAMPLES.handle().invokeExact(handle, wall));
            return wall.toArray(JAVA_LONG);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** The CPU {@code side} ran on at its first ({@code atEnd} false) or last measured round trip. */
    public int cpu(int side, boolean atEnd) {
        try {
            return NativeCore.check("ctxprobe_pingpong_cpu", (int) CPU.handle().invokeExact(handle, side, atEnd ? 1 : 0));
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** Delta of the perf counter in {@code slot} over the measured batches, or -1 if it had none. */
    public long counterDelta(int side, int slot) {
        return delta(COUNTER_DELTA, side, slot);
    }

    public long voluntarySwitches(int side) {
        return delta(RUSAGE_DELTA, side, RUSAGE_NVCSW);
    }

    public long involuntarySwitches(int side) {
        return delta(RUSAGE_DELTA, side, RUSAGE_NIVCSW);
    }

    /**
     * {@code side}'s measured window from its own snapshots, ns: {window (CLOCK_MONOTONIC), run (schedstat
     * field 1), run delay (schedstat field 2: runnable but not running)}; -1 for what was not measured.
     */
    public long[] schedWindow(int side) {
        return new long[] {delta(SCHED_DELTA, side, SCHED_WINDOW_NS), delta(SCHED_DELTA, side, SCHED_RUN_NS),
                delta(SCHED_DELTA, side, SCHED_WAIT_NS)};
    }

    /** Joins whatever is still running (after an abort if need be) and frees the native object. */
    @Override
    public void close() {
        try {
            if (!joined) {
                abort();
                joinThreads();
            }
        } finally {
            call(FREE);
        }
    }
}
