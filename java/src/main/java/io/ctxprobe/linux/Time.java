package io.ctxprobe.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;

/** time.h: clock_gettime. */
public final class Time {
    private Time() {}

    public static final int CLOCK_REALTIME = 0;
    public static final int CLOCK_MONOTONIC = 1;
    public static final int CLOCK_PROCESS_CPUTIME_ID = 2;
    public static final int CLOCK_THREAD_CPUTIME_ID = 3;
    public static final int CLOCK_MONOTONIC_RAW = 4;
    public static final int CLOCK_BOOTTIME = 7;

    /* int clock_gettime(clockid_t clockid, struct timespec *tp);
     * struct timespec { time_t tv_sec; long tv_nsec; }  (16 bytes on x86-64) */
    private static final Downcall CLOCK_GETTIME = Libc.errno("clock_gettime",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));

    /** The clock's value in ns. CLOCK_THREAD_CPUTIME_ID is a real system call on some hosts. */
    public static long clockGettimeNs(int clockId) {
        MemorySegment ts = Libc.scratch();
        try {
            MemorySegment errno = Libc.errnoSlot();
            int rc = (int) CLOCK_GETTIME.handle().invokeExact(errno, clockId, ts);
            Libc.check("clock_gettime", rc, errno);
            return ts.get(JAVA_LONG, 0) * 1_000_000_000L + ts.get(JAVA_LONG, 8);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }
}
