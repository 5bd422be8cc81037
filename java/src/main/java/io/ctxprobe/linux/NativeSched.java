package io.ctxprobe.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;

/**
 * The binding of native/include/ctxprobe/sched.h: the preemptive side — sched.slice's two stamping
 * sides, sched.wakeup's sleeper, fiber.preempt's signal-driven fibers and their register-file check.
 * Every run allocates its buffers here and returns plain Java values.
 */
public final class NativeSched {
    private NativeSched() {}

    /** sched.slice: who stamps. */
    public enum SliceMode implements NativeCode {
        @CDefine("CTXPROBE_SLICE_THREADS") THREADS(1),
        @CDefine("CTXPROBE_SLICE_PROCESSES") PROCESSES(2);

        private final int code;

        SliceMode(int code) {
            this.code = code;
        }

        @Override
        public int code() {
            return code;
        }
    }

    /** sched.slice: both sides' policy. */
    public enum SlicePolicy implements NativeCode {
        @CDefine("CTXPROBE_SLICE_POLICY_OTHER") OTHER(0),
        @CDefine("CTXPROBE_SLICE_POLICY_RR") RR(2);

        private final int code;

        SlicePolicy(int code) {
            this.code = code;
        }

        @Override
        public int code() {
            return code;
        }
    }

    /** sched.wakeup: what wakes the sleeper. */
    public enum WakeupSource implements NativeCode {
        @CDefine("CTXPROBE_WAKEUP_FUTEX") FUTEX(1),
        @CDefine("CTXPROBE_WAKEUP_TIMER") TIMER(2);

        private final int code;

        WakeupSource(int code) {
            this.code = code;
        }

        @Override
        public int code() {
            return code;
        }
    }

    /** fiber.preempt: how the two fibers take turns. */
    public enum PreemptMode implements NativeCode {
        @CDefine("CTXPROBE_PREEMPT_SIGNAL") SIGNAL(1),
        @CDefine("CTXPROBE_PREEMPT_YIELD") YIELD(2);

        private final int code;

        PreemptMode(int code) {
            this.code = code;
        }

        @Override
        public int code() {
            return code;
        }
    }

    @CDefine("CTXPROBE_SLICE_RR_MAX_NS") public static final long SLICE_RR_MAX_NS = 800_000_000L;
    @CDefine("CTXPROBE_SLICE_MAX_NS") public static final long SLICE_MAX_NS = 5_000_000_000L;
    @CDefine("CTXPROBE_SLICE_OUT_COUNT") static final int SLICE_OUT_COUNT = 10;
    @CDefine("CTXPROBE_WAKEUP_MAX") public static final int WAKEUP_MAX = 100_000;
    @CDefine("CTXPROBE_WAKEUP_OUT_COUNT") static final int WAKEUP_OUT_COUNT = 11;
    @CDefine("CTXPROBE_PREEMPT_MIN_SLICE_NS") public static final long PREEMPT_MIN_SLICE_NS = 10_000L;
    @CDefine("CTXPROBE_PREEMPT_OUT_COUNT") static final int PREEMPT_OUT_COUNT = 8;
    @CDefine("CTXPROBE_REGS_OUT_COUNT") static final int REGS_OUT_COUNT = 11;
    @CDefine("CTXPROBE_REGS_RFLAGS") public static final int REGS_RFLAGS = 15;
    @CDefine("CTXPROBE_REGS_MXCSR") public static final int REGS_MXCSR = 16;
    @CDefine("CTXPROBE_REGS_X87CW") public static final int REGS_X87CW = 17;
    @CDefine("CTXPROBE_REGS_SIGMASK") public static final int REGS_SIGMASK = 18;
    @CDefine("CTXPROBE_REGS_VEC") public static final int REGS_VEC = 19;

    private static final String[] GPRS = {"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "r8", "r9", "r10", "r11",
        "r12", "r13", "r14", "r15"};

    /** The name of a CTXPROBE_REGS_* index ("rbx", "rflags", "xmm3"...). */
    public static String registerName(int index) {
        if (index >= 0 && index < GPRS.length) return GPRS[index];
        return switch (index) {
            case REGS_RFLAGS -> "rflags";
            case REGS_MXCSR -> "mxcsr";
            case REGS_X87CW -> "x87 control word";
            case REGS_SIGMASK -> "signal mask";
            default -> index >= REGS_VEC && index < REGS_VEC + 16 ? "xmm/ymm" + (index - REGS_VEC) : "#" + index;
        };
    }

    /**
     * A word another thread sets to end a running thread-mode run early (Ctrl-C through Cleanup).
     * Shared arena: written from the cleanup thread while C reads it on another.
     */
    public static final class Abort implements AutoCloseable {
        private final Arena arena = Arena.ofShared();
        private final MemorySegment word = arena.allocate(JAVA_INT);

        public void set() {
            word.setAtIndex(JAVA_INT, 0, 1);
        }

        static MemorySegment of(Abort abort) {
            return abort == null ? MemorySegment.NULL : abort.word;
        }

        @Override
        public void close() {
            arena.close();
        }
    }

    /** One sched.slice run: each side's runs as (start, end) pairs in CLOCK_MONOTONIC ns, and its counts. */
    public record SliceRun(long[] runsA, long[] runsB, long involuntaryA, long voluntaryA, long involuntaryB,
                           long voluntaryB, long rrIntervalNs, boolean truncated, int cpuA, int cpuB) {}

    /* int32_t ctxprobe_sched_slice_run(int32_t mode, int32_t cpu, int32_t policy, int32_t nice_a, int32_t nice_b,
     *                                  int64_t duration_ns, int64_t gap_ns, int32_t max_runs,
     *                                  int64_t *runs_a, int64_t *runs_b, int64_t *out, const int32_t *abort); */
    private static final Downcall SLICE_RUN = NativeCore.fn("ctxprobe_sched_slice_run",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT,
                    ADDRESS, ADDRESS, ADDRESS, ADDRESS));

    /** Throws {@link LinuxException} on a negative errno (EPERM: the policy or nice was refused). */
    public static SliceRun sliceRun(SliceMode mode, int cpu, SlicePolicy policy, int niceA, int niceB, long durationNs,
                                    long gapNs, int maxRuns, Abort abort) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = arena.allocate(JAVA_LONG, 2L * maxRuns);
            MemorySegment b = arena.allocate(JAVA_LONG, 2L * maxRuns);
            MemorySegment out = arena.allocate(JAVA_LONG, SLICE_OUT_COUNT);
            MemorySegment abortWord = Abort.of(abort);
            int rc = (int) SLICE_RUN.handle().invokeExact(mode.code(), cpu, policy.code(), niceA, niceB, durationNs, gapNs,
                    maxRuns, a, b, out, abortWord);
            NativeCore.check("ctxprobe_sched_slice_run", rc);
            long[] o = out.toArray(JAVA_LONG);
            return new SliceRun(a.asSlice(0, 16 * o[0]).toArray(JAVA_LONG), b.asSlice(0, 16 * o[1]).toArray(JAVA_LONG),
                    o[2], o[3], o[4], o[5], o[6], o[7] != 0, (int) o[8], (int) o[9]);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /**
     * One sched.wakeup run: latencies (ns) of the wake-ups served and the counts; hog values -1 without a hog.
     * sleeperRunNs / hogRunNs: each thread's CPU time over its loop; wallNs: the sleeper's loop.
     */
    public record WakeupRun(long[] latencyNs, long notSlept, long hogInvoluntary, long hogVoluntary,
                            long sleeperVoluntary, long sleeperInvoluntary, int sleeperCpu, int hogCpu,
                            long sleeperRunNs, long hogRunNs, long wallNs) {

        /** The share of the sleeper's loop that neither the hog nor the sleeper ran (a busy case only). */
        public double thirdTaskShare() {
            return wallNs <= 0 || hogRunNs < 0 ? Double.NaN : Math.max(0, 1 - (double) (hogRunNs + sleeperRunNs) / wallNs);
        }
    }

    /* int32_t ctxprobe_sched_wakeup_run(int32_t source, int32_t sleeper_cpu, int32_t waker_cpu, int32_t hog,
     *                                   int32_t fifo, int32_t wakeups, int64_t period_ns, int64_t *latency_ns,
     *                                   int64_t *out, const int32_t *abort); */
    private static final Downcall WAKEUP_RUN = NativeCore.fn("ctxprobe_sched_wakeup_run",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS,
                    ADDRESS, ADDRESS));

    /** Throws {@link LinuxException} on a negative errno (EPERM: SCHED_FIFO refused). */
    public static WakeupRun wakeupRun(WakeupSource source, int sleeperCpu, int wakerCpu, boolean hog, boolean fifo,
                                      int wakeups, long periodNs, Abort abort) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment lat = arena.allocate(JAVA_LONG, wakeups);
            MemorySegment out = arena.allocate(JAVA_LONG, WAKEUP_OUT_COUNT);
            MemorySegment abortWord = Abort.of(abort);
            int rc = (int) WAKEUP_RUN.handle().invokeExact(source.code(), sleeperCpu, wakerCpu, hog ? 1 : 0, fifo ? 1 : 0,
                    wakeups, periodNs, lat, out, abortWord);
            NativeCore.check("ctxprobe_sched_wakeup_run", rc);
            long[] o = out.toArray(JAVA_LONG);
            return new WakeupRun(lat.asSlice(0, 8 * o[0]).toArray(JAVA_LONG), o[1], o[2], o[3], o[4], o[5], (int) o[6],
                    (int) o[7], o[8], o[9], o[10]);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** One fiber.preempt run: gaps (the switch as the fibers see it) and turns (the slice achieved), in ns. */
    public record PreemptRun(long[] gapNs, long[] turnNs, long signals, long switches, long elapsedNs, int signo,
                             long threadVoluntary, long threadInvoluntary) {}

    /* int32_t ctxprobe_sched_fiber_preempt_run(int32_t mode, int64_t slice_ns, int64_t duration_ns,
     *                                          int32_t max_samples, int64_t *gap_ns, int64_t *turn_ns,
     *                                          int64_t *out, const int32_t *abort); */
    private static final Downcall PREEMPT_RUN = NativeCore.fn("ctxprobe_sched_fiber_preempt_run",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS));

    /** Runs on the calling thread (pin it first). Throws {@link LinuxException} on a negative errno. */
    public static PreemptRun fiberPreemptRun(PreemptMode mode, long sliceNs, long durationNs, int maxSamples, Abort abort) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment gaps = arena.allocate(JAVA_LONG, maxSamples);
            MemorySegment turns = arena.allocate(JAVA_LONG, maxSamples);
            MemorySegment out = arena.allocate(JAVA_LONG, PREEMPT_OUT_COUNT);
            MemorySegment abortWord = Abort.of(abort);
            int rc = (int) PREEMPT_RUN.handle().invokeExact(mode.code(), sliceNs, durationNs, maxSamples, gaps, turns, out,
                    abortWord);
            NativeCore.check("ctxprobe_sched_fiber_preempt_run", rc);
            long[] o = out.toArray(JAVA_LONG);
            return new PreemptRun(gaps.asSlice(0, 8 * o[0]).toArray(JAVA_LONG), turns.asSlice(0, 8 * o[1]).toArray(JAVA_LONG),
                    o[2], o[3], o[4], (int) o[5], o[6], o[7]);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /**
     * One register-file check. firstBad: a CTXPROBE_REGS_* index ({@link #registerName}), -1 when none.
     */
    public record RegsRun(long preemptedA, long preemptedB, long inWindowA, long inWindowB, long windowsA, long windowsB,
                          long mismatches, int firstBad, boolean timedOut, boolean avx, long signals) {}

    /* int32_t ctxprobe_sched_fiber_regs_run(int64_t interval_ns, int64_t preemptions, int64_t timeout_ns,
     *                                       int32_t corrupt, int64_t *out); */
    private static final Downcall REGS_RUN = NativeCore.fn("ctxprobe_sched_fiber_regs_run",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS));

    /** {@code corrupt}: -1, or a register index the handler alters once (the negative control). ENOSYS off x86-64. */
    public static RegsRun fiberRegsRun(long intervalNs, long preemptions, long timeoutNs, int corrupt) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_LONG, REGS_OUT_COUNT);
            int rc = (int) REGS_RUN.handle().invokeExact(intervalNs, preemptions, timeoutNs, corrupt, out);
            NativeCore.check("ctxprobe_sched_fiber_regs_run", rc);
            long[] o = out.toArray(JAVA_LONG);
            return new RegsRun(o[0], o[1], o[2], o[3], o[4], o[5], o[6], (int) o[7], o[8] != 0, o[9] != 0, o[10]);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }
}
