package io.ctxprobe.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;

/** The binding of native/include/ctxprobe/fiber.h (fiber.switch). */
public final class NativeFiber {
    private NativeFiber() {}

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
}
