package io.ctxprobe.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;

/** The binding of native/include/ctxprobe/syscall.h (syscall.null, syscall.vdso). */
public final class NativeSyscall {
    private NativeSyscall() {}

    /* int32_t ctxprobe_syscall_null_run(int64_t warmup, int64_t batches, int64_t ops,
     *                                   int64_t *wall_ns, int64_t *cpu_ns); */
    private static final Downcall NULL_RUN = NativeCore.fn("ctxprobe_syscall_null_run",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS));

    /** Batches of raw getppid calls; {@code cpu} may be {@link MemorySegment#NULL}. 0 or a negative errno. */
    public static int nullRun(long warmup, long batches, long ops, MemorySegment wall, MemorySegment cpu) {
        NativeCore.checkSamples(batches, wall, cpu);
        try {
            return (int) NULL_RUN.handle().invokeExact(warmup, batches, ops, wall, cpu);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** How syscall.vdso reads the clock. */
    public enum ClockPath implements NativeCode {
        /** clock_gettime through glibc: the vDSO, no kernel entry where the clocksource allows. */
        @CDefine("CTXPROBE_VDSO_PATH_VDSO") VDSO(0),
        /** syscall(SYS_clock_gettime): the same read with a real kernel entry and exit. */
        @CDefine("CTXPROBE_VDSO_PATH_SYSCALL") SYSCALL(1);

        private final int code;

        ClockPath(int code) {
            this.code = code;
        }

        @Override
        public int code() {
            return code;
        }
    }

    /* int32_t ctxprobe_syscall_vdso_run(int32_t path, int64_t warmup, int64_t batches, int64_t ops,
     *                                   int64_t *wall_ns, int64_t *cpu_ns); */
    private static final Downcall VDSO_RUN = NativeCore.fn("ctxprobe_syscall_vdso_run",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS));

    /** Batches of CLOCK_MONOTONIC reads through {@code path}; 0 or a negative errno. */
    public static int vdsoRun(ClockPath path, long warmup, long batches, long ops, MemorySegment wall, MemorySegment cpu) {
        NativeCore.checkSamples(batches, wall, cpu);
        try {
            return (int) VDSO_RUN.handle().invokeExact(path.code(), warmup, batches, ops, wall, cpu);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }
}
