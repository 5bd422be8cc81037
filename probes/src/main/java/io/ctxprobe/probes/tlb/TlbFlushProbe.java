package io.ctxprobe.probes.tlb;

import io.ctxprobe.linux.Arch;
import io.ctxprobe.linux.NativeCore;
import io.ctxprobe.linux.NativeFiber;
import io.ctxprobe.linux.NativePingPong;
import io.ctxprobe.linux.NativeSyscall;
import io.ctxprobe.linux.Unistd;
import io.ctxprobe.measure.BatchPlan;
import io.ctxprobe.perf.TracepointAccess;
import io.ctxprobe.perf.TracepointFormat;
import io.ctxprobe.perf.TracepointSession;
import io.ctxprobe.perf.Tracefs;
import io.ctxprobe.probe.CpuPair;
import io.ctxprobe.probe.Placement;
import io.ctxprobe.probe.PlacementPlanner;
import io.ctxprobe.probe.Probe;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.probe.ProbeUnavailableException;
import io.ctxprobe.probes.measurement.Cases;
import io.ctxprobe.probes.switching.Mechanism;
import io.ctxprobe.probes.switching.TracedPingPong;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.CaseResultBuilder;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * tlb.flush — did that switch flush the TLB? The kernel's own {@code tlb:tlb_flush} events (x86:
 * written by switch_mm_irqs_off on every address-space switch, pages 0 = TLB kept by PCID, -1 =
 * flushed; and by every shootdown with its reason), counted on the measured CPUs for the measured
 * tasks only (a kernel-side filter on their tids), per context switch of those tasks
 * ({@code sched:sched_switch}, same filter): a thread ping-pong and a process ping-pong on one CPU,
 * the process pair across CPUs, a fiber switch and a null system call. The same events are sampled
 * with their raw fields (decoded by the format file's offsets) for the split by reason and pages. The
 * seed's claim for this host ({@link TlbFlushVerdict}) is answered on the {@code process/same-core}
 * case: derived figures "TLB kept across process switches" (its note: the verdict sentence) and
 * "full TLB flushes among process switches", and the param {@code process_switch_flushed_tlb}.
 */
public final class TlbFlushProbe implements Probe {

    public static final String ID = "tlb.flush";
    static final String TLB = "tlb:tlb_flush";
    static final String SWITCH = "sched:sched_switch";
    static final List<String> TRACEPOINTS = List.of(TLB, SWITCH);
    private static final String PER_SWITCH = "events/switch";
    /** 16 MiB per CPU: a sched_switch (104 bytes) and a tlb_flush (64) per switch for 40 000 switches fit twice. */
    static final int RING_PAGES = 4096;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "the kernel's tlb:tlb_flush events per switch (thread, process, fiber, syscall), split by reason and pages,"
                + " and whether process switches flushed the TLB here (x86, root)";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(new ParamSpec("--placement", "same-core always (the verdict needs it); cross-core adds the process"
                + " pair across CPUs"), new ParamSpec("--quick", "5 batches of 1000 round trips instead of 10 of 2000"));
    }

    @Override
    public String unavailableReason(ProbeContext ctx) {
        String arch = archReason(Arch.current());
        return arch != null ? arch : TracepointAccess.unavailableReason(TRACEPOINTS);
    }

    /** Null on x86-64; elsewhere why not: the kernel defines tlb:tlb_flush for x86 only. */
    static String archReason(Arch arch) {
        return arch == Arch.X86_64 ? null
                : "tlb:tlb_flush is an x86-only tracepoint (arch/x86/mm/tlb.c); this host is " + arch.unameMachine();
    }

    @Override
    public List<CaseResult> run(ProbeContext ctx) {
        String why = unavailableReason(ctx);
        if (why != null) throw new ProbeUnavailableException(why);
        Tracefs.Lookup formats = TracepointAccess.lookup(TRACEPOINTS);
        PlacementPlanner planner = ctx.planner();
        CpuPair same = planner.plan(Placement.SAME_CORE).pair();
        Map<String, FlushTally> tallies = new LinkedHashMap<>();
        List<CaseResult> results = new ArrayList<>();
        results.add(pingPongCase(ctx, formats, "thread/same-core", NativePingPong.Mode.THREADS, same, tallies));
        results.add(pingPongCase(ctx, formats, "process/same-core", NativePingPong.Mode.PROCESS, same, tallies));
        if (ctx.options().placements().contains(Placement.CROSS_CORE)) {
            PlacementPlanner.Plan cross = planner.plan(Placement.CROSS_CORE);
            results.add(cross.pair() == null
                    ? CaseResult.skipped(ID, "process/cross-core", Map.of(), PER_SWITCH, cross.skipReason())
                    : pingPongCase(ctx, formats, "process/cross-core", NativePingPong.Mode.PROCESS, cross.pair(), tallies));
        }
        results.add(inThreadCase(ctx, formats, "fiber/asm", same.first(), "ns/switch", 2,
                "two fibers switching with the hand-written switch on one thread", (warmup, batches) ->
                        runFibers(warmup, batches, fiberOps(ctx))));
        results.add(inThreadCase(ctx, formats, "null-syscall", same.first(), "ns/call", 1,
                "raw syscall(SYS_getppid) in a loop", (warmup, batches) -> runSyscalls(warmup, batches, syscallOps(ctx))));
        return withVerdict(results, tallies);
    }

    /** One ping-pong under the tracepoints; {@code tallies} gets its tally by case id. */
    private static CaseResult pingPongCase(ProbeContext ctx, Tracefs.Lookup formats, String caseId, NativePingPong.Mode mode,
                                           CpuPair pair, Map<String, FlushTally> tallies) {
        return Cases.attempt(ctx, ID, caseId, PER_SWITCH, () -> {
            long started = System.nanoTime();
            BatchPlan plan = new BatchPlan(0, ctx.options().quick() ? 5 : 10, ctx.options().quick() ? 1000 : 2000);
            boolean sameCpu = pair.first() == pair.second();
            int[] cpus = sameCpu ? new int[] {pair.first()} : new int[] {pair.first(), pair.second()};
            TracedPingPong.Result<FlushTally> run = TracedPingPong.run(ctx, Mechanism.FUTEX, mode, pair, plan,
                    tids -> tracer(formats, cpus, tids));
            FlushTally t = run.trace();
            tallies.put(caseId, t);
            CaseResultBuilder b = new CaseResultBuilder(ID, caseId, PER_SWITCH)
                    .param("tasks", mode == NativePingPong.Mode.PROCESS ? "a thread and a forked child process" : "two threads of this process")
                    .param("mechanism", "futex").param("cpus", pair.first() + "," + pair.second()).param("tids", run.tids()[0] + "," + run.tids()[1])
                    .param("round_trips", plan.measuredOps())
                    .params(t.params())
                    .valuesInUnit(new BatchPlan(0, 1, 1), new double[] {sameCpu ? t.perHandoff() : t.perSwitch()}, null)
                    .note(t.text())
                    .note((sameCpu ? "value: task-switch tlb_flush events per switch between the two tasks (each event tied to the"
                            + " sched_switch before it on its CPU)" : "value: task-switch tlb_flush events per switch of either task"
                            + " (on two CPUs they never switch to each other: each switches to idle or to other tasks)") + "; counted with pid -1 on CPU " + joined(cpus) + " and a kernel-side"
                            + " filter on the two tids; getrusage over the measured batches: " + run.switches() + " switches for "
                            + plan.measuredOps() + " round trips")
                    .wallMs((System.nanoTime() - started) / 1e6);
            validate(b, t, sameCpu);
            return b.build();
        });
    }

    private static void validate(CaseResultBuilder b, FlushTally t, boolean sameCpu) {
        if (t.lost() > 0) b.flag(t.lost() + " records lost: the split is over what was kept");
        else if (!t.addsUp()) b.flag("the pages split (" + t.taskSwitchSampled() + ") does not add up to the counted total ("
                + t.taskSwitchCounted() + ")");
        if (t.switches() == 0) b.flag("no context switch of the measured tasks was seen");
        else if (sameCpu && t.handoffSwitches() < t.switches() / 2) {
            b.flag("fewer than half of the tasks' switches were to each other (" + t.handoffSwitches() + " of " + t.switches() + ")");
        }
    }

    /** Opens the session on the tids once both sides are ready (they sleep until "go"). */
    static TracedPingPong.Tracer<FlushTally> tracer(Tracefs.Lookup formats, int[] cpus, int[] tids) {
        TracepointFormat tlb = formats.get(TLB);
        TracepointFormat sw = formats.get(SWITCH);
        String mine = TracepointSession.anyOf("common_pid", tids);
        String switched = TracepointSession.anyOf("prev_pid", tids) + " || " + TracepointSession.anyOf("next_pid", tids);
        TracepointSession s = TracepointSession.open(cpus, List.of(new TracepointSession.Sampled(sw, switched),
                        new TracepointSession.Sampled(tlb, mine)),
                List.of(new TracepointSession.Counted("switches", sw, TracepointSession.anyOf("prev_pid", tids)),
                        new TracepointSession.Counted("task-switch", tlb, "(" + mine + ") && reason == " + FlushTally.REASON_TASK_SWITCH)),
                RING_PAGES);
        return new TracedPingPong.Tracer<>() {
            @Override
            public void start() {
                s.enable();
            }

            @Override
            public FlushTally stop() {
                s.disable();
                TracepointSession.Samples seen = s.drain();
                return FlushTally.of(tlb, sw, seen.samples(), tids, s.count("switches"), s.count("task-switch"), seen.lost());
            }

            @Override
            public void close() {
                s.close();
            }
        };
    }

    /**
     * A loop on the runner thread, pinned, under the same tracepoints filtered to its tid: events per
     * switch (fiber) or per call. {@code run} gets (warmup, batches) and returns the operations run.
     */
    private static CaseResult inThreadCase(ProbeContext ctx, Tracefs.Lookup formats, String caseId, int cpu, String opUnit,
                                           int unitsPerOp, String what, IntBinaryOperatorLong run) {
        String unit = unitsPerOp == 2 ? PER_SWITCH : "events/call";
        return Cases.attempt(ctx, ID, caseId, unit, () -> {
            long started = System.nanoTime();
            int batches = ctx.options().quick() ? 5 : 10;
            try (ProbeContext.Pin _ = ctx.pinCurrentThread(cpu)) {
                int[] tid = {Unistd.gettid()};
                long ops;
                FlushTally t;
                try (TracedPingPong.Tracer<FlushTally> tr = tracer(formats, new int[] {cpu}, tid)) {
                    tr.start();
                    ops = run.apply(1, batches);
                    t = tr.stop();
                }
                double units = (double) ops * unitsPerOp;
                String op = unitsPerOp == 2 ? "fiber switch" : "system call";
                CaseResultBuilder b = new CaseResultBuilder(ID, caseId, unit).param("loop", what).param("cpu", cpu)
                        .param("operations", (long) units).params(t.params())
                        .valuesInUnit(new BatchPlan(0, 1, 1), new double[] {t.notFromSwitches() / units}, null)
                        .note(FlushTally.fmt(t.notFromSwitches() / units) + " tlb_flush events per " + op + " over " + (long) units
                                + " (warm-up included) that were not a switch of the thread; the thread itself was switched out "
                                + t.switches() + " times (preempted by other tasks, or blocked), with " + t.taskSwitchCounted()
                                + " task-switch events: those are the other tasks' doing, not the " + op + "'s")
                        .note(t.text())
                        .wallMs((System.nanoTime() - started) / 1e6);
                if (t.lost() > 0) b.flag(t.lost() + " records lost");
                else if (!t.addsUp()) b.flag("the pages split does not add up to the counted total");
                return b.build();
            }
        });
    }

    /** (warmup, batches) -> operations run, warm-up included. */
    @FunctionalInterface
    interface IntBinaryOperatorLong {
        long apply(int warmup, int batches);
    }

    private static long fiberOps(ProbeContext ctx) {
        return ctx.options().quick() ? 50_000 : 200_000;
    }

    private static long syscallOps(ProbeContext ctx) {
        return ctx.options().quick() ? 10_000 : 40_000;
    }

    private static long runFibers(int warmup, int batches, long ops) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment wall = arena.allocate(ValueLayout.JAVA_LONG, batches);
            NativeCore.check("ctxprobe_fiber_switch_run",
                    NativeFiber.switchRun(NativeFiber.Kind.ASM, warmup, batches, ops, wall, MemorySegment.NULL));
            return (warmup + batches) * ops;
        }
    }

    private static long runSyscalls(int warmup, int batches, long ops) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment wall = arena.allocate(ValueLayout.JAVA_LONG, batches);
            NativeCore.check("ctxprobe_syscall_null_run", NativeSyscall.nullRun(warmup, batches, ops, wall, MemorySegment.NULL));
            return (warmup + batches) * ops;
        }
    }

    /**
     * The verdict from the same-CPU process case (the thread case beside it), set on that case as
     * derived figures; no figure when that case did not run (its own skip or failure says why).
     */
    static List<CaseResult> withVerdict(List<CaseResult> results, Map<String, FlushTally> tallies) {
        FlushTally process = tallies.get("process/same-core");
        if (process == null) return results;
        TlbFlushVerdict v = TlbFlushVerdict.of(process, tallies.get("thread/same-core"));
        List<CaseResult> out = new ArrayList<>(results);
        for (int i = 0; i < out.size(); i++) {
            CaseResult r = out.get(i);
            if (!r.caseId().equals("process/same-core") || r.stats() == null) continue;
            r = v.on(r, tallies.containsKey("thread/same-core"));
            if (!process.addsUp()) r = r.withNote("the verdict's split does not add up (lost records or a count mismatch)");
            out.set(i, r);
        }
        return out;
    }

    private static String joined(int[] cpus) {
        StringBuilder s = new StringBuilder();
        for (int c : cpus) s.append(s.isEmpty() ? "" : ",").append(c);
        return s.toString();
    }
}
