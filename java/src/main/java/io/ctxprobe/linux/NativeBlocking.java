package io.ctxprobe.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;

/** The binding of native/include/ctxprobe/blocking.h: a blocking call inside an M:1 fiber scheduler. */
public final class NativeBlocking {
    private NativeBlocking() {}

    /** How the blocker fiber waits for its byte. */
    public enum Mode implements NativeCode {
        /** A plain blocking read(2): the whole thread sleeps. */
        @CDefine("CTXPROBE_BLOCKING_READ") READ(1),
        /** O_NONBLOCK + an epoll set the scheduler polls: the workers keep running. */
        @CDefine("CTXPROBE_BLOCKING_EPOLL") EPOLL(2);

        private final int code;

        Mode(int code) {
            this.code = code;
        }

        @Override
        public int code() {
            return code;
        }
    }

    /** One run, as C reported it, in ns (switches: getrusage(RUSAGE_THREAD) of the calling thread). */
    public record FibersRun(long longestStallNs, long progressSteps, long elapsedNs,
                            long voluntarySwitches, long involuntarySwitches) {}

    /* int32_t ctxprobe_blocking_fibers_run(int32_t mode, int32_t workers, int64_t delay_ns,
     *                                      int64_t *longest_stall_ns, int64_t *progress_steps,
     *                                      int64_t *elapsed_ns, int64_t *switches); */
    private static final Downcall FIBERS_RUN = NativeCore.fn("ctxprobe_blocking_fibers_run",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, ADDRESS));

    /** Throws {@link LinuxException} on a negative errno. */
    public static FibersRun fibersRun(Mode mode, int workers, long delayNs) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_LONG, 5);
            int rc = (int) FIBERS_RUN.handle().invokeExact(mode.code(), workers, delayNs, out,
                    out.asSlice(8), out.asSlice(16), out.asSlice(24));
            NativeCore.check("ctxprobe_blocking_fibers_run", rc);
            long[] v = out.toArray(JAVA_LONG);
            return new FibersRun(v[0], v[1], v[2], v[3], v[4]);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }
}
