package io.ctxprobe.probes;

import io.ctxprobe.linux.CpuSet;
import io.ctxprobe.linux.CtxprobeLib;
import io.ctxprobe.linux.NativePingPong;
import io.ctxprobe.measure.BatchPlan;
import io.ctxprobe.measure.Calibration;
import io.ctxprobe.measure.SwitchCounts;
import io.ctxprobe.measure.TaskCounters;
import io.ctxprobe.probe.Cleanup;
import io.ctxprobe.probe.CpuPair;
import io.ctxprobe.probe.Placement;
import io.ctxprobe.probe.PlacementPlanner;
import io.ctxprobe.probe.Probe;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.probe.RunOptions;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.CaseResultBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * thread.switch — two kernel threads, created from Java with pthread_create (bodies in libctxprobe),
 * ping-pong a token through a futex. The unit is ns per switch, half a round trip, gross: the futex
 * calls are included. Same-core puts both threads on one CPU, so every handoff is a context switch
 * there, and the case is {@code ok} only if the kernel counted at least 2 switches per round trip.
 * Cross-core puts them on two physical cores: a round trip also pays two cross-CPU wake-ups, and the
 * waiter sometimes finds the word already changed, so fewer than 2 switches is normal there.
 */
public final class ThreadSwitchProbe implements Probe {

    static final String ID = "thread.switch";
    private static final String UNIT = "ns/switch";
    private static final long PILOT_ROUND_TRIPS = 300;
    private static final long READY_TIMEOUT_MS = 10_000;
    /**
     * Batches of the counted round. Perf software counters on a thread cost each of its switches
     * (about 20% here), so the timed round runs without them and a shorter counted round after it
     * supplies perf's switch and migration counts.
     */
    private static final int COUNTED_BATCHES = 5;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "two pthreads (created from Java, bodies in C) ping-pong through a futex, same-core and cross-core";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(new ParamSpec("--placement", "same-core, cross-core (default: both)"),
                new ParamSpec("--cpus", "CPUs to choose the pair from (default: all allowed)"),
                new ParamSpec("--batches", "measured batches per case"));
    }

    @Override
    public List<CaseResult> run(ProbeContext ctx) {
        PlacementPlanner planner = ctx.planner();
        List<CaseResult> results = new ArrayList<>();
        for (Placement placement : ctx.options().placements()) {
            String caseId = "futex/" + placement.label();
            PlacementPlanner.Plan plan = planner.plan(placement);
            if (plan.pair() == null) {
                results.add(CaseResult.skipped(ID, caseId, null, UNIT, plan.skipReason()));
                continue;
            }
            results.add(Cases.attempt(ctx, ID, caseId, UNIT, () -> measure(ctx, caseId, placement, plan.pair())));
        }
        return results;
    }

    private CaseResult measure(ProbeContext ctx, String caseId, Placement placement, CpuPair pair) {
        RunOptions options = ctx.options();
        long started = System.nanoTime();
        Round pilot = round(ctx, new BatchPlan(0, 1, PILOT_ROUND_TRIPS), pair, false);
        double pilotNsPerRoundTrip = (double) pilot.wallNs[0] / PILOT_ROUND_TRIPS;
        long ops = Calibration.opsFor(pilotNsPerRoundTrip, options.targetBatchNs(), 50, 10_000_000);
        BatchPlan plan = new BatchPlan(options.warmupBatches(), options.measuredBatches(), ops);
        Round timed = round(ctx, plan, pair, false);
        BatchPlan countedPlan = new BatchPlan(1, Math.min(plan.batches(), COUNTED_BATCHES), ops);
        Round counted = round(ctx, countedPlan, pair, true);

        CaseResultBuilder result = new CaseResultBuilder(ID, caseId, UNIT)
                .param("mechanism", "futex")
                .param("placement", placement.label())
                .param("cpus", pair.first() + "," + pair.second())
                .batches(plan, 2, timed.wallNs, null)
                .timer("CLOCK_MONOTONIC (C)", NativeLoops.clockReadNs())
                .note("pair: " + pair.why())
                .note("pinned with sched_setaffinity(tid) through the " + ctx.binding().name() + " binding");
        for (SwitchCounts c : timed.counts) {
            result.counters(c.toCounters(plan.measuredOps()));
        }
        String countedSource = SwitchCounts.PERF_SOURCE + ", counted round of " + countedPlan.batches() + " batches";
        for (SwitchCounts c : counted.counts) {
            result.counters(c.perfCounters(countedPlan.measuredOps(), countedSource));
        }
        String perfAbsent = counted.counts.getFirst().perfAbsentReason();
        if (perfAbsent != null) {
            result.note(perfAbsent + "; switch counts from getrusage only, no migration count");
        } else {
            double timedMedian = median(timed.wallNs) / (2.0 * ops);
            double countedMedian = median(counted.wallNs) / (2.0 * ops);
            result.note(String.format("counted round, perf software counters attached: %.0f ns/switch, %+.0f%% against "
                    + "the timed round, which runs without them", countedMedian, 100 * (countedMedian / timedMedian - 1)));
        }
        validate(result, placement, pair, timed, plan.measuredOps(), counted, countedPlan.measuredOps());
        return result.wallMs((System.nanoTime() - started) / 1e6).build();
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }

    private static void validate(CaseResultBuilder result, Placement placement, CpuPair pair, Round timed,
                                 long roundTrips, Round counted, long countedRoundTrips) {
        double rusagePerRoundTrip = (double) SwitchCounts.totalRusageSwitches(timed.counts) / roundTrips;
        Long perf = SwitchCounts.totalPerfSwitches(counted.counts);
        Double perfPerRoundTrip = perf == null ? null : (double) perf / countedRoundTrips;
        result.note(String.format("%.2f context switches per round trip (%s)%s", rusagePerRoundTrip,
                SwitchCounts.RUSAGE_SOURCE, perfPerRoundTrip == null ? ""
                        : String.format("; %.2f in the counted round (perf)", perfPerRoundTrip)));
        if (placement == Placement.SAME_CORE) {
            if (rusagePerRoundTrip < 2) {
                result.flag(String.format("a same-core round trip must switch at least twice; getrusage counted %.2f", rusagePerRoundTrip));
            }
            if (perfPerRoundTrip != null && perfPerRoundTrip < 2) {
                result.flag(String.format("a same-core round trip must switch at least twice; perf counted %.2f", perfPerRoundTrip));
            }
        }
        int[] expected = {pair.first(), pair.second()};
        for (Round round : List.of(timed, counted)) {
            for (int side = NativePingPong.PING; side <= NativePingPong.PONG; side++) {
                int cpuAtStart = round.cpus[side][0];
                int cpuAtEnd = round.cpus[side][1];
                if (cpuAtStart != expected[side] || cpuAtEnd != expected[side]) {
                    result.flag(String.format("%s was pinned to CPU %d but ran on CPU %d/%d (start/end)",
                            side == 0 ? "ping" : "pong", expected[side], cpuAtStart, cpuAtEnd));
                }
            }
        }
        Long migrations = SwitchCounts.totalMigrations(counted.counts);
        if (migrations != null && migrations > 0) {
            result.flag(migrations + " CPU migrations while pinned (counted round)");
        }
    }

    /** One run of a thread pair: batch times, per-side counts, and where each side ran. */
    private record Round(long[] wallNs, List<SwitchCounts> counts, int[][] cpus) {}

    /**
     * Runs one thread pair through {@code plan}. With {@code perf}, software counters are attached to
     * both threads and read by C at the measured edges; without, only getrusage counts (free: the
     * kernel keeps them anyway).
     */
    private static Round round(ProbeContext ctx, BatchPlan plan, CpuPair pair, boolean perf) {
        NativePingPong pp = NativePingPong.start(CtxprobeLib.MECH_FUTEX, plan.warmup(), plan.batches(),
                plan.opsPerBatch(), READY_TIMEOUT_MS);
        List<TaskCounters> counters = new ArrayList<>();
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
                .daemon().name("ctxprobe-deadline").factory());
        try (pp; Cleanup.Registration ignored = ctx.cleanup().register("thread.switch threads", pp::abort)) {
            int[] cpus = {pair.first(), pair.second()};
            String[] names = {"ping", "pong"};
            for (int side = NativePingPong.PING; side <= NativePingPong.PONG; side++) {
                int tid = pp.tid(side);
                ctx.binding().setAffinity(tid, CpuSet.of(cpus[side]));
                if (perf) {
                    TaskCounters tc = TaskCounters.open(names[side], tid);
                    counters.add(tc);
                    pp.counterFd(side, 0, tc.switchesFd());
                    pp.counterFd(side, 1, tc.migrationsFd());
                }
            }
            ScheduledFuture<?> deadline = watchdog.schedule(pp::abort, deadlineMs(ctx.options(), plan), TimeUnit.MILLISECONDS);
            pp.go();
            pp.join();
            deadline.cancel(false);
            List<SwitchCounts> counts = new ArrayList<>();
            int[][] ran = new int[2][2];
            for (int side = NativePingPong.PING; side <= NativePingPong.PONG; side++) {
                long voluntary = pp.voluntarySwitches(side);
                long involuntary = pp.involuntarySwitches(side);
                counts.add(perf
                        ? counters.get(side).fromDeltas(pp.counterDelta(side, 0), pp.counterDelta(side, 1), voluntary, involuntary)
                        : new SwitchCounts(names[side], null, null, voluntary, involuntary, null));
                ran[side][0] = pp.cpu(side, false);
                ran[side][1] = pp.cpu(side, true);
            }
            return new Round(pp.batchWallNs(), counts, ran);
        } finally {
            watchdog.shutdownNow();
            counters.forEach(TaskCounters::close);
        }
    }

    /** Generous: ten times the planned batch time plus a minute, so only a hang trips it. */
    private static long deadlineMs(RunOptions options, BatchPlan plan) {
        return 60_000 + 10 * (plan.warmup() + plan.batches()) * options.targetBatchNs() / 1_000_000;
    }
}
