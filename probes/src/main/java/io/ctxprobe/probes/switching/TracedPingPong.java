package io.ctxprobe.probes.switching;

import io.ctxprobe.linux.CpuSet;
import io.ctxprobe.linux.LinuxException;
import io.ctxprobe.linux.NativePingPong;
import io.ctxprobe.measure.BatchPlan;
import io.ctxprobe.probe.Cleanup;
import io.ctxprobe.probe.CpuPair;
import io.ctxprobe.probe.ProbeContext;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The libctxprobe ping-pong (the same object as thread.switch and process.switch: {@link NativePingPong},
 * no new C) run under the kernel's eyes: once both sides are ready and pinned, and their tids known,
 * {@code attach} opens a {@link Tracer} on exactly those tasks; it is enabled just before "go" and
 * disabled right after both sides have finished, so what it saw is this run and nothing before or
 * after it (both sides sleep until "go"). A forked side that dies is said in words (PartnerEnd).
 */
public final class TracedPingPong {

    private static final long READY_TIMEOUT_MS = 10_000;

    /** What watches the run: opened on the tids, enabled and disabled around it, then read. */
    public interface Tracer<T> extends AutoCloseable {
        void start();

        /** Disables and reads what was seen. */
        T stop();

        @Override
        void close();
    }

    /**
     * The run: side 0's per-batch wall times, the sides' tids, getrusage switch counts per side over the
     * measured window (voluntary, involuntary), the CPU each side ran on at [start, end], and what the
     * tracer saw.
     */
    public record Result<T>(int[] tids, long[] wallNs, long[][] rusage, int[][] cpus, T trace) {
        /** Both sides' getrusage switches over the measured window. */
        public long switches() {
            return rusage[0][0] + rusage[0][1] + rusage[1][0] + rusage[1][1];
        }
    }

    private TracedPingPong() {}

    public static <T> Result<T> run(ProbeContext ctx, Mechanism mechanism, NativePingPong.Mode mode, CpuPair pair,
                                    BatchPlan plan, Function<int[], Tracer<T>> attach) {
        NativePingPong pp = NativePingPong.start(mechanism.code(), mode, plan.warmup(), plan.batches(), plan.opsPerBatch(),
                READY_TIMEOUT_MS);
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
                .daemon().name("ctxprobe-deadline").factory());
        try (pp; Cleanup.Registration _ = ctx.cleanup().register("traced ping-pong pair", pp::abort)) {
            int[] cpus = {pair.first(), pair.second()};
            int[] tids = new int[2];
            for (int side = NativePingPong.PING; side <= NativePingPong.PONG; side++) {
                tids[side] = pp.tid(side);
                ctx.binding().setAffinity(tids[side], CpuSet.of(cpus[side]));
            }
            try (Tracer<T> tracer = attach.apply(tids)) {
                ScheduledFuture<?> deadline = watchdog.schedule(pp::abort, deadlineMs(ctx, plan), TimeUnit.MILLISECONDS);
                tracer.start();
                pp.go();
                try {
                    pp.join();
                } catch (LinuxException e) {
                    throw PartnerEnd.of(pp, e);
                }
                T seen = tracer.stop();
                deadline.cancel(false);
                long[][] rusage = new long[2][2];
                int[][] ran = new int[2][2];
                for (int side = NativePingPong.PING; side <= NativePingPong.PONG; side++) {
                    rusage[side][0] = pp.voluntarySwitches(side);
                    rusage[side][1] = pp.involuntarySwitches(side);
                    ran[side][0] = pp.cpu(side, false);
                    ran[side][1] = pp.cpu(side, true);
                }
                return new Result<>(tids, pp.batchWallNs(), rusage, ran, seen);
            }
        } finally {
            watchdog.shutdownNow();
        }
    }

    /** Generous: ten times the planned batch time plus a minute, so only a hang trips it. */
    private static long deadlineMs(ProbeContext ctx, BatchPlan plan) {
        return 60_000 + 10 * (plan.warmup() + plan.batches()) * ctx.options().targetBatchNs() / 1_000_000;
    }
}
