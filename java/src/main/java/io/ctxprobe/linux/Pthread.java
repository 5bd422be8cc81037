package io.ctxprobe.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;

/**
 * pthread.h: kernel threads created from Java whose bodies are C functions (e.g.
 * NativePingPong.mainAddress()); such a thread never enters the JVM. pthread functions
 * return the error number instead of setting errno: {@link Libc#checkErrorNumber} maps it.
 */
public final class Pthread {
    private Pthread() {}

    /* int pthread_create(pthread_t *thread, const pthread_attr_t *attr,
     *                    void *(*start_routine)(void *), void *arg); */
    private static final Downcall PTHREAD_CREATE = Libc.plain("pthread_create",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS));

    /* int pthread_join(pthread_t thread, void **retval); */
    private static final Downcall PTHREAD_JOIN = Libc.plain("pthread_join",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS));

    /* pthread_t pthread_self(void); */
    private static final Downcall PTHREAD_SELF = Libc.plain("pthread_self",
            FunctionDescriptor.of(JAVA_LONG));

    /** Starts {@code startRoutine(arg)} on a new thread with default attributes; returns its pthread_t. */
    public static long create(MemorySegment startRoutine, MemorySegment arg) {
        MemorySegment thread = Libc.scratch();
        try {
            int err = (int) PTHREAD_CREATE.handle().invokeExact(thread, MemorySegment.NULL, startRoutine, arg);
            Libc.checkErrorNumber("pthread_create", err);
            return thread.get(JAVA_LONG, 0);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** Waits for the thread to end; its return value is discarded. */
    public static void join(long thread) {
        try {
            int err = (int) PTHREAD_JOIN.handle().invokeExact(thread, MemorySegment.NULL);
            Libc.checkErrorNumber("pthread_join", err);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    public static long self() {
        try {
            return (long) PTHREAD_SELF.handle().invokeExact();
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }
}
