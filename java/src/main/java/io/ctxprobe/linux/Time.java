package io.ctxprobe.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/** time.h: clock_gettime. */
public final class Time {
    private Time() {}

    public static final int CLOCK_REALTIME = 0;
    public static final int CLOCK_MONOTONIC = 1;
    public static final int CLOCK_PROCESS_CPUTIME_ID = 2;
    public static final int CLOCK_THREAD_CPUTIME_ID = 3;
    public static final int CLOCK_MONOTONIC_RAW = 4;
    public static final int CLOCK_BOOTTIME = 7;

    /** struct timespec { time_t tv_sec; long tv_nsec; } (x86-64, 16 bytes; checked by AbiContractTest). */
    static final StructLayout TIMESPEC = MemoryLayout.structLayout(
            JAVA_LONG.withName("tv_sec"), JAVA_LONG.withName("tv_nsec"));
    private static final long TV_SEC = TIMESPEC.byteOffset(MemoryLayout.PathElement.groupElement("tv_sec"));
    private static final long TV_NSEC = TIMESPEC.byteOffset(MemoryLayout.PathElement.groupElement("tv_nsec"));

    /* int clock_gettime(clockid_t clockid, struct timespec *tp); */
    private static final Downcall CLOCK_GETTIME = Libc.errno("clock_gettime",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));

    /** The clock's value in ns. CLOCK_THREAD_CPUTIME_ID is a real system call on some hosts. */
    public static long clockGettimeNs(int clockId) {
        MemorySegment ts = Libc.scratch();
        try {
            MemorySegment errno = Libc.errnoSlot();
            int rc = (int) CLOCK_GETTIME.handle().invokeExact(errno, clockId, ts);
            Libc.check("clock_gettime", rc, errno);
            return ts.get(JAVA_LONG, TV_SEC) * 1_000_000_000L + ts.get(JAVA_LONG, TV_NSEC);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }
}
