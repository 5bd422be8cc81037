package io.ctxprobe.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/** sys/prctl.h: thread names and the parent-death signal. */
public final class Prctl {
    private Prctl() {}

    public static final int PR_SET_PDEATHSIG = 1;
    public static final int PR_GET_PDEATHSIG = 2;
    public static final int PR_SET_NAME = 15;
    public static final int PR_GET_NAME = 16;
    /** The kernel keeps 16 bytes of a thread name, the terminating NUL included. */
    public static final int TASK_COMM_LEN = 16;

    /* int prctl(int option, ...);   four variadic unsigned longs are always passed. */
    private static final Downcall PRCTL = Libc.errnoVariadic("prctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG), 1);

    public static int prctl(int option, long arg2, long arg3, long arg4, long arg5) {
        try {
            MemorySegment errno = Libc.errnoSlot();
            int rc = (int) PRCTL.handle().invokeExact(errno, option, arg2, arg3, arg4, arg5);
            return Libc.check("prctl", rc, errno);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** Names the calling thread; the kernel keeps the first 15 bytes. */
    public static void setName(String name) {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(TASK_COMM_LEN);
            MemorySegment.copy(b, 0, s, JAVA_BYTE, 0, Math.min(b.length, TASK_COMM_LEN - 1));
            prctl(PR_SET_NAME, s.address(), 0, 0, 0);
        }
    }

    public static String getName() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(TASK_COMM_LEN);
            prctl(PR_GET_NAME, s.address(), 0, 0, 0);
            return s.getString(0);
        }
    }

    /**
     * Signal to receive when the creating <em>thread</em> exits (not the process: see TRAPS.md).
     */
    public static void setPdeathsig(int sig) {
        prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0);
    }

    public static int getPdeathsig() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(JAVA_INT);
            prctl(PR_GET_PDEATHSIG, s.address(), 0, 0, 0);
            return s.get(JAVA_INT, 0);
        }
    }

}
