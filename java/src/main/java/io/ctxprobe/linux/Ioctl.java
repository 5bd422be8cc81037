package io.ctxprobe.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;

/** sys/ioctl.h: ioctl with one integer (or address) argument. */
public final class Ioctl {
    private Ioctl() {}

    /* int ioctl(int fd, unsigned long request, ...);   variadic from the third argument */
    private static final Downcall IOCTL = Libc.errnoVariadic("ioctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG), 2);

    /** {@code arg} is the integer argument, or a pointer's {@code MemorySegment.address()}. */
    public static int ioctl(int fd, long request, long arg) {
        try {
            MemorySegment errno = Libc.errnoSlot();
            int rc = (int) IOCTL.handle().invokeExact(errno, fd, request, arg);
            return Libc.check("ioctl", rc, errno);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }
}
