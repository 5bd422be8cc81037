package io.ctxprobe.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;

/** sys/eventfd.h: an 8-byte counter fd, one of the wake-up mechanisms probes compare. */
public final class EventFd {
    private EventFd() {}

    public static final int EFD_SEMAPHORE = 1;
    public static final int EFD_NONBLOCK = 0x800;
    public static final int EFD_CLOEXEC = 0x80000;

    /* int eventfd(unsigned int initval, int flags); */
    private static final Downcall EVENTFD = Libc.errno("eventfd",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));

    public static int eventfd(int initval, int flags) {
        try {
            MemorySegment errno = Libc.errnoSlot();
            int rc = (int) EVENTFD.handle().invokeExact(errno, initval, flags);
            return Libc.check("eventfd", rc, errno);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }
}
