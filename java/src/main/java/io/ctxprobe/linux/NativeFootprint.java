package io.ctxprobe.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;

/**
 * The binding of native/include/ctxprobe/footprint.h, and its typed face: a set of N idle
 * processes, kernel threads or fibers that exist and block, so that their memory can be read from
 * the kernel's accounting. Life cycle: {@link #create} (nothing yet) → baseline readings →
 * {@link #start} + {@link #waitReady} → readings ({@link #id}) → {@link #reap} → "after" readings →
 * {@link #close}. {@link #release} may be called from any thread (an abort action).
 */
public final class NativeFootprint implements AutoCloseable {

    /** What the units are. */
    public enum Kind implements NativeCode {
        /** Children forked in C from the calling thread (which must outlive the set). */
        @CDefine("CTXPROBE_FOOTPRINT_PROCESS") PROCESS(1),
        /** pthreads with glibc's default attributes, named "ctxp-idle". */
        @CDefine("CTXPROBE_FOOTPRINT_THREAD") THREAD(2),
        /** Fibers on mmap'd stacks, entered once on the calling thread. */
        @CDefine("CTXPROBE_FOOTPRINT_FIBER") FIBER(3);

        private final int code;

        Kind(int code) {
            this.code = code;
        }

        @Override
        public int code() {
            return code;
        }
    }

    /** Usable bytes of each fiber's stack. */
    @CDefine("CTXPROBE_FOOTPRINT_FIBER_STACK")
    public static final long FIBER_STACK = 64 * 1024;

    /* ctxprobe_footprint *ctxprobe_footprint_new(int32_t kind, int32_t n, int64_t touch_bytes); */
    private static final Downcall NEW = NativeCore.fn("ctxprobe_footprint_new",
            FunctionDescriptor.of(ADDRESS, JAVA_INT, JAVA_INT, JAVA_LONG));
    /* int32_t ctxprobe_footprint_start(ctxprobe_footprint *s); */
    private static final Downcall START = NativeCore.fn("ctxprobe_footprint_start", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    /* int32_t ctxprobe_footprint_count(ctxprobe_footprint *s); */
    private static final Downcall COUNT = NativeCore.fn("ctxprobe_footprint_count", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    /* int32_t ctxprobe_footprint_ready(ctxprobe_footprint *s); */
    private static final Downcall READY = NativeCore.fn("ctxprobe_footprint_ready", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    /* int32_t ctxprobe_footprint_wait_ready(ctxprobe_footprint *s, int64_t timeout_ms); */
    private static final Downcall WAIT_READY = NativeCore.fn("ctxprobe_footprint_wait_ready",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    /* int32_t ctxprobe_footprint_id(ctxprobe_footprint *s, int32_t i); */
    private static final Downcall ID = NativeCore.fn("ctxprobe_footprint_id", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    /* void ctxprobe_footprint_release(ctxprobe_footprint *s); */
    private static final Downcall RELEASE = NativeCore.fn("ctxprobe_footprint_release", FunctionDescriptor.ofVoid(ADDRESS));
    /* int32_t ctxprobe_footprint_reap(ctxprobe_footprint *s, int64_t timeout_ms); */
    private static final Downcall REAP = NativeCore.fn("ctxprobe_footprint_reap",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    /* void ctxprobe_footprint_free(ctxprobe_footprint *s); */
    private static final Downcall FREE = NativeCore.fn("ctxprobe_footprint_free", FunctionDescriptor.ofVoid(ADDRESS));

    private final MemorySegment handle;

    private NativeFootprint(MemorySegment handle) {
        this.handle = handle;
    }

    /**
     * A new set of {@code n} units of {@code kind}, nothing created yet; {@code touchBytes} of each
     * fiber's stack are written before it suspends (fibers only). NULL from C (bad input or no
     * memory) becomes an IllegalArgumentException.
     */
    public static NativeFootprint create(Kind kind, int n, long touchBytes) {
        MemorySegment s;
        try {
            s = (MemorySegment) NEW.handle().invokeExact(kind.code(), n, touchBytes);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
        if (s.equals(MemorySegment.NULL)) {
            throw new IllegalArgumentException("ctxprobe_footprint_new(" + kind + ", n=" + n + ", touch_bytes="
                    + touchBytes + ") returned NULL: bad input or out of memory");
        }
        return new NativeFootprint(s);
    }

    private int call(Downcall fn) {
        try {
            return (int) fn.handle().invokeExact(handle);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    private int call(Downcall fn, long timeoutMs) {
        try {
            return (int) fn.handle().invokeExact(handle, timeoutMs);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    private void callVoid(Downcall fn) {
        try {
            fn.handle().invokeExact(handle);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** Creates the units (forks / pthread_create / fiber first frames, on the calling thread); n. */
    public int start() {
        return NativeCore.check("ctxprobe_footprint_start", call(START));
    }

    /** Units created so far. */
    public int count() {
        return call(COUNT);
    }

    /** Units that reported ready (blocked or suspended). */
    public int ready() {
        return call(READY);
    }

    /** Returns once every created unit is ready; throws on -ETIMEDOUT. */
    public void waitReady(long timeoutMs) {
        NativeCore.check("ctxprobe_footprint_wait_ready", call(WAIT_READY, timeoutMs));
    }

    /** Unit i's pid (process) or tid (thread), 0 for a fiber; -EINVAL out of range. */
    public int id(int i) {
        try {
            return (int) ID.handle().invokeExact(handle, i);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** Wakes every unit so that it exits; idempotent (an abort action). */
    public void release() {
        callVoid(RELEASE);
    }

    /** Releases, then reaps children / joins threads / unmaps fiber stacks: 0, -ETIMEDOUT, -EPIPE. */
    public int reap(long timeoutMs) {
        return call(REAP, timeoutMs);
    }

    /** Tears down whatever is left (kill + reap, join, unmap) and frees the set. */
    @Override
    public void close() {
        callVoid(FREE);
    }
}
