package io.ctxprobe.probes.switching;

import io.ctxprobe.probes.childjvm.VthreadHandoffMain;
import io.ctxprobe.probes.childjvm.OneCarrierJvm;
import io.ctxprobe.probes.measurement.Cases;
import io.ctxprobe.binding.Binding;
import io.ctxprobe.linux.NativeLibrary;
import io.ctxprobe.linux.Resource;
import io.ctxprobe.measure.BatchPlan;
import io.ctxprobe.probe.Cleanup;
import io.ctxprobe.probe.Probe;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.probe.RunOptions;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.CaseResultBuilder;
import io.ctxprobe.measure.Counter;
import io.ctxprobe.report.JsonReports;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * vthread.switch — two Java virtual threads hand a token back and forth with
 * LockSupport.park/unpark (the same {@link ParkHandoff} code jthread.switch runs on platform
 * threads). Unit: ns per switch, half a round trip.
 *
 * <ul>
 * <li>{@code one-carrier}: a child JVM whose scheduler has one carrier thread, pinned to the first
 *     CPU of the run ({@link VthreadHandoffMain}): every handoff is a continuation yield and resume
 *     on that one kernel thread, a user-level switch. The case is flagged if the child JVM
 *     context-switched more than 0.1 times per round trip (process-wide, so an upper bound on the
 *     carrier's own switches).</li>
 * <li>{@code default-scheduler}: in this JVM, the default scheduler (parallelism = available
 *     processors), nothing pinned: what an application gets. The two sides may sit on different
 *     carriers, and an idle carrier is woken through the kernel. Counts are reported, not
 *     validated.</li>
 * </ul>
 */
public final class VthreadSwitchProbe implements Probe {

    public static final String ID = "vthread.switch";
    private static final String UNIT = "ns/switch";
    /** Above this, a one-carrier handoff was not a user-level switch (process-wide count, so generous). */
    static final double MAX_SWITCHES_PER_ROUND_TRIP = 0.1;
    private static final String CHILD_SOURCE = "getrusage(RUSAGE_SELF), child JVM: all its threads, GC and JIT included";
    private static final String SELF_SOURCE = "getrusage(RUSAGE_SELF): every thread of this JVM, GC and JIT included";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "two Java virtual threads hand a token back and forth with park/unpark: one pinned carrier (child JVM) and the default scheduler";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(new ParamSpec("--cpus", "one-carrier pins its carrier to the first CPU given (default: the first allowed)"),
                new ParamSpec("--batches", "measured batches per case"));
    }

    @Override
    public List<CaseResult> run(ProbeContext ctx) {
        List<CaseResult> results = new ArrayList<>();
        results.add(Cases.attempt(ctx, ID, "one-carrier", UNIT, () -> oneCarrier(ctx)));
        results.add(Cases.attempt(ctx, ID, "default-scheduler", UNIT, () -> defaultScheduler(ctx)));
        return results;
    }

    // ---- one-carrier: a child JVM ----------------------------------------------------------------

    private CaseResult oneCarrier(ProbeContext ctx) {
        RunOptions options = ctx.options();
        int cpu = ctx.cpus().first();
        long deadlineMs = JthreadSwitchProbe.deadlineMs(options);
        List<String> args = List.of("--cpu", Integer.toString(cpu), "--binding", ctx.binding().name(),
                "--warmup", Integer.toString(options.warmupBatches()),
                "--batches", Integer.toString(options.measuredBatches()),
                "--target-batch-ns", Long.toString(options.targetBatchNs()),
                "--deadline-ms", Long.toString(deadlineMs));
        long started = System.nanoTime();
        try {
            OneCarrierJvm.Outcome<VthreadHandoffMain.Report> child = OneCarrierJvm.run(ctx, ID, VthreadHandoffMain.class,
                    args, deadlineMs, VthreadHandoffMain.Report.class);
            return oneCarrierResult(ctx, child.report(), cpu, child.pid(), (System.nanoTime() - started) / 1e6);
        } catch (OneCarrierJvm.ChildFailed e) {
            return CaseResult.failed(ID, "one-carrier", java.util.Map.of("child-pid", Long.toString(e.pid())), UNIT,
                    e.getMessage());
        }
    }

    private CaseResult oneCarrierResult(ProbeContext ctx, VthreadHandoffMain.Report r, int cpu, long pid, double wallMs) {
        BatchPlan plan = new BatchPlan(r.warmup(), r.batches(), r.opsPerBatch());
        long roundTrips = plan.measuredOps();
        TreeSet<Integer> carrierTids = new TreeSet<>();
        TreeSet<Integer> carrierCpus = new TreeSet<>();
        for (VthreadHandoffMain.CarrierSeen s : r.carriers()) {
            carrierTids.add(s.carrierTid());
            carrierCpus.add(s.cpu());
        }
        String affinities = r.carriers().stream().map(VthreadHandoffMain.CarrierSeen::carrierAffinity)
                .distinct().collect(Collectors.joining(" / "));
        CaseResultBuilder result = new CaseResultBuilder(ID, "one-carrier", UNIT)
                .param("mechanism", "LockSupport.park/unpark")
                .param("threads", "virtual")
                .param("scheduler", "parallelism=" + r.parallelism() + ", maxPoolSize=" + r.maxPoolSize() + " (child JVM)")
                .param("cpu", cpu)
                .param("carrier-tids", join(carrierTids))
                .param("carrier-cpus", join(carrierCpus))
                .param("child-pid", pid)
                .batches(plan, 2, r.wallNs(), null)
                .timer("System.nanoTime (CLOCK_MONOTONIC), child JVM", r.clockReadNs())
                .counters(List.of(
                        Counter.of("voluntary-switches", "all", r.voluntarySwitches(), roundTrips, CHILD_SOURCE),
                        Counter.of("involuntary-switches", "all", r.involuntarySwitches(), roundTrips, CHILD_SOURCE)))
                .note("the child JVM's main platform thread pinned itself to CPU " + cpu + " through the " + r.binding()
                        + " binding before any virtual thread existed; its carrier (tid " + join(carrierTids)
                        + ") inherited affinity " + affinities + " and ran on CPU " + join(carrierCpus)
                        + " (seen from inside both virtual threads at both edges)")
                .note("only the handoff is timed, inside the child JVM; its start-up is not")
                .note(ParkHandoff.jitNote(new ParkHandoff.Batches(plan, r.wallNs(), r.jitWarmupRoundTrips(), r.jitWarmupNs())));
        double perRoundTrip = (double) (r.voluntarySwitches() + r.involuntarySwitches()) / roundTrips;
        result.note(String.format("%.4f context switches per round trip, process-wide (%s)", perRoundTrip, CHILD_SOURCE));
        if (perRoundTrip > MAX_SWITCHES_PER_ROUND_TRIP) {
            result.flag(String.format("a one-carrier handoff is a user-level switch, but the child JVM switched %.3f times "
                    + "per round trip (more than %.1f)", perRoundTrip, MAX_SWITCHES_PER_ROUND_TRIP));
        }
        if (carrierTids.size() != 1) {
            result.flag("expected one carrier thread, saw tids " + join(carrierTids));
        }
        if (!carrierCpus.equals(new TreeSet<>(List.of(cpu)))) {
            result.flag("the carrier was pinned to CPU " + cpu + " but ran on CPU " + join(carrierCpus));
        }
        return result.wallMs(wallMs).build();
    }

    // ---- default-scheduler: this JVM ---------------------------------------------------------------

    private CaseResult defaultScheduler(ProbeContext ctx) {
        RunOptions options = ctx.options();
        Binding binding = ctx.binding();
        long started = System.nanoTime();
        List<VthreadHandoffMain.CarrierSeen> seen = new CopyOnWriteArrayList<>();
        Resource.Rusage[] rusage = new Resource.Rusage[2];
        ParkHandoff handoff = new ParkHandoff();
        ParkHandoff.Batches run = handoff.run(true, "ctxp-vping", "ctxp-vpong",
                () -> handoff.drive(options.warmupBatches(), options.measuredBatches(), options.targetBatchNs(), edge -> {
                    if (edge == ParkHandoff.AFTER) rusage[edge] = Resource.getrusage(Resource.RUSAGE_SELF);
                    seen.add(VthreadHandoffMain.carrier(binding, "ping", edge));
                    if (edge == ParkHandoff.BEFORE) rusage[edge] = Resource.getrusage(Resource.RUSAGE_SELF);
                }),
                () -> handoff.serve(edge -> seen.add(VthreadHandoffMain.carrier(binding, "pong", edge))),
                JthreadSwitchProbe.deadlineMs(options), ctx.cleanup(), ID + " virtual threads");

        BatchPlan plan = run.plan();
        long roundTrips = plan.measuredOps();
        long voluntary = rusage[1].voluntarySwitches() - rusage[0].voluntarySwitches();
        long involuntary = rusage[1].involuntarySwitches() - rusage[0].involuntarySwitches();
        String parallelism = System.getProperty("jdk.virtualThreadScheduler.parallelism");
        String carriers = seen.stream().map(s -> s.thread() + "@" + s.edge() + ": tid " + s.carrierTid() + " on CPU " + s.cpu())
                .collect(Collectors.joining(", "));
        return new CaseResultBuilder(ID, "default-scheduler", UNIT)
                .param("mechanism", "LockSupport.park/unpark")
                .param("threads", "virtual")
                .param("scheduler", parallelism != null ? "parallelism=" + parallelism + " (jdk.virtualThreadScheduler.parallelism)"
                        : "default: parallelism = " + Runtime.getRuntime().availableProcessors() + " available processors")
                // Typed, so the cost ladder places the rung by what was observed (CostLadder.observed).
                .param("observed-carriers", join(seen.stream().map(VthreadHandoffMain.CarrierSeen::carrierTid)
                        .collect(Collectors.toCollection(TreeSet::new))))
                .param("observed-cpus", join(seen.stream().map(VthreadHandoffMain.CarrierSeen::cpu)
                        .collect(Collectors.toCollection(TreeSet::new))))
                .batches(plan, 2, run.wallNs(), null)
                .timer("System.nanoTime (CLOCK_MONOTONIC)", ParkHandoff.nanoTimeReadNs())
                .counters(List.of(
                        Counter.of("voluntary-switches", "all", voluntary, roundTrips, SELF_SOURCE),
                        Counter.of("involuntary-switches", "all", involuntary, roundTrips, SELF_SOURCE)))
                .note("not pinned: the default scheduler places virtual threads on any carrier; pinning from a virtual "
                        + "thread would pin its carrier")
                .note("carriers seen: " + carriers)
                .note(ParkHandoff.jitNote(run))
                .note(String.format("%.4f context switches per round trip, process-wide (%s): noisy, reported, not validated",
                        (double) (voluntary + involuntary) / roundTrips, SELF_SOURCE))
                .wallMs((System.nanoTime() - started) / 1e6)
                .build();
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private static String join(TreeSet<Integer> values) {
        return values.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

}
