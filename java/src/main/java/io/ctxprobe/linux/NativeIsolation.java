package io.ctxprobe.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;

/** The binding of native/include/ctxprobe/isolation.h: what a fault takes down. */
public final class NativeIsolation {
    private NativeIsolation() {}

    /** Where the fault happens, inside a sacrificial child process. */
    public enum Scenario implements NativeCode {
        /** It forks two grandchildren; one faults. */
        @CDefine("CTXPROBE_ISO_CHILD_PROCESS") CHILD_PROCESS(1),
        /** It runs two extra pthreads; one faults. */
        @CDefine("CTXPROBE_ISO_THREAD") THREAD(2),
        /** It runs two fibers on its one thread; one faults. */
        @CDefine("CTXPROBE_ISO_FIBER") FIBER(3);

        private final int code;

        Scenario(int code) {
            this.code = code;
        }

        @Override
        public int code() {
            return code;
        }
    }

    /** What one repetition found (outcome bits). */
    public enum Bit implements NativeCode {
        @CDefine("CTXPROBE_ISO_SIBLING_RAN") SIBLING_RAN(1),
        @CDefine("CTXPROBE_ISO_FAULTER_KILLED") FAULTER_KILLED(2),
        @CDefine("CTXPROBE_ISO_PARENT_SURVIVED") PARENT_SURVIVED(4),
        @CDefine("CTXPROBE_ISO_SIBLING_SURVIVED") SIBLING_SURVIVED(8),
        @CDefine("CTXPROBE_ISO_PROCESS_KILLED") PROCESS_KILLED(16);

        private final int code;

        Bit(int code) {
            this.code = code;
        }

        @Override
        public int code() {
            return code;
        }
    }

    /** One repetition: what survived a fault, the signal, and fault-to-notice ns. */
    public record Outcome(long noticeNs, int bits, int signal) {
        public boolean has(Bit bit) {
            return (bits & bit.code()) != 0;
        }
    }

    /* int32_t ctxprobe_isolation_run(int32_t scenario, int64_t *notice_ns, int32_t *outcome_bits,
     *                                int32_t *signal); */
    private static final Downcall RUN = NativeCore.fn("ctxprobe_isolation_run",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, ADDRESS));

    /** One repetition; throws {@link LinuxException} on a negative return. */
    public static Outcome run(Scenario scenario) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment notice = arena.allocate(JAVA_LONG);
            MemorySegment bits = arena.allocate(JAVA_INT);
            MemorySegment signal = arena.allocate(JAVA_INT);
            int rc = (int) RUN.handle().invokeExact(scenario.code(), notice, bits, signal);
            NativeCore.check("ctxprobe_isolation_run", rc);
            return new Outcome(notice.get(JAVA_LONG, 0), bits.get(JAVA_INT, 0), signal.get(JAVA_INT, 0));
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }
}
