package io.ctxprobe.probes.switching;

import io.ctxprobe.linux.NativePingPong;
import io.ctxprobe.linux.SyscallTable;
import io.ctxprobe.measure.BatchPlan;
import io.ctxprobe.measure.Stats;
import io.ctxprobe.perf.TracepointAccess;
import io.ctxprobe.perf.TracepointSession;
import io.ctxprobe.perf.Tracefs;
import io.ctxprobe.probe.CpuPair;
import io.ctxprobe.probe.Placement;
import io.ctxprobe.probe.PlacementPlanner;
import io.ctxprobe.probe.Probe;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.probe.ProbeUnavailableException;
import io.ctxprobe.probes.measurement.Cases;
import io.ctxprobe.probes.measurement.NativeLoops;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.CaseResultBuilder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * switch.anatomy — where a handoff's microseconds go, from the kernel's own timestamped tracepoints
 * of the two tasks ({@code raw_syscalls:sys_enter/sys_exit}, {@code sched:sched_waking},
 * {@code sched:sched_wakeup}, {@code sched:sched_switch}), sampled on the measured CPUs with a
 * kernel-side filter on the two tids and decoded by the format files' offsets
 * ({@link SwitchAnatomy}). Two threads of the libctxprobe ping-pong, futex, pipe and eventfd, on one
 * CPU and across two. The case's value is the handoff timed in the same run (ns per switch, half a
 * round trip, tracing on); the phases' medians, p95 and means are its params, and the remainder —
 * the measured handoff less the sum of the phases — is shown for medians and for means.
 */
public final class SwitchAnatomyProbe implements Probe {

    public static final String ID = "switch.anatomy";
    static final String SYS_ENTER = "raw_syscalls:sys_enter";
    static final String SYS_EXIT = "raw_syscalls:sys_exit";
    static final String WAKING = "sched:sched_waking";
    static final String WAKEUP = "sched:sched_wakeup";
    static final String SWITCH = "sched:sched_switch";
    static final List<String> TRACEPOINTS = List.of(SYS_ENTER, SYS_EXIT, WAKING, WAKEUP, SWITCH);
    static final List<Mechanism> MECHANISMS = List.of(Mechanism.FUTEX, Mechanism.PIPE, Mechanism.EVENTFD);
    private static final String UNIT = "ns/switch";
    /** 8 MiB per CPU: about 1 KiB of records per round trip, for up to 4 000 round trips, twice over. */
    static final int RING_PAGES = 2048;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "one handoff decomposed into phases from the kernel's tracepoints (syscall enter/exit, waking, wakeup,"
                + " switch): futex, pipe, eventfd, same and cross core (root)";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(new ParamSpec("--placement", "same-core, cross-core"),
                new ParamSpec("--mechanism", "futex, pipe, eventfd"),
                new ParamSpec("--quick", "5 batches of 200 round trips instead of 10 of 400"));
    }

    @Override
    public String unavailableReason(ProbeContext ctx) {
        return TracepointAccess.unavailableReason(TRACEPOINTS);
    }

    @Override
    public List<CaseResult> run(ProbeContext ctx) {
        String why = unavailableReason(ctx);
        if (why != null) throw new ProbeUnavailableException(why);
        Tracefs.Lookup lookup = TracepointAccess.lookup(TRACEPOINTS);
        SwitchAnatomy.Formats formats = new SwitchAnatomy.Formats(lookup.get(SYS_ENTER), lookup.get(SYS_EXIT),
                lookup.get(WAKING), lookup.get(WAKEUP), lookup.get(SWITCH));
        PlacementPlanner planner = ctx.planner();
        List<CaseResult> results = new ArrayList<>();
        for (Mechanism m : MECHANISMS) {
            if (!ctx.options().mechanisms().isEmpty() && !ctx.options().mechanisms().contains(m.label())) continue;
            for (Placement p : List.of(Placement.SAME_CORE, Placement.CROSS_CORE)) {
                if (!ctx.options().placements().contains(p)) continue;
                String caseId = m.label() + "/" + p.label();
                PlacementPlanner.Plan plan = planner.plan(p);
                results.add(plan.pair() == null ? CaseResult.skipped(ID, caseId, java.util.Map.of(), UNIT, plan.skipReason())
                        : Cases.attempt(ctx, ID, caseId, UNIT, () -> measure(ctx, formats, caseId, m, plan.pair())));
            }
        }
        return results;
    }

    static CaseResult measure(ProbeContext ctx, SwitchAnatomy.Formats f, String caseId, Mechanism m, CpuPair pair) {
        long started = System.nanoTime();
        BatchPlan plan = new BatchPlan(0, ctx.options().quick() ? 5 : 10, ctx.options().quick() ? 200 : 400);
        int[] cpus = pair.first() == pair.second() ? new int[] {pair.first()} : new int[] {pair.first(), pair.second()};
        TracedPingPong.Result<Void> plain = TracedPingPong.run(ctx, m, NativePingPong.Mode.THREADS, pair, plan, tids -> untraced());
        TracedPingPong.Result<Traced> run = TracedPingPong.run(ctx, m, NativePingPong.Mode.THREADS, pair, plan,
                tids -> tracer(f, cpus, tids));
        SwitchAnatomy.Result a = SwitchAnatomy.analyse(f, run.trace().samples(), run.tids(), wakeCall(m));
        double measuredMean = Arrays.stream(run.wallNs()).sum() / (2.0 * plan.measuredOps());
        double measuredMedian = Stats.of(perSwitch(run.wallNs(), plan)).median();
        CaseResultBuilder b = new CaseResultBuilder(ID, caseId, UNIT).param("mechanism", m.label())
                .param("cpus", pair.first() + "," + pair.second()).param("tids", run.tids()[0] + "," + run.tids()[1])
                .batches(plan, 2, run.wallNs(), null)
                .timer("CLOCK_MONOTONIC (C), two reads per batch", NativeLoops.clockReadNs());
        b.param("handoffs_timed", 2 * plan.measuredOps()).param("cycles_traced", a.cycles())
                .param("cycles_decomposed", a.decomposed()).param("cycles_no_sleep", a.noSleep().length)
                .param("cycles_incomplete", a.incomplete().length).param("lost_records", run.trace().lost());
        Map<String, Double> share = a.contributions();
        for (String p : PHASES_AND_REST) {
            Stats s = a.stats(p);
            if (s != null) {
                b.param(p + ".median_ns", round(s.median())).param(p + ".p95_ns", round(s.p95())).param(p + ".mean_ns", round(s.mean()));
            }
            if (share.containsKey(p)) b.param(p + ".per_handoff_ns", round(share.get(p)));
        }
        Stats sleep = a.sleepPaths().length == 0 ? null : Stats.of(a.sleepPaths());
        if (sleep != null) b.param("sleep-path.median_ns", round(sleep.median())).param("sleep-path.p95_ns", round(sleep.p95()));
        b.param("measured_median_ns", round(measuredMedian)).param("measured_mean_ns", round(measuredMean))
                .param("sum_of_phase_medians_ns", round(a.sumOfMedians())).param("mean_traced_cycle_ns", round(a.meanCycle()))
                .param("remainder_median_ns", round(measuredMedian - a.sumOfMedians()))
                .param("remainder_mean_ns", round(measuredMean - a.meanCycle()));
        double untraced = Stats.of(perSwitch(plain.wallNs(), plan)).median();
        b.note(table(a, sleep, measuredMedian, measuredMean))
                .note(String.format(Locale.ROOT, "%d handoffs timed, %d traced: %d decomposed (the woken side slept), %d where it"
                        + " did not sleep (the token was already there), %d incomplete", 2 * plan.measuredOps(), a.cycles(),
                        a.decomposed(), a.noSleep().length, a.incomplete().length))
                .note(String.format(Locale.ROOT, "timed with tracing on; the same ping-pong untraced just before: %.0f ns per switch"
                        + " (tracing added %+.0f%%)", untraced, 100 * (measuredMedian / untraced - 1)))
                .wallMs((System.nanoTime() - started) / 1e6);
        if (run.trace().lost() > 0) b.flag(run.trace().lost() + " records lost: the phases cover only what was kept");
        if (a.decomposed() == 0) b.flag("no handoff could be decomposed (the woken side never slept)");
        return b.build();
    }

    /** The five phases, then the whole cycles that were not decomposed. */
    static final List<String> PHASES_AND_REST = java.util.stream.Stream.concat(SwitchAnatomy.PHASES.stream(),
            java.util.stream.Stream.of("no-sleep", "incomplete")).toList();

    /** A side's wake call: FUTEX_WAKE (the op less its private/clock flags), or the write to the other side's fd. */
    static SwitchAnatomy.WakeCall wakeCall(Mechanism m) {
        long futex = SyscallTable.FUTEX.number();
        long write = SyscallTable.WRITE.number();
        return switch (m) {
            case FUTEX -> (nr, op) -> nr == futex && (op & FUTEX_CMD_MASK) == FUTEX_WAKE;
            case PIPE, EVENTFD -> (nr, fd) -> nr == write;
            default -> throw new IllegalArgumentException("no wake call known for " + m);
        };
    }

    static final long FUTEX_WAKE = 1;
    /** ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME), linux/futex.h. */
    static final long FUTEX_CMD_MASK = ~(128L | 256L);

    /** The phase lines (median, p95, mean, per handoff), then the sums and the remainders. */
    static String table(SwitchAnatomy.Result a, Stats sleep, double measuredMedian, double measuredMean) {
        StringBuilder s = new StringBuilder("phases (ns; median/p95/mean over decomposed handoffs, then per handoff over all):");
        Map<String, Double> share = a.contributions();
        for (String p : PHASES_AND_REST) {
            Stats st = a.stats(p);
            if (st == null) continue;
            s.append(String.format(Locale.ROOT, " %s %.0f/%.0f/%.0f, %.0f;", p, st.median(), st.p95(), st.mean(), share.get(p)));
        }
        if (sleep != null) s.append(String.format(Locale.ROOT, " (beside the chain: sleep-path %.0f/%.0f/%.0f);", sleep.median(),
                sleep.p95(), sleep.mean()));
        s.append(String.format(Locale.ROOT, " sum of phase medians %.0f + remainder %.0f = measured median %.0f;"
                        + " per handoff %.0f + remainder %.0f = measured mean %.0f", a.sumOfMedians(), measuredMedian - a.sumOfMedians(),
                measuredMedian, a.meanCycle(), measuredMean - a.meanCycle(), measuredMean));
        return s.toString();
    }

    private static double[] perSwitch(long[] wallNs, BatchPlan plan) {
        return Arrays.stream(wallNs).mapToDouble(w -> w / (2.0 * plan.opsPerBatch())).toArray();
    }

    private static String round(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.1f", v);
    }

    /** What the tracer hands back: the samples sorted by time, and the records lost. */
    record Traced(List<io.ctxprobe.perf.PerfRecord.Sample> samples, long lost) {}

    static TracedPingPong.Tracer<Traced> tracer(SwitchAnatomy.Formats f, int[] cpus, int[] tids) {
        String mine = TracepointSession.anyOf("common_pid", tids);
        String target = TracepointSession.anyOf("pid", tids);
        String switched = TracepointSession.anyOf("prev_pid", tids) + " || " + TracepointSession.anyOf("next_pid", tids);
        TracepointSession s = TracepointSession.open(cpus, List.of(new TracepointSession.Sampled(f.sysEnter(), mine),
                new TracepointSession.Sampled(f.sysExit(), mine), new TracepointSession.Sampled(f.waking(), target),
                new TracepointSession.Sampled(f.wakeup(), target), new TracepointSession.Sampled(f.sched(), switched)),
                List.of(), RING_PAGES);
        return new TracedPingPong.Tracer<>() {
            @Override
            public void start() {
                s.enable();
            }

            @Override
            public Traced stop() {
                s.disable();
                TracepointSession.Samples seen = s.drain();
                return new Traced(seen.samples(), seen.lost());
            }

            @Override
            public void close() {
                s.close();
            }
        };
    }

    /** The same run with nothing attached: what tracing costs the handoff. */
    private static TracedPingPong.Tracer<Void> untraced() {
        return new TracedPingPong.Tracer<>() {
            @Override
            public void start() {}

            @Override
            public Void stop() {
                return null;
            }

            @Override
            public void close() {}
        };
    }
}
