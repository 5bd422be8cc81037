package io.ctxprobe.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;

/** The binding of native/include/ctxprobe/fiber.h (fiber.switch and the placed fiber loops). */
public final class NativeFiber {
    private NativeFiber() {}

    /** Copies of each placed loop; copy i's sample arrays and counts sit at index i (copy-major). */
    @CDefine("CTXPROBE_LOOP_PLACEMENTS")
    public static final int LOOP_PLACEMENTS = 4;

    /** Copy i's loop top lies at a 64-byte boundary plus {@code i * LOOP_PLACEMENT_STEP} bytes. */
    @CDefine("CTXPROBE_LOOP_PLACEMENT_STEP")
    public static final int LOOP_PLACEMENT_STEP = 16;

    /** Fiber switch implementations. */
    public enum Kind implements NativeCode {
        /** Hand-written switch: callee-saved GPRs + x87 CW + MXCSR. */
        @CDefine("CTXPROBE_FIBER_ASM") ASM(1),
        /** Hand-written switch without the x87 CW / MXCSR save. */
        @CDefine("CTXPROBE_FIBER_ASM_NOFPU") ASM_NOFPU(2),
        /** glibc swapcontext (saves the signal mask: a system call). */
        @CDefine("CTXPROBE_FIBER_UCONTEXT") UCONTEXT(3);

        private final int code;

        Kind(int code) {
            this.code = code;
        }

        @Override
        public int code() {
            return code;
        }
    }

    /* int32_t ctxprobe_fiber_switch_run(int32_t kind, int64_t warmup, int64_t batches, int64_t ops,
     *                                   int64_t *wall_ns, int64_t *cpu_ns); */
    private static final Downcall SWITCH_RUN = NativeCore.fn("ctxprobe_fiber_switch_run",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS));

    /** Two fibers ping-pong on the calling thread; {@code cpu} may be NULL. 0 or a negative errno. */
    public static int switchRun(Kind kind, long warmup, long batches, long ops, MemorySegment wall,
                                MemorySegment cpu) {
        NativeCore.checkSamples(batches, wall, cpu);
        try {
            return (int) SWITCH_RUN.handle().invokeExact(kind.code(), warmup, batches, ops, wall, cpu);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /* int32_t ctxprobe_fiber_switch_placed_run(int32_t kind, int64_t warmup, int64_t batches, int64_t ops,
     *                                          int64_t *wall_ns, int64_t *cpu_ns, int64_t *switches); */
    private static final Downcall SWITCH_PLACED_RUN = NativeCore.fn("ctxprobe_fiber_switch_placed_run",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS));

    /**
     * The switch timed from every placed copy of the loop (ASM and ASM_NOFPU only), interleaved:
     * {@code wall}/{@code cpu} hold {@code LOOP_PLACEMENTS * batches} values, copy-major ({@code cpu}
     * may be NULL); {@code switches} ({@code LOOP_PLACEMENTS} values, may be NULL) the switches each
     * copy's fiber counted. 0 or a negative errno (-EPROTO: a copy did not run every round trip).
     */
    public static int switchPlacedRun(Kind kind, long warmup, long batches, long ops, MemorySegment wall,
                                      MemorySegment cpu, MemorySegment switches) {
        NativeCore.checkSamples(Math.multiplyExact(batches, LOOP_PLACEMENTS), wall, cpu);
        checkCounts(switches);
        try {
            return (int) SWITCH_PLACED_RUN.handle().invokeExact(kind.code(), warmup, batches, ops, wall, cpu, switches);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /* int32_t ctxprobe_fiber_loop_top_offset(int32_t kind, int32_t placement); */
    private static final Downcall LOOP_TOP_OFFSET = NativeCore.fn("ctxprobe_fiber_loop_top_offset",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));

    /** Where copy {@code placement}'s loop top landed in the loaded library (address mod 64), or -EINVAL. */
    public static int loopTopOffset(Kind kind, int placement) {
        try {
            return (int) LOOP_TOP_OFFSET.handle().invokeExact(kind.code(), placement);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /* int32_t ctxprobe_fiber_create_placed_run(int64_t warmup, int64_t batches, int64_t ops,
     *                                          int64_t *wall_ns, int64_t *cpu_ns, int64_t *created); */
    private static final Downcall CREATE_PLACED_RUN = NativeCore.fn("ctxprobe_fiber_create_placed_run",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS));

    /**
     * fiber.create pooled-stack from every placed copy, interleaved; arrays as {@link #switchPlacedRun},
     * {@code created}: the fibers whose body ran per copy. 0 or a negative errno.
     */
    public static int createPlacedRun(long warmup, long batches, long ops, MemorySegment wall, MemorySegment cpu,
                                      MemorySegment created) {
        NativeCore.checkSamples(Math.multiplyExact(batches, LOOP_PLACEMENTS), wall, cpu);
        checkCounts(created);
        try {
            return (int) CREATE_PLACED_RUN.handle().invokeExact(warmup, batches, ops, wall, cpu, created);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    private static void checkCounts(MemorySegment counts) {
        if (!counts.equals(MemorySegment.NULL) && counts.byteSize() < LOOP_PLACEMENTS * 8L) {
            throw new IllegalArgumentException("per-placement counts must hold " + LOOP_PLACEMENTS + " int64 values");
        }
    }
}
