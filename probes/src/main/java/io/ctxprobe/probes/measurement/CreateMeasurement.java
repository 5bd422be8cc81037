package io.ctxprobe.probes.measurement;

import io.ctxprobe.binding.Binding;
import io.ctxprobe.linux.Time;
import io.ctxprobe.measure.BatchPlan;
import io.ctxprobe.measure.Calibration;
import io.ctxprobe.measure.Interference;
import io.ctxprobe.measure.MixtureCheck;
import io.ctxprobe.measure.SchedStat;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.probe.RunOptions;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.CaseResultBuilder;

import java.util.List;
import java.util.Optional;


/**
 * The measurement shape of the creation probes (process.create, thread.create, fiber.create):
 * creation is slow (up to milliseconds) and blocks by nature (waitpid, join), so unlike
 * {@link InThreadMeasurement} the pilot is a few operations, a batch may hold a single one, and a
 * voluntary switch is expected rather than flagged. The runner thread is pinned to the first CPU
 * for the whole case; children and threads it creates inherit that pin (a helper process started
 * under it too). One call of the loop runs the warm-up and the measured batches (the batch
 * protocol), so a helper process does both in one life.
 */
public final class CreateMeasurement {

    /** warmup unmeasured batches, then batches measured ones of ops operations each. */
    @FunctionalInterface
    public interface Loop {
        void run(int warmup, int batches, long ops, long[] wallNs, long[] cpuNs);
    }

    private CreateMeasurement() {}

    /**
     * @param unitsPerOp   the unit's size per operation (1000 for "us/create": a batch's ns divided
     *                     by 1000 units per create)
     * @param countOwnSwitches whether the runner thread's switch counts mean something (false when
     *                     the operations run in another process)
     */
    public static CaseResult measure(ProbeContext ctx, CaseResultBuilder result, Loop loop, long pilotOps, long maxOps,
                              double unitsPerOp, boolean countOwnSwitches) {
        RunOptions options = ctx.options();
        int cpu = ctx.cpus().first();
        long started = System.nanoTime();
        try (ProbeContext.Pin pin = ctx.pinCurrentThread(cpu)) {
            long[] pilot = new long[1];
            loop.run(0, 1, pilotOps, pilot, new long[1]);
            long ops = Calibration.opsFor((double) pilot[0] / pilotOps, options.targetBatchNs(), 1, maxOps);
            BatchPlan plan = new BatchPlan(options.warmupBatches(), options.measuredBatches(), ops);
            Batches batches = new Batches(plan);
            if (countOwnSwitches) {
                // The counts span the warm-up batches too (one window around each call of the loop).
                int tid = ctx.binding().gettid();
                Optional<SchedStat> before = SchedStat.read(tid);
                long windowStart = System.nanoTime();
                InThreadMeasurement.Counted c = InThreadMeasurement.countedWithSwitches(ctx,
                        () -> batches.run(ctx, loop, started, result));
                long windowNs = System.nanoTime() - windowStart;
                Optional<SchedStat> after = SchedStat.read(tid);
                result.counters(c.switches().toCounters(batches.countedOps)).counters(c.events().counters())
                        .interference(Interference.recorded(List.of(InThreadMeasurement.runnerTask(tid, cpu, windowNs,
                                before, after, c.switches().involuntary())), NOT_JUDGED));
                c.events().notes().forEach(result::note);
            } else {
                batches.run(ctx, loop, started, result);
            }
            result.param("cpu", cpu)
                    .batches(batches.plan(), unitsPerOp, batches.wallNs, batches.cpuNs)
                    .mixtureChecked(plan.batches())
                    .note("runner thread pinned to CPU " + pin.cpu() + "; what it creates inherits the pin");
        }
        return result.wallMs((System.nanoTime() - started) / 1e6).build();
    }

    /** Why a creation case's interference is recorded but not judged. */
    static final String NOT_JUDGED = "the runner shares its CPU with the processes and threads it creates and waits "
            + "for: its run delay includes their turns, and their own figures leave with them";

    /** The planned batches (with their warm-up) in one call of the loop, then for a wide case the extension in another. */
    private static final class Batches {
        private final BatchPlan planned;
        long[] wallNs;
        long[] cpuNs;
        long countedOps;

        Batches(BatchPlan planned) {
            this.planned = planned;
        }

        long run(ProbeContext ctx, Loop loop, long caseStarted, CaseResultBuilder result) {
            long ops = planned.opsPerBatch();
            wallNs = new long[planned.batches()];
            cpuNs = new long[planned.batches()];
            loop.run(planned.warmup(), planned.batches(), ops, wallNs, cpuNs);
            countedOps = (long) (planned.warmup() + planned.batches()) * ops;
            MixtureCheck check = Extension.decide(ctx, caseStarted, wallNs, planned.batches());
            if (check.action() == MixtureCheck.Action.EXTEND) {
                long[] moreWall = new long[check.extraBatches()];
                long[] moreCpu = new long[check.extraBatches()];
                loop.run(planned.warmup(), check.extraBatches(), ops, moreWall, moreCpu);   // a fresh call warms up again
                countedOps += (long) (planned.warmup() + check.extraBatches()) * ops;
                wallNs = Extension.concat(wallNs, moreWall);
                cpuNs = Extension.concat(cpuNs, moreCpu);
                Extension.record(result, check, planned.batches());
            }
            return countedOps;
        }

        BatchPlan plan() {
            return new BatchPlan(planned.warmup(), wallNs.length, planned.opsPerBatch());
        }
    }

    /** A libctxprobe creation run (batch protocol) as a {@link Loop}. */
    public static Loop nativeRun(String call, NativeLoops.NativeRun run) {
        return (warmup, batches, ops, wallNs, cpuNs) -> NativeLoops.run(call, run, warmup, batches, ops, wallNs, cpuNs);
    }

    /** One Java-side operation that may be interrupted (a join). */
    @FunctionalInterface
    public interface JavaOp {
        void run() throws InterruptedException;
    }

    /** A Java loop timed through the run's binding, thread CPU time at batch edges only. */
    public static Loop javaRun(Binding clock, JavaOp op) {
        return (warmup, batches, ops, wallNs, cpuNs) -> {
            try {
                for (int b = -warmup; b < batches; b++) {
                    long cpu0 = clock.clockNs(Time.CLOCK_THREAD_CPUTIME_ID);
                    long t0 = clock.clockNs(Time.CLOCK_MONOTONIC);
                    for (long i = 0; i < ops; i++) op.run();
                    long t1 = clock.clockNs(Time.CLOCK_MONOTONIC);
                    long cpu1 = clock.clockNs(Time.CLOCK_THREAD_CPUTIME_ID);
                    if (b >= 0) {
                        wallNs[b] = t1 - t0;
                        cpuNs[b] = cpu1 - cpu0;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while joining", e);
            }
        };
    }
}
