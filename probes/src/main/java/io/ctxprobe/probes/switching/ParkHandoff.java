package io.ctxprobe.probes.switching;

import io.ctxprobe.measure.BatchPlan;
import io.ctxprobe.measure.Calibration;
import io.ctxprobe.probe.Cleanup;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * Two Java threads, platform or virtual, handing one token back and forth with
 * {@link LockSupport#park}/{@link LockSupport#unpark}, the way java.util.concurrent's synchronizers
 * wait: an atomic turn word checked in a loop around park (park may return spuriously, and an unpark
 * that comes first makes the next park return at once). The same code serves jthread.switch and
 * vthread.switch, so the two differ only in what kind of thread runs it.
 *
 * <p>Ping drives and times batches of round trips; pong serves until told to stop. Two extra,
 * untimed round trips carry a MARK command, on which pong takes its own readings (kernel counts,
 * CPU, carrier) at the edges of the measured window: each side reads itself, and nothing is added to
 * a timed batch. An abort (Ctrl-C, deadline, an error on the other side) sets a flag and unparks
 * both; the wait loops check it, so no wait needs a timer.
 */
public final class ParkHandoff {

    /** Mark indices passed to the mark callbacks: the edges of the measured window. */
    public static final int BEFORE = 0;
    public static final int AFTER = 1;

    private static final int PING_TURN = 0;
    private static final int PONG_TURN = 1;
    private static final int PONG_MARK = 2;
    private static final int PONG_STOP = 3;
    private static final long PILOT_ROUND_TRIPS = 1_000;

    private final AtomicInteger turn = new AtomicInteger(PING_TURN);
    private volatile boolean aborted;
    private volatile Thread ping;
    private volatile Thread pong;

    /**
     * Round trips run before the pilot, for at least this long: C1 then C2 must compile the loop and
     * the JDK's park path (for virtual threads: continuation yield and the scheduler). In a fresh JVM
     * on the development VM the figure settled only 150-300 ms after the first handoff, and a pilot
     * taken earlier sized batches for interpreted code (a tenth of the target). Not measured.
     */
    static final long JIT_WARMUP_NS = 500_000_000L;
    private static final long JIT_CHUNK_ROUND_TRIPS = 1_000;

    /** What ping measured: the plan sized from its pilot, each measured batch's wall time, the JIT warm-up done. */
    public record Batches(BatchPlan plan, long[] wallNs, long jitWarmupRoundTrips, long jitWarmupNs) {}

    /** Thrown out of a wait once the handoff is aborted. */
    static final class Aborted extends RuntimeException {
        Aborted() {
            super("handoff aborted", null, false, false);
        }
    }

    /**
     * Ping's body: JIT warm-up ({@link #JIT_WARMUP_NS}), a pilot that sizes the batches, warm-up
     * batches, MARK, measured batches, MARK, then STOP for pong. {@code pingMark} runs on ping right
     * after the first MARK and right before the second, so pong's window (MARK to MARK) encloses
     * ping's by one untimed hand-off at each end.
     */
    public Batches drive(int warmup, int batches, long targetBatchNs, IntConsumer pingMark) {
        boolean clean = false;
        try {
            long jitRoundTrips = 0;
            long jitStart = System.nanoTime();
            long jitNs;
            do {
                batch(JIT_CHUNK_ROUND_TRIPS);
                jitRoundTrips += JIT_CHUNK_ROUND_TRIPS;
                jitNs = System.nanoTime() - jitStart;
            } while (jitNs < JIT_WARMUP_NS);
            long pilotNs = batch(PILOT_ROUND_TRIPS);
            long ops = Calibration.opsFor((double) pilotNs / PILOT_ROUND_TRIPS, targetBatchNs, 50, 10_000_000);
            BatchPlan plan = new BatchPlan(warmup, batches, ops);
            for (int b = 0; b < warmup; b++) batch(ops);
            roundTrip(PONG_MARK);
            pingMark.accept(BEFORE);
            long[] wallNs = new long[batches];
            for (int b = 0; b < batches; b++) wallNs[b] = batch(ops);
            pingMark.accept(AFTER);
            roundTrip(PONG_MARK);
            clean = true;
            return new Batches(plan, wallNs, jitRoundTrips, jitNs);
        } finally {
            if (clean) {
                turn.set(PONG_STOP);   // ping holds the token here, so pong is waiting and reads STOP next
                LockSupport.unpark(pong);
            } else {
                abort();
            }
        }
    }

    /** A note for the result: the JIT warm-up that preceded the pilot. */
    static String jitNote(Batches b) {
        return String.format("JIT warm-up before the pilot: %d round trips in %.0f ms (not measured)",
                b.jitWarmupRoundTrips(), b.jitWarmupNs() / 1e6);
    }

    /** Pong's body: hands the token back until STOP; on MARK runs {@code pongMark(index)} first. */
    public void serve(IntConsumer pongMark) {
        boolean clean = false;
        try {
            int marks = 0;
            for (;;) {
                int command;
                while ((command = turn.get()) == PING_TURN) {
                    if (aborted) throw new Aborted();
                    LockSupport.park(this);
                }
                if (command == PONG_STOP) break;
                if (command == PONG_MARK) pongMark.accept(marks++);
                turn.set(PING_TURN);
                LockSupport.unpark(ping);
            }
            clean = true;
        } finally {
            if (!clean) abort();
        }
    }

    /** One timed batch of {@code ops} round trips; System.nanoTime is CLOCK_MONOTONIC through the vDSO. */
    private long batch(long ops) {
        long t0 = System.nanoTime();
        for (long i = 0; i < ops; i++) roundTrip(PONG_TURN);
        return System.nanoTime() - t0;
    }

    private void roundTrip(int command) {
        turn.set(command);
        LockSupport.unpark(pong);
        while (turn.get() != PING_TURN) {
            if (aborted) throw new Aborted();
            LockSupport.park(this);
        }
    }

    /** Makes both sides leave their waits and return; safe from any thread, more than once. */
    void abort() {
        aborted = true;
        Thread a = ping;
        Thread b = pong;
        if (a != null) LockSupport.unpark(a);
        if (b != null) LockSupport.unpark(b);
    }

    /**
     * Runs ping and pong on two new threads (virtual or daemon platform threads named
     * {@code pingName}/{@code pongName}), registered with {@code cleanup} so Ctrl-C aborts them, and
     * waits for both: past {@code deadlineMs} it aborts them. Both threads have ended when this
     * returns or throws. Returns ping's result, or throws the first real error either side raised.
     */
    public <T> T run(boolean virtual, String pingName, String pongName, Supplier<T> pingBody, Runnable pongBody,
              long deadlineMs, Cleanup cleanup, String what) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> pingError = new AtomicReference<>();
        AtomicReference<Throwable> pongError = new AtomicReference<>();
        Thread pingThread = builder(virtual, pingName).unstarted(() -> {
            try {
                result.set(pingBody.get());
            } catch (Throwable t) {
                pingError.set(t);
                abort();
            }
        });
        Thread pongThread = builder(virtual, pongName).unstarted(() -> {
            try {
                pongBody.run();
            } catch (Throwable t) {
                pongError.set(t);
                abort();
            }
        });
        ping = pingThread;
        pong = pongThread;
        Runnable stop = () -> {
            abort();
            pingThread.interrupt();   // for a side still waiting to start (a latch), not in the handoff
            pongThread.interrupt();
        };
        boolean onTime;
        try (Cleanup.Registration _ = cleanup.register(what, stop)) {
            pongThread.start();
            pingThread.start();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(deadlineMs);
            onTime = joinUntil(pingThread, deadline) & joinUntil(pongThread, deadline);
            if (!onTime) {
                stop.run();
                joinUntil(pingThread, System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
                joinUntil(pongThread, System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
            }
        }
        if (pingThread.isAlive() || pongThread.isAlive()) {
            throw new IllegalStateException(what + " did not end after an abort");
        }
        Throwable error = firstReal(pongError.get(), pingError.get());
        if (error == null && !onTime) throw new IllegalStateException(what + " passed the " + deadlineMs + " ms deadline");
        if (error instanceof RuntimeException e) throw e;
        if (error != null) throw new IllegalStateException(what + ": " + error, error);
        return result.get();
    }

    /** The error that caused the stop, not the Aborted it made the other side throw. */
    private static Throwable firstReal(Throwable a, Throwable b) {
        if (a != null && !(a instanceof Aborted)) return a;
        if (b != null && !(b instanceof Aborted)) return b;
        return a != null ? a : b;
    }

    private static Thread.Builder builder(boolean virtual, String name) {
        return virtual ? Thread.ofVirtual().name(name) : Thread.ofPlatform().daemon().name(name);
    }

    /** Joins {@code t} until the System.nanoTime {@code deadline}; an interrupt of the caller aborts the pair. */
    private boolean joinUntil(Thread t, long deadline) {
        boolean interrupted = false;
        try {
            for (;;) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return !t.isAlive();
                try {
                    return t.join(java.time.Duration.ofNanos(left));
                } catch (InterruptedException e) {
                    interrupted = true;   // keep waiting: the threads must be joined before returning
                    abort();
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /** Cost of one System.nanoTime read, back to back after a warm-up, in ns. */
    public static double nanoTimeReadNs() {
        int reads = 20_000;
        long sink = 0;
        for (int i = 0; i < reads; i++) sink += System.nanoTime();
        long t0 = System.nanoTime();
        for (int i = 0; i < reads; i++) sink += System.nanoTime();
        long t1 = System.nanoTime();
        if (sink == 42) System.out.print("");   // keeps the reads
        return (double) (t1 - t0) / (reads + 1);
    }
}
