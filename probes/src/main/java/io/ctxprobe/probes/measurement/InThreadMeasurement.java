package io.ctxprobe.probes.measurement;

import io.ctxprobe.linux.Resource;
import io.ctxprobe.measure.BatchPlan;
import io.ctxprobe.measure.Calibration;
import io.ctxprobe.measure.CounterReadings;
import io.ctxprobe.measure.Interference;
import io.ctxprobe.measure.MixtureCheck;
import io.ctxprobe.measure.SchedStat;
import io.ctxprobe.measure.SwitchCounts;
import io.ctxprobe.perf.PerfAvailability;
import io.ctxprobe.perf.PerfCounterGroup;
import io.ctxprobe.perf.PerfEventSpec;
import io.ctxprobe.probe.Probe;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.probe.RunOptions;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.CaseResultBuilder;

import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The measurement shape shared by loops that run on the probe's own thread (a system call, a fiber
 * switch, a downcall): pin the thread, size the batch from a pilot, run warm-up batches (which also
 * let the JIT compile Java-side loops), then the measured batches with the kernel's switch counts
 * taken around them. Such a loop must not block: a voluntary switch in it means something else ran
 * in the middle of the figure, and the case is flagged. The perf events of {@code --counters} are
 * opened as one group on the runner thread, enabled around the measured batches only, and reported
 * per operation; those the host cannot count are notes with the reason. Two guards ride on every
 * case: a wide case is extended and, still mixed, flagged with its modes ({@link Extension},
 * {@link MixtureCheck}); the runner's schedstat around the measured batches says whether other work
 * took its CPU ({@link Interference}, flagged "disturbed").
 */
public final class InThreadMeasurement {

    /** Voluntary switches per operation above which an in-thread loop did not run as one stretch. */
    static final double MAX_VOLUNTARY_PER_OP = 0.001;
    private static final long PILOT_OPS = 1_000;

    /** What an in-thread probe reads from the run options. */
    public static final List<Probe.ParamSpec> PARAMETERS = List.of(
            new Probe.ParamSpec("--cpus", "runs on the first CPU given (default: the first allowed CPU)"),
            new Probe.ParamSpec("--batches", "measured batches per case"),
            new Probe.ParamSpec("--counters", "perf events counted around the measured batches"));

    private InThreadMeasurement() {}

    public static CaseResult measure(ProbeContext ctx, CaseResultBuilder result, BatchLoop loop, double unitsPerOp,
                              long maxOps) {
        RunOptions options = ctx.options();
        int cpu = ctx.cpus().first();
        long started = System.nanoTime();
        try (ProbeContext.Pin pin = ctx.pinCurrentThread(cpu)) {
            long[] wall = new long[1];
            long[] cpuTime = new long[1];
            loop.run(1, PILOT_OPS, wall, cpuTime);
            long ops = Calibration.opsFor((double) wall[0] / PILOT_OPS, options.targetBatchNs(), 100, maxOps);
            BatchPlan plan = new BatchPlan(options.warmupBatches(), options.measuredBatches(), ops);

            long[] warmWall = new long[plan.warmup()];
            long[] warmCpu = new long[plan.warmup()];
            if (plan.warmup() > 0) loop.run(plan.warmup(), ops, warmWall, warmCpu);

            Batches batches = new Batches(plan);
            int tid = ctx.binding().gettid();
            Optional<SchedStat> schedBefore = SchedStat.read(tid);
            long windowStart = System.nanoTime();
            Counted c = countedWithSwitches(ctx, () -> batches.run(ctx, loop, started, result));
            long windowNs = System.nanoTime() - windowStart;
            Optional<SchedStat> schedAfter = SchedStat.read(tid);
            BatchPlan measured = batches.plan();
            SwitchCounts counts = c.switches();
            CounterReadings events = c.events();
            result.param("cpu", cpu)
                    .batches(measured, unitsPerOp, batches.wallNs, batches.cpuNs)
                    .mixtureChecked(plan.batches())
                    .interference(Interference.judge(List.of(runnerTask(tid, cpu, windowNs, schedBefore, schedAfter,
                            counts.involuntary()))))
                    .counters(counts.toCounters(measured.measuredOps()))
                    .counters(events.counters())
                    .note("runner thread pinned to CPU " + pin.cpu());
            events.notes().forEach(result::note);
            double voluntaryPerOp = (double) counts.voluntary() / measured.measuredOps();
            if (voluntaryPerOp > MAX_VOLUNTARY_PER_OP) {
                result.flag(String.format("the loop blocked %d times in %d operations (%.4f per op): it did not run undisturbed",
                        counts.voluntary(), measured.measuredOps(), voluntaryPerOp));
            }
        }
        return result.wallMs((System.nanoTime() - started) / 1e6).build();
    }

    /** The measured batches: the planned ones, then (for a wide case, see {@link Extension}) the extension. */
    private static final class Batches {
        private final BatchPlan planned;
        long[] wallNs;
        long[] cpuNs;

        Batches(BatchPlan planned) {
            this.planned = planned;
        }

        /** Runs them; returns the operations measured (for the counters' per-op figures). */
        long run(ProbeContext ctx, BatchLoop loop, long caseStarted, CaseResultBuilder result) {
            wallNs = new long[planned.batches()];
            cpuNs = new long[planned.batches()];
            loop.run(planned.batches(), planned.opsPerBatch(), wallNs, cpuNs);
            MixtureCheck check = Extension.decide(ctx, caseStarted, wallNs, planned.batches());
            if (check.action() == MixtureCheck.Action.EXTEND) {
                long[] moreWall = new long[check.extraBatches()];
                long[] moreCpu = new long[check.extraBatches()];
                loop.run(check.extraBatches(), planned.opsPerBatch(), moreWall, moreCpu);
                wallNs = Extension.concat(wallNs, moreWall);
                cpuNs = Extension.concat(cpuNs, moreCpu);
                Extension.record(result, check, planned.batches());
            }
            return plan().measuredOps();
        }

        BatchPlan plan() {
            return new BatchPlan(planned.warmup(), wallNs.length, planned.opsPerBatch());
        }
    }

    /** The runner thread over the measured window; schedstat figures absent where the kernel keeps none. */
    static Interference.Task runnerTask(int tid, int cpu, long windowNs, Optional<SchedStat> before,
                                        Optional<SchedStat> after, long involuntary) {
        SchedStat delta = before.isPresent() && after.isPresent() ? after.get().minus(before.get()) : null;
        return new Interference.Task("runner", tid, cpu, windowNs, delta == null ? null : delta.runNs(),
                delta == null ? null : delta.runDelayNs(), involuntary,
                SchedStat.SOURCE + "; involuntary switches: " + SwitchCounts.RUSAGE_SOURCE);
    }

    /** The runner's getrusage switch split and the --counters readings around one stretch of work. */
    record Counted(SwitchCounts switches, CounterReadings events) {}

    /**
     * {@link #counted} plus getrusage(RUSAGE_THREAD) around it: the voluntary/involuntary split that
     * validates a loop (free: the kernel keeps it anyway). perf's switch and migration counts come with
     * the --counters group, not a second time. {@code body} returns the operations it measured.
     */
    static Counted countedWithSwitches(ProbeContext ctx, LongSupplier body) {
        Resource.Rusage before = Resource.getrusage(Resource.RUSAGE_THREAD);
        CounterReadings events = counted(ctx, body);
        Resource.Rusage after = Resource.getrusage(Resource.RUSAGE_THREAD);
        return new Counted(new SwitchCounts("runner", null, null, after.voluntarySwitches() - before.voluntarySwitches(),
                after.involuntarySwitches() - before.involuntarySwitches(), null), events);
    }

    /**
     * Runs {@code body} on the calling thread inside a perf group of the run's --counters and returns
     * the readings per operation ({@code ops} operations): the one way every in-thread loop counts.
     */
    public static CounterReadings counted(ProbeContext ctx, long ops, Runnable body) {
        return counted(ctx, () -> {
            body.run();
            return ops;
        });
    }

    /** {@link #counted(ProbeContext, long, Runnable)} where the body returns how many operations it ran. */
    static CounterReadings counted(ProbeContext ctx, LongSupplier body) {
        try (PerfCounterGroup group = PerfCounterGroup.open(counterSpecs(ctx.options()), ctx.binding().gettid(), false)) {
            group.reset();
            group.enable();
            long ops = body.getAsLong();
            group.disable();
            return CounterReadings.of(group, group.read(), "runner", ops);
        }
    }

    /** Whether hardware events open here, asked once: it decides the default counter list. */
    private static volatile Boolean pmu;

    /** The run's --counters (validated by the CLI), else the defaults for this host. */
    static List<PerfEventSpec> counterSpecs(RunOptions options) {
        Boolean known = pmu;
        if (known == null && options.counters().isEmpty()) {
            known = PerfAvailability.probe().hardware().open();
            pmu = known;
        }
        return PerfEventSpec.parseList(options.counterNames(known != null && known));
    }
}
