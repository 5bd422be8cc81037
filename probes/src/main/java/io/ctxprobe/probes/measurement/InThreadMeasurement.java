package io.ctxprobe.probes.measurement;

import io.ctxprobe.linux.Resource;
import io.ctxprobe.measure.BatchPlan;
import io.ctxprobe.measure.Calibration;
import io.ctxprobe.measure.CounterReadings;
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

/**
 * The measurement shape shared by loops that run on the probe's own thread (a system call, a fiber
 * switch, a downcall): pin the thread, size the batch from a pilot, run warm-up batches (which also
 * let the JIT compile Java-side loops), then the measured batches with the kernel's switch counts
 * taken around them. Such a loop must not block: a voluntary switch in it means something else ran
 * in the middle of the figure, and the case is flagged. The perf events of {@code --counters} are
 * opened as one group on the runner thread, enabled around the measured batches only, and reported
 * per operation; those the host cannot count are notes with the reason.
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

    /** Whether hardware events open here, asked once: it decides the default counter list. */
    private static volatile Boolean pmu;

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

            long[] wallNs = new long[plan.batches()];
            long[] cpuNs = new long[plan.batches()];
            Counted c = countedWithSwitches(ctx, plan.measuredOps(), () -> loop.run(plan.batches(), ops, wallNs, cpuNs));
            SwitchCounts counts = c.switches();
            CounterReadings events = c.events();
            result.param("cpu", cpu)
                    .batches(plan, unitsPerOp, wallNs, cpuNs)
                    .counters(counts.toCounters(plan.measuredOps()))
                    .counters(events.counters())
                    .note("runner thread pinned to CPU " + pin.cpu());
            events.notes().forEach(result::note);
            double voluntaryPerOp = (double) counts.voluntary() / plan.measuredOps();
            if (voluntaryPerOp > MAX_VOLUNTARY_PER_OP) {
                result.flag(String.format("the loop blocked %d times in %d operations (%.4f per op): it did not run undisturbed",
                        counts.voluntary(), plan.measuredOps(), voluntaryPerOp));
            }
        }
        return result.wallMs((System.nanoTime() - started) / 1e6).build();
    }

    /** The runner's getrusage switch split and the --counters readings around one stretch of work. */
    record Counted(SwitchCounts switches, CounterReadings events) {}

    /**
     * {@link #counted} plus getrusage(RUSAGE_THREAD) around it: the voluntary/involuntary split that
     * validates a loop (free: the kernel keeps it anyway). perf's switch and migration counts come with
     * the --counters group, not a second time.
     */
    static Counted countedWithSwitches(ProbeContext ctx, long ops, Runnable body) {
        Resource.Rusage before = Resource.getrusage(Resource.RUSAGE_THREAD);
        CounterReadings events = counted(ctx, ops, body);
        Resource.Rusage after = Resource.getrusage(Resource.RUSAGE_THREAD);
        return new Counted(new SwitchCounts("runner", null, null, after.voluntarySwitches() - before.voluntarySwitches(),
                after.involuntarySwitches() - before.involuntarySwitches(), null), events);
    }

    /**
     * Runs {@code body} on the calling thread inside a perf group of the run's --counters and returns
     * the readings per operation ({@code ops} operations): the one way every in-thread loop counts.
     */
    public static CounterReadings counted(ProbeContext ctx, long ops, Runnable body) {
        try (PerfCounterGroup group = PerfCounterGroup.open(counterSpecs(ctx.options()), ctx.binding().gettid(), false)) {
            group.reset();
            group.enable();
            body.run();
            group.disable();
            return CounterReadings.of(group, group.read(), "runner", ops);
        }
    }

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
