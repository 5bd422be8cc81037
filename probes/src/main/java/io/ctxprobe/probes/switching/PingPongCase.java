package io.ctxprobe.probes.switching;

import io.ctxprobe.probes.measurement.NativeLoops;
import io.ctxprobe.linux.NativePingPong;
import io.ctxprobe.measure.BatchPlan;
import io.ctxprobe.measure.Calibration;
import io.ctxprobe.measure.Stats;
import io.ctxprobe.measure.SwitchCounts;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.probe.RunOptions;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.CaseResultBuilder;

import java.util.Arrays;
import java.util.List;

/**
 * Measures one ping-pong case: a pilot sizes the batch, a timed round runs without perf counters
 * (they cost each switch: +20% for a same-core switch on the development VM), and — in full mode —
 * a shorter counted round with perf attached supplies perf's switch and migration counts. The unit
 * is ns per handoff: half a round trip. The kernel's counts validate the case (see {@link #validate}).
 * In matrix mode (a cell of an all-pairs matrix) there is no counted round and the batches are
 * fewer and shorter, so N x N cells stay affordable.
 */
public final class PingPongCase {

    private static final long PILOT_ROUND_TRIPS = 300;
    /** Batches of the counted round. */
    private static final int COUNTED_BATCHES = 5;
    /** A spinning handoff may be preempted by other work now and then (involuntary), but it never blocks. */
    private static final double MAX_SPIN_SWITCHES_PER_ROUND_TRIP = 0.01;
    /** Slack over the mechanism's sleeps per round trip, for the rare spurious wake-up. */
    private static final double SLEEP_SLACK_PER_ROUND_TRIP = 0.05;

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
        PingPongRound.Result timed = PingPongRound.run(ctx, spec, plan, false);
        result.param("mechanism", spec.mechanism().label())
                .param("cpus", spec.pair().first() + "," + spec.pair().second())
                .batches(plan, 2, timed.wallNs(), null)
                .timer("CLOCK_MONOTONIC (C)", NativeLoops.clockReadNs());
        for (SwitchCounts c : timed.counts()) result.counters(c.toCounters(plan.measuredOps()));

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
                double timedNs = median(timed.wallNs()) / (2.0 * ops);
                double countedNs = median(counted.wallNs()) / (2.0 * ops);
                result.note(String.format("counted round, perf software counters attached: %.0f ns per handoff, %+.0f%% "
                        + "against the timed round, which runs without them", countedNs, 100 * (countedNs / timedNs - 1)));
            }
        }
        validate(result, spec, timed, plan.measuredOps(), counted, countedPlan == null ? 0 : countedPlan.measuredOps());
        return result.wallMs((System.nanoTime() - started) / 1e6).build();
    }

    /**
     * What the kernel's counts must show for the case to be what it claims: on one CPU a blocking or
     * yielding round trip switches at least twice; across CPUs a blocking one sleeps at most
     * {@link Mechanism#maxSleepsPerWait()} times per wait (a waiter that finds the token already there
     * does not sleep, so fewer is normal); a
     * spinning one never switches. Each side must have run on its pinned CPU, and never migrated.
     */
    static void validate(CaseResultBuilder result, PingPongRound.Spec spec, PingPongRound.Result timed, long roundTrips,
                         PingPongRound.Result counted, long countedRoundTrips) {
        boolean oneCpu = spec.pair().first() == spec.pair().second();
        long voluntary = timed.counts().stream().mapToLong(SwitchCounts::voluntary).sum();
        double perRoundTrip = (double) SwitchCounts.totalRusageSwitches(timed.counts()) / roundTrips;
        double sleepsPerRoundTrip = (double) voluntary / roundTrips;
        Long perf = counted == null ? null : SwitchCounts.totalPerfSwitches(counted.counts());
        Double perfPerRoundTrip = perf == null ? null : (double) perf / countedRoundTrips;
        result.note(String.format("%.3g context switches per round trip (%s; %.3g of them voluntary)%s", perRoundTrip,
                SwitchCounts.RUSAGE_SOURCE, sleepsPerRoundTrip,
                perfPerRoundTrip == null ? "" : String.format("; %.3g in the counted round (perf)", perfPerRoundTrip)));
        Mechanism m = spec.mechanism();
        if (m == Mechanism.SPIN) {
            // A spinner never blocks; being preempted by other work on a busy host is the host's noise
            // (involuntary, shown in the counts), not a handoff that went through the kernel.
            if (sleepsPerRoundTrip > MAX_SPIN_SWITCHES_PER_ROUND_TRIP) {
                result.flag(String.format("a spinning handoff must not block; the kernel counted %.3g voluntary switches per round trip",
                        sleepsPerRoundTrip));
            }
        } else if (oneCpu) {
            if (perRoundTrip < 2) {
                result.flag(String.format("a round trip on one CPU must switch at least twice; getrusage counted %.3g", perRoundTrip));
            }
            if (perfPerRoundTrip != null && perfPerRoundTrip < 2) {
                result.flag(String.format("a round trip on one CPU must switch at least twice; perf counted %.3g", perfPerRoundTrip));
            }
        } else if (m.blocking() && sleepsPerRoundTrip > 2 * m.maxSleepsPerWait() + SLEEP_SLACK_PER_ROUND_TRIP) {
            result.flag(String.format("%.3g sleeps per round trip: more than %d per wait", sleepsPerRoundTrip, m.maxSleepsPerWait()));
        }
        int[] expected = {spec.pair().first(), spec.pair().second()};
        for (PingPongRound.Result round : counted == null ? List.of(timed) : List.of(timed, counted)) {
            for (int side = NativePingPong.PING; side <= NativePingPong.PONG; side++) {
                int atStart = round.cpus()[side][0];
                int atEnd = round.cpus()[side][1];
                if (atStart != expected[side] || atEnd != expected[side]) {
                    result.flag(String.format("%s was pinned to CPU %d but ran on CPU %d/%d (start/end)",
                            spec.name(side), expected[side], atStart, atEnd));
                }
            }
        }
        Long migrations = counted == null ? null : SwitchCounts.totalMigrations(counted.counts());
        if (migrations != null && migrations > 0) result.flag(migrations + " CPU migrations while pinned (counted round)");
    }

    static double median(long[] values) {
        return Stats.of(Arrays.stream(values).asDoubleStream().toArray()).median();
    }
}
