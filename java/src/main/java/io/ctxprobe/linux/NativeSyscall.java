package io.ctxprobe.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;

/** The binding of native/include/ctxprobe/syscall.h (syscall.null). */
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
}
