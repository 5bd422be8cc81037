package io.ctxprobe.linux;

import java.lang.foreign.MemorySegment;

/**
 * Two kernel threads created from Java with pthread_create whose bodies (ctxprobe_pingpong_main)
 * bounce a token in libctxprobe; the Java face of ctxprobe.h's pingpong object. Life cycle:
 * {@link #start} (threads created, both ready and waiting, tids known) → pin and attach counters →
 * {@link #go} → {@link #join} → read results → {@link #close}. {@link #abort} may be called from any
 * thread at any time and makes both threads return.
 */
public final class NativePingPong implements AutoCloseable {

    public static final int PING = 0;
    public static final int PONG = 1;

    private final MemorySegment handle;
    private final int batches;
    private final long[] threads = {0, 0};
    private boolean joined;

    private NativePingPong(MemorySegment handle, int batches) {
        this.handle = handle;
        this.batches = batches;
    }

    /** Creates the object and both threads, and waits until both are ready (or fails, leaving none). */
    public static NativePingPong start(int mechanism, long warmup, int batches, long ops, long readyTimeoutMs) {
        MemorySegment handle = CtxprobeLib.pingpongNew(mechanism, warmup, batches, ops);
        NativePingPong pp = new NativePingPong(handle, batches);
        try {
            for (int side = PING; side <= PONG; side++) {
                pp.threads[side] = Pthread.create(CtxprobeLib.pingpongMainAddress(), CtxprobeLib.pingpongSide(handle, side));
            }
            CtxprobeLib.check("ctxprobe_pingpong_wait_ready", CtxprobeLib.pingpongWaitReady(handle, readyTimeoutMs));
            return pp;
        } catch (RuntimeException e) {
            pp.abort();
            pp.close();
            throw e;
        }
    }

    public int tid(int side) {
        return CtxprobeLib.check("ctxprobe_pingpong_tid", CtxprobeLib.pingpongTid(handle, side));
    }

    /** Hands a perf counter fd to {@code side}, which reads it at its first and last measured round trip. */
    public void counterFd(int side, int slot, int fd) {
        CtxprobeLib.check("ctxprobe_pingpong_set_counter_fd", CtxprobeLib.pingpongSetCounterFd(handle, side, slot, fd));
    }

    public void go() {
        CtxprobeLib.pingpongGo(handle);
    }

    public void abort() {
        CtxprobeLib.pingpongAbort(handle);
    }

    /** Joins both threads; rethrows the first error either side hit (-ECANCELED after an abort). */
    public void join() {
        joinThreads();
        CtxprobeLib.check("thread ping-pong", CtxprobeLib.pingpongError(handle));
    }

    private void joinThreads() {
        if (joined) return;
        for (int side = PING; side <= PONG; side++) {
            if (threads[side] != 0) Pthread.join(threads[side]);
            threads[side] = 0;
        }
        joined = true;
    }

    /** Side 0's per-batch wall times (ns per batch of round trips). */
    public long[] batchWallNs() {
        return CtxprobeLib.pingpongSamples(handle, batches);
    }

    public int cpu(int side, boolean atEnd) {
        return CtxprobeLib.check("ctxprobe_pingpong_cpu", CtxprobeLib.pingpongCpu(handle, side, atEnd));
    }

    /** Delta of the perf counter in {@code slot} over the measured batches, or -1 if it had none. */
    public long counterDelta(int side, int slot) {
        return CtxprobeLib.pingpongCounterDelta(handle, side, slot);
    }

    public long voluntarySwitches(int side) {
        return CtxprobeLib.pingpongRusageDelta(handle, side, CtxprobeLib.RUSAGE_NVCSW);
    }

    public long involuntarySwitches(int side) {
        return CtxprobeLib.pingpongRusageDelta(handle, side, CtxprobeLib.RUSAGE_NIVCSW);
    }

    /** Joins whatever is still running (after an abort if need be) and frees the native object. */
    @Override
    public void close() {
        if (!joined) {
            abort();
            joinThreads();
        }
        CtxprobeLib.pingpongFree(handle);
    }
}
