package io.ctxprobe.probes.switching;

import io.ctxprobe.linux.NativePingPong;
import io.ctxprobe.measure.BatchPlan;
import io.ctxprobe.measure.Calibration;
import io.ctxprobe.measure.Interference;
import io.ctxprobe.measure.MixtureCheck;
import io.ctxprobe.measure.SchedStat;
import io.ctxprobe.measure.Stats;
import io.ctxprobe.measure.SwitchCounts;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.probe.RunOptions;
import io.ctxprobe.probes.measurement.Extension;
import io.ctxprobe.probes.measurement.NativeLoops;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.CaseResultBuilder;
import io.ctxprobe.report.Derived;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Measures one ping-pong case: a pilot sizes the batch, a timed round runs without perf counters
 * (they cost each switch: +20% for a same-core switch on the development VM), and — in full mode —
 * a shorter counted round with perf attached supplies perf's switch and migration counts. The unit
 * is ns per handoff: half a round trip. The kernel's counts validate the case
 * ({@link PingPongValidation}). A wide case gets a second timed round with the extra batches
 * ({@link Extension}); the sides' schedstat over their measured windows says whether other work took
 * their CPUs ({@link Interference}). In matrix mode (a cell of an all-pairs matrix) there is no
 * counted round and the batches are fewer and shorter, so N x N cells stay affordable.
 */
public final class PingPongCase {

    private static final long PILOT_ROUND_TRIPS = 300;
    /** Batches of the counted round. */
    private static final int COUNTED_BATCHES = 5;

    /**
     * The derived figure's label: how much slower (+) or faster (-) the counted round ran with perf's
     * software counters attached than the timed round without them, in percent of the timed median.
     */
    public static final String OBSERVER_COST = "observer cost of the counted round";

    private PingPongCase() {}

    /** A prepared result (probe, case, unit, params, notes) and whether this is a matrix cell. */
    public static CaseResult measure(ProbeContext ctx, CaseResultBuilder result, PingPongRound.Spec spec, boolean matrixCell) {
        RunOptions options = ctx.options();
        long started = System.nanoTime();
        long targetNs = matrixCell ? RunOptions.QUICK_BATCH_NS : options.targetBatchNs();
        PingPongRound.Result pilot = PingPongRound.run(ctx, spec, new BatchPlan(0, 1, PILOT_ROUND_TRIPS), false);
        long ops = Calibration.opsFor((double) pilot.wallNs()[0] / PILOT_ROUND_TRIPS, targetNs, 50, 50_000_000);
        BatchPlan plan = matrixCell
                ? new BatchPlan(1, options.matrixBatches(), ops)
                : new BatchPlan(options.warmupBatches(), options.measuredBatches(), ops);
        List<PingPongRound.Result> timed = new ArrayList<>(List.of(PingPongRound.run(ctx, spec, plan, false)));
        MixtureCheck check = Extension.decide(ctx, started, timed.getFirst().wallNs(), plan.batches());
        if (check.action() == MixtureCheck.Action.EXTEND) {
            timed.add(PingPongRound.run(ctx, spec, new BatchPlan(plan.warmup(), check.extraBatches(), ops), false));
            Extension.record(result, check, plan.batches());
        }
        long[] wallNs = timed.stream().map(PingPongRound.Result::wallNs).reduce(Extension::concat).orElseThrow();
        BatchPlan measured = new BatchPlan(plan.warmup(), wallNs.length, ops);
        List<SwitchCounts> counts = summed(timed);
        result.param("mechanism", spec.mechanism().label())
                .param("cpus", spec.pair().first() + "," + spec.pair().second())
                .batches(measured, 2, wallNs, null)
                .mixtureChecked(plan.batches())
                .interference(interference(spec, timed, counts))
                .timer("CLOCK_MONOTONIC (C)", NativeLoops.clockReadNs());
        for (SwitchCounts c : counts) result.counters(c.toCounters(measured.measuredOps()));

        PingPongRound.Result counted = null;
        BatchPlan countedPlan = null;
        if (!matrixCell) {
            result.note("pair: " + spec.pair().why());
            result.note("pinned with sched_setaffinity(tid) through the " + ctx.binding().name() + " binding"
                    + (spec.mechanism() == Mechanism.YIELD ? "; both sides SCHED_FIFO priority 1" : ""));
            countedPlan = new BatchPlan(1, Math.min(plan.batches(), COUNTED_BATCHES), ops);
            counted = PingPongRound.run(ctx, spec, countedPlan, true);
            String source = SwitchCounts.PERF_SOURCE + ", counted round of " + countedPlan.batches() + " batches";
            for (SwitchCounts c : counted.counts()) result.counters(c.perfCounters(countedPlan.measuredOps(), source));
            String perfAbsent = counted.counts().getFirst().perfAbsentReason();
            if (perfAbsent != null) {
                result.note(perfAbsent + "; switch counts from getrusage only, no migration count");
            } else {
                double timedNs = median(wallNs) / (2.0 * ops);
                double countedNs = median(counted.wallNs()) / (2.0 * ops);
                result.derived(Derived.of(OBSERVER_COST, 100 * (countedNs / timedNs - 1), "%", "counted round", "timed round")
                        .withNote(String.format("counted round, perf software counters attached: %.0f ns per handoff against "
                                + "the timed round's %.0f, which runs without them", countedNs, timedNs)));
            }
        }
        List<int[][]> ranOn = new ArrayList<>(timed.stream().map(PingPongRound.Result::cpus).toList());
        if (counted != null) ranOn.add(counted.cpus());
        PingPongValidation.Outcome outcome = PingPongValidation.validate(PingPongValidation.Counts.of(spec, counts,
                measured.measuredOps(), counted == null ? null : counted.counts(),
                countedPlan == null ? 0 : countedPlan.measuredOps(), ranOn));
        result.note(outcome.note());
        outcome.flags().forEach(result::flag);
        return result.wallMs((System.nanoTime() - started) / 1e6).build();
    }

    /** Each side's getrusage counts summed over the timed rounds (perf is never on a timed round). */
    private static List<SwitchCounts> summed(List<PingPongRound.Result> rounds) {
        List<SwitchCounts> out = new ArrayList<>();
        for (int side = 0; side < 2; side++) {
            long voluntary = 0;
            long involuntary = 0;
            String task = rounds.getFirst().counts().get(side).task();
            for (PingPongRound.Result r : rounds) {
                voluntary += r.counts().get(side).voluntary();
                involuntary += r.counts().get(side).involuntary();
            }
            out.add(new SwitchCounts(task, null, null, voluntary, involuntary, null));
        }
        return out;
    }

    /** Both sides over their measured windows (summed over the timed rounds), judged by CPU. */
    static Interference interference(PingPongRound.Spec spec, List<PingPongRound.Result> rounds, List<SwitchCounts> counts) {
        int[] cpus = {spec.pair().first(), spec.pair().second()};
        List<Interference.Task> tasks = new ArrayList<>();
        for (int side = NativePingPong.PING; side <= NativePingPong.PONG; side++) {
            long window = 0;
            Long run = 0L;
            Long delay = 0L;
            for (PingPongRound.Result r : rounds) {
                long[] s = r.sched()[side];
                window += Math.max(0, s[0]);
                run = run == null || s[1] < 0 ? null : run + s[1];
                delay = delay == null || s[2] < 0 ? null : delay + s[2];
            }
            tasks.add(new Interference.Task(spec.name(side), rounds.getLast().tids()[side], cpus[side], window, run, delay,
                    counts.get(side).involuntary(), SchedStat.SOURCE.replace("self/task/<tid>", "thread-self")
                            + " read by the side at its measured edges; involuntary switches: " + SwitchCounts.RUSAGE_SOURCE));
        }
        return Interference.judge(tasks);
    }

    static double median(long[] values) {
        return Stats.of(Arrays.stream(values).asDoubleStream().toArray()).median();
    }
}
