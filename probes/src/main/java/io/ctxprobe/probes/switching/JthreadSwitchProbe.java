package io.ctxprobe.probes.switching;

import io.ctxprobe.probes.measurement.Cases;
import io.ctxprobe.binding.Binding;
import io.ctxprobe.linux.CpuSet;
import io.ctxprobe.measure.BatchPlan;
import io.ctxprobe.measure.SwitchCounts;
import io.ctxprobe.probe.CpuPair;
import io.ctxprobe.probe.Placement;
import io.ctxprobe.probe.PlacementPlanner;
import io.ctxprobe.probe.Probe;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.probe.RunOptions;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.CaseResultBuilder;
import io.ctxprobe.measure.Counter;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * jthread.switch — two Java platform threads (kernel threads the JVM created) hand a token back and
 * forth with LockSupport.park/unpark: what a plain Java handoff between kernel threads costs, JVM
 * park machinery (a pthread mutex and condition variable per thread, futex underneath) included.
 * Unit: ns per switch, half a round trip. Compare with thread.switch (the same handoff from C, bare
 * futex) and vthread.switch (the same Java code on virtual threads).
 *
 * <p>Each thread pins itself and reads its own kernel counts from procfs at its edge of the measured
 * window (see {@link ParkHandoff}). Same-core is {@code ok} only if the kernel counted at least two
 * switches per round trip; both cases need both threads on their pinned CPUs at both edges.
 */
public final class JthreadSwitchProbe implements Probe {

    public static final String ID = "jthread.switch";
    private static final String UNIT = "ns/switch";
    private static final long READY_TIMEOUT_S = 10;
    private static final long EXIT_TIMEOUT_MS = 5_000;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "two Java platform threads hand a token back and forth with LockSupport.park/unpark, same-core and cross-core";
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
            String caseId = "park/" + placement.label();
            switch (placement) {
                case SAME_CORE, CROSS_CORE -> {
                    PlacementPlanner.Plan plan = planner.plan(placement);
                    results.add(plan.pair() == null
                            ? CaseResult.skipped(ID, caseId, null, UNIT, plan.skipReason())
                            : Cases.attempt(ctx, ID, caseId, UNIT, () -> measure(ctx, caseId, placement, plan.pair())));
                }
                // Placements added later (SMT siblings, all pairs) are thread.switch's business.
                default -> results.add(CaseResult.skipped(ID, caseId, null, UNIT,
                        "jthread.switch measures same-core and cross-core only"));
            }
        }
        return results;
    }

    /** One thread of the pair: where it pinned itself, its tid, and what it read at each edge. */
    private static final class Side {
        final String task;
        final int cpu;
        volatile int tid;
        final int[] cpuAt = new int[2];
        final ProcTaskStatus.Switches[] countsAt = new ProcTaskStatus.Switches[2];

        Side(String task, int cpu) {
            this.task = task;
            this.cpu = cpu;
        }

        /** At thread start: a platform thread pins itself (tid 0 = the caller). */
        void pin(Binding binding) {
            tid = binding.gettid();   // first: the probe waits for this kernel thread to exit even if the pin fails
            binding.setAffinity(0, CpuSet.of(cpu));
        }

        /** At an edge of the measured window, on the thread itself. */
        void mark(Binding binding, int edge) {
            countsAt[edge] = ProcTaskStatus.read(tid);
            cpuAt[edge] = binding.currentCpu();
        }

        ProcTaskStatus.Switches delta() {
            return countsAt[ParkHandoff.AFTER].minus(countsAt[ParkHandoff.BEFORE]);
        }
    }

    private CaseResult measure(ProbeContext ctx, String caseId, Placement placement, CpuPair pair) {
        RunOptions options = ctx.options();
        Binding binding = ctx.binding();
        long started = System.nanoTime();
        Side ping = new Side("ping", pair.first());
        Side pong = new Side("pong", pair.second());
        CountDownLatch pongPinned = new CountDownLatch(1);
        ParkHandoff handoff = new ParkHandoff();
        // The window: each thread reads its own procfs counts at its own edge (ping between the
        // untimed MARK round trip and the first timed batch, pong inside that MARK round trip, and
        // mirrored at the end), so the window holds every measured round trip's switches plus at most
        // one extra park per thread, against thousands of round trips; nothing is read inside a batch.
        ParkHandoff.Batches run;
        try {
            run = handoff.run(false, "ctxp-jping", "ctxp-jpong",
                    () -> {
                        ping.pin(binding);
                        awaitPong(pongPinned);
                        return handoff.drive(options.warmupBatches(), options.measuredBatches(), options.targetBatchNs(),
                                edge -> ping.mark(binding, edge));
                    },
                    () -> {
                        try {
                            pong.pin(binding);
                        } finally {
                            pongPinned.countDown();   // on a failed pin too: ping then finds the abort at once
                        }
                        handoff.serve(edge -> pong.mark(binding, edge));
                    },
                    deadlineMs(options), ctx.cleanup(), ID + " threads");
        } finally {
            ProcTaskStatus.awaitExited(ping.tid, EXIT_TIMEOUT_MS);
            ProcTaskStatus.awaitExited(pong.tid, EXIT_TIMEOUT_MS);
        }

        BatchPlan plan = run.plan();
        long roundTrips = plan.measuredOps();
        CaseResultBuilder result = new CaseResultBuilder(ID, caseId, UNIT)
                .param("mechanism", "LockSupport.park/unpark")
                .param("threads", "platform")
                .param("placement", placement.label())
                .param("cpus", pair.first() + "," + pair.second())
                .param("tids", ping.tid + "," + pong.tid)
                .batches(plan, 2, run.wallNs(), null)
                .timer("System.nanoTime (CLOCK_MONOTONIC)", ParkHandoff.nanoTimeReadNs())
                .note("pair: " + pair.why())
                .note(ParkHandoff.jitNote(run))
                .note(pair.first() == pair.second()
                        ? "both platform threads pinned themselves to CPU " + pair.first() + " through the " + binding.name() + " binding"
                        : "ping pinned itself to CPU " + pair.first() + ", pong to CPU " + pair.second() + ", through the "
                                + binding.name() + " binding");
        List<SwitchCounts> counts = new ArrayList<>();
        for (Side side : List.of(ping, pong)) {
            ProcTaskStatus.Switches d = side.delta();
            counts.add(new SwitchCounts(side.task, null, null, d.voluntary(), d.involuntary(),
                    "perf counters not attached: they cost every switch; counts from procfs"));
            result.counters(List.of(
                    Counter.of("voluntary-switches", side.task, d.voluntary(), roundTrips, ProcTaskStatus.SOURCE),
                    Counter.of("involuntary-switches", side.task, d.involuntary(), roundTrips, ProcTaskStatus.SOURCE)));
        }
        validate(result, placement, List.of(ping, pong), SwitchCounts.totalSwitches(counts), roundTrips);
        return result.wallMs((System.nanoTime() - started) / 1e6).build();
    }

    private static void validate(CaseResultBuilder result, Placement placement, List<Side> sides, long switches,
                                 long roundTrips) {
        double perRoundTrip = (double) switches / roundTrips;
        result.note(String.format("%.2f context switches per round trip, both threads (%s, voluntary + involuntary)",
                perRoundTrip, ProcTaskStatus.SOURCE));
        if (placement == Placement.SAME_CORE && perRoundTrip < 2) {
            result.flag(String.format("a same-core round trip must switch at least twice; procfs counted %.2f", perRoundTrip));
        }
        for (Side side : sides) {
            int atStart = side.cpuAt[ParkHandoff.BEFORE];
            int atEnd = side.cpuAt[ParkHandoff.AFTER];
            if (atStart != side.cpu || atEnd != side.cpu) {
                result.flag(String.format("%s was pinned to CPU %d but ran on CPU %d/%d (start/end)",
                        side.task, side.cpu, atStart, atEnd));
            }
        }
    }

    private static void awaitPong(CountDownLatch pongPinned) {
        try {
            if (!pongPinned.await(READY_TIMEOUT_S, TimeUnit.SECONDS)) {
                throw new IllegalStateException("pong did not start within " + READY_TIMEOUT_S + " s");
            }
        } catch (InterruptedException e) {
            throw new ParkHandoff.Aborted();
        }
    }

    /** Generous: ten times the planned batch time plus a minute, so only a hang trips it. */
    static long deadlineMs(RunOptions options) {
        return 60_000 + 10L * (options.warmupBatches() + options.measuredBatches() + 2) * options.targetBatchNs() / 1_000_000;
    }
}
