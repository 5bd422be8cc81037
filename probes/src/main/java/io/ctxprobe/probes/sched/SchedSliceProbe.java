package io.ctxprobe.probes.sched;

import io.ctxprobe.linux.LinuxException;
import io.ctxprobe.linux.NativeCore;
import io.ctxprobe.linux.NativeSched;
import io.ctxprobe.linux.NativeSched.SliceMode;
import io.ctxprobe.linux.NativeSched.SlicePolicy;
import io.ctxprobe.measure.Counter;
import io.ctxprobe.probe.Probe;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.probe.ProbeUnavailableException;
import io.ctxprobe.probes.measurement.Cases;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.CaseResultBuilder;
import io.ctxprobe.report.Derived;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * sched.slice — how long the kernel lets a CPU-bound task run before it takes the CPU for another.
 * Two sides pinned to one CPU stamp the clock into their own buffers; turns come from interleaving
 * the two timelines ({@link Timelines}), never from gaps in one. Unit: ms per turn, one sample per
 * complete turn.
 *
 * <ul>
 * <li>{@code threads/default}, {@code processes/default}: two SCHED_OTHER sides at nice 0.</li>
 * <li>{@code threads/nice0-beside-nice10}, {@code threads/nice10-beside-nice0}: one run, a nice 0
 *     and a nice 10 side; each case is one side's turns.</li>
 * <li>{@code threads/rr}: both SCHED_RR priority 1 (their sched_rr_get_interval is a param); the
 *     run stays under {@link NativeSched#SLICE_RR_MAX_NS}, inside the RT throttling budget; skipped
 *     with the reason where the policy is refused.</li>
 * </ul>
 * Validation from the kernel's counts (getrusage(RUSAGE_THREAD) of each side): every change of side
 * is an involuntary switch of the side that left, and every other involuntary switch opens a
 * foreign gap, so changes &lt;= involuntary &lt;= changes + foreign gaps (+2 for the window's edges);
 * where no third task shared the CPU ({@link Timelines.Interleaving#cpuShared}) the two agree
 * within {@link #AGREEMENT}. Under the default policy a median outside
 * [{@link #MIN_PLAUSIBLE_MS}, {@link #MAX_PLAUSIBLE_MS}] ms is flagged.
 */
public final class SchedSliceProbe implements Probe {

    public static final String ID = "sched.slice";
    static final String UNIT = "ms/turn";
    static final long QUICK_NS = 500_000_000L;
    static final long DEFAULT_NS = 2_000_000_000L;
    static final long RR_QUICK_NS = 500_000_000L;
    static final double AGREEMENT = 0.25;
    static final double MIN_PLAUSIBLE_MS = 0.1;
    static final double MAX_PLAUSIBLE_MS = 100;
    static final int NICE_BACKGROUND = 10;
    private static final String SWITCH_SOURCE = "getrusage(RUSAGE_THREAD) of each side over its loop";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "the kernel's time slice: two CPU-bound threads (and processes) on one CPU stamping the clock, turns found by "
                + "interleaving their timelines; default policy, nice 0 vs 10, SCHED_RR; checked against involuntary switches";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(new ParamSpec("--quick", "0.5 s per run (default 2 s; SCHED_RR 0.5 s quick, 0.8 s otherwise)"),
                new ParamSpec("--cpus", "both sides are pinned to the first CPU given"));
    }

    static long durationNs(ProbeContext ctx, SlicePolicy policy) {
        if (policy == SlicePolicy.RR) return ctx.options().quick() ? RR_QUICK_NS : NativeSched.SLICE_RR_MAX_NS;
        return ctx.options().quick() ? QUICK_NS : DEFAULT_NS;
    }

    @Override
    public List<CaseResult> run(ProbeContext ctx) {
        List<CaseResult> out = new ArrayList<>();
        out.add(Cases.attempt(ctx, ID, "threads/default", UNIT,
                () -> result(ctx, "threads/default", run(ctx, SliceMode.THREADS, SlicePolicy.OTHER, 0, 0), -1)));
        out.add(Cases.attempt(ctx, ID, "processes/default", UNIT,
                () -> result(ctx, "processes/default", run(ctx, SliceMode.PROCESSES, SlicePolicy.OTHER, 0, 0), -1)));
        Run[] nice = new Run[1];
        out.add(Cases.attempt(ctx, ID, "threads/nice0-beside-nice10", UNIT, () -> {
            nice[0] = run(ctx, SliceMode.THREADS, SlicePolicy.OTHER, 0, NICE_BACKGROUND);
            return result(ctx, "threads/nice0-beside-nice10", nice[0], 0);
        }));
        out.add(nice[0] == null ? CaseResult.failed(ID, "threads/nice10-beside-nice0", null, UNIT, "the nice run did not complete")
                : Cases.attempt(ctx, ID, "threads/nice10-beside-nice0", UNIT, () -> result(ctx, "threads/nice10-beside-nice0", nice[0], 1)));
        out.add(Cases.attempt(ctx, ID, "threads/rr", UNIT,
                () -> result(ctx, "threads/rr", run(ctx, SliceMode.THREADS, SlicePolicy.RR, 0, 0), -1)));
        return out;
    }

    /** One native run and what it was asked. */
    record Run(SliceMode mode, SlicePolicy policy, int cpu, int niceA, int niceB, long durationNs, long gapNs,
               NativeSched.SliceRun run, double wallMs) {}

    private Run run(ProbeContext ctx, SliceMode mode, SlicePolicy policy, int niceA, int niceB) {
        int cpu = ctx.cpus().first();
        long ns = durationNs(ctx, policy);
        // A gap is anything well above one clock read; 5 us is far above a vDSO read and below any switch.
        long gapNs = Math.max(5_000, 20 * NativeCore.timerCostPs(1000) / 1000);
        int maxRuns = (int) Math.max(65_536, ns / 1_000_000 * 50);
        long started = System.nanoTime();
        try {
            NativeSched.SliceRun r = SchedCases.abortable(ctx, ID + " sides",
                    abort -> NativeSched.sliceRun(mode, cpu, policy, niceA, niceB, ns, gapNs, maxRuns, abort));
            return new Run(mode, policy, cpu, niceA, niceB, ns, gapNs, r, (System.nanoTime() - started) / 1e6);
        } catch (LinuxException e) {
            ProbeUnavailableException u = SchedCases.unavailableIfNotPermitted(e,
                    policy == SlicePolicy.RR ? "SCHED_RR priority 1" : "nice " + niceA + "/" + niceB);
            throw u != null ? u : e;
        }
    }

    /** side: -1 both sides' turns, 0 or 1 one side's. */
    private CaseResult result(ProbeContext ctx, String caseId, Run run, int side) {
        NativeSched.SliceRun r = run.run();
        Timelines.Interleaving il = Timelines.interleave(r.runsA(), r.runsB());
        List<Timelines.Turn> turns = side < 0 ? il.turns() : il.turnsOf(side);
        if (turns.isEmpty()) {
            return CaseResult.failed(ID, caseId, null, UNIT, String.format("no complete turn in %.0f ms (%d side changes, "
                    + "%d + %d runs): the sides never alternated", run.durationNs() / 1e6, il.changes(), r.runsA().length / 2,
                    r.runsB().length / 2));
        }
        double[] ms = turns.stream().mapToDouble(t -> t.lengthNs() / 1e6).toArray();
        CaseResultBuilder b = new CaseResultBuilder(ID, caseId, UNIT)
                .param("mode", run.mode() == SliceMode.THREADS ? "two threads" : "two processes (forked in C)")
                .param("policy", run.policy() == SlicePolicy.RR ? "SCHED_RR priority 1" : "SCHED_OTHER")
                .param("nice", run.policy() == SlicePolicy.RR ? "-" : run.niceA() + "/" + run.niceB())
                .param("side", side < 0 ? "both" : side == 0 ? "nice " + run.niceA() : "nice " + run.niceB())
                .param("cpu", run.cpu())
                .param("duration-ms", run.durationNs() / 1e6)
                .param("turns", turns.size())
                .param("side-changes", il.changes())
                .param("p99-ms", Percentiles.format(Percentiles.of(ms, 99)))
                .param("foreign-gaps", il.foreignGaps())
                .param("gaps-over-50us", il.sharedGaps())
                .param("foreign-ms", il.foreignNs() / 1e6)
                .param("cpu-shared-with-third-tasks", il.cpuShared() ? "yes" : "no")
                .param("gap-threshold-us", run.gapNs() / 1e3);
        if (r.rrIntervalNs() > 0) b.param("sched_rr_get_interval-ms", r.rrIntervalNs() / 1e6);
        SchedCases.schedulerParams(b);
        SchedCases.samples(b, ms);
        long niv = r.involuntaryA() + r.involuntaryB();
        b.counters(List.of(Counter.of("involuntary-switches", "side A", r.involuntaryA(), Math.max(1, turns.size()), SWITCH_SOURCE),
                Counter.of("involuntary-switches", "side B", r.involuntaryB(), Math.max(1, turns.size()), SWITCH_SOURCE),
                Counter.of("voluntary-switches", "both sides", r.voluntaryA() + r.voluntaryB(), Math.max(1, turns.size()),
                        SWITCH_SOURCE)));
        b.note("each side stamps CLOCK_MONOTONIC in a tight loop; a run ends where two stamps lie more than "
                + Percentiles.format(run.gapNs() / 1e3) + " us apart; a turn is a stretch where only one side's runs fall "
                + "(the two timelines interleaved), first to last stamp; the turns cut by the window's edges are dropped");
        validate(b, run, il, niv, Arrays.stream(ms).sorted().toArray());
        if (caseId.equals("threads/default")) claim(b, ms, turns.size());
        if (r.truncated()) b.note("a side filled its run buffer: the window ends there");
        return b.wallMs(run.wallMs()).build();
    }

    private static void validate(CaseResultBuilder b, Run run, Timelines.Interleaving il, long niv, double[] sortedMs) {
        NativeSched.SliceRun r = run.run();
        int changes = il.changes();
        b.note(String.format("%d side changes, %d involuntary switches (kernel), %d foreign gaps (%.2f ms in all), %d gaps "
                + "(foreign or between turns) of at least 50 us", changes, niv, il.foreignGaps(), il.foreignNs() / 1e6, il.sharedGaps()));
        if (niv + 2 < changes || niv > changes + il.foreignGaps() + 2) {
            b.flag(String.format("the kernel's involuntary switches (%d) fall outside [side changes, side changes + foreign "
                    + "gaps] = [%d, %d]", niv, changes, changes + il.foreignGaps()));
        } else if (!il.cpuShared() && Math.abs(niv - changes) > AGREEMENT * changes + 2) {
            b.flag(String.format("no third task shared the CPU, yet the kernel's %d involuntary switches differ from the %d "
                    + "side changes by more than %.0f%%", niv, changes, AGREEMENT * 100));
        } else if (il.cpuShared()) {
            b.note("third tasks shared this CPU (gaps of 50 us or more in over 5% of the changes): the involuntary "
                    + "switches include theirs, so only the bracket changes <= switches <= changes + foreign gaps is checked");
        }
        if (r.cpuA() != run.cpu() || r.cpuB() != run.cpu()) {
            b.flag("a side ended on CPU " + r.cpuA() + "/" + r.cpuB() + ", not the pinned " + run.cpu());
        }
        double median = sortedMs[sortedMs.length / 2];
        if (run.policy() == SlicePolicy.OTHER && il.cpuShared()) {
            b.note("third tasks shared this CPU: a task that wakes often takes the CPU from the running side and the scheduler "
                    + "may hand it to the other side afterwards, so turns here can be far shorter than the slice; the median's "
                    + "plausibility range is checked only on an unshared CPU");
        } else if (run.policy() == SlicePolicy.OTHER && (median < MIN_PLAUSIBLE_MS || median > MAX_PLAUSIBLE_MS)) {
            b.flag(String.format("median turn %.3f ms outside the plausible %.1f-%.0f ms", median, MIN_PLAUSIBLE_MS, MAX_PLAUSIBLE_MS));
        }
        if (run.policy() == SlicePolicy.RR && r.rrIntervalNs() > 0) {
            b.note(String.format("SCHED_RR quantum (sched_rr_get_interval) %.1f ms; median turn %.2f ms", r.rrIntervalNs() / 1e6, median));
        }
    }

    /**
     * The figure of the claim "the kernel preempts a busy thread after ≈ X ms here" (the cost ladder's
     * claims read it by this label on {@code sched.slice/threads/default}), with what it rests on.
     */
    static final String SLICE = "time slice of a busy thread";

    private static void claim(CaseResultBuilder b, double[] ms, int turns) {
        double median = Percentiles.of(ms, 50);
        b.derived(Derived.of(SLICE, median, "ms", ID + "/threads/default").withNote(String.format(
                "median %s ms, p5-p95 %s-%s ms over %d turns of two nice-0 threads on one CPU", Percentiles.format(median),
                Percentiles.format(Percentiles.of(ms, 5)), Percentiles.format(Percentiles.of(ms, 95)), turns)));
    }
}
