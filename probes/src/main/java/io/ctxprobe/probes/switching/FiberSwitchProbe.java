package io.ctxprobe.probes.switching;

import io.ctxprobe.probes.measurement.NativeLoops;
import io.ctxprobe.probes.measurement.InThreadMeasurement;
import io.ctxprobe.probes.measurement.Cases;
import io.ctxprobe.probes.measurement.PlacedMeasurement;
import io.ctxprobe.linux.NativeCore;
import io.ctxprobe.linux.NativeFiber;
import io.ctxprobe.linux.NativePingPong;
import io.ctxprobe.probe.Placement;
import io.ctxprobe.probe.PlacementPlanner;
import io.ctxprobe.probe.Probe;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.CaseResultBuilder;
import io.ctxprobe.report.Derived;

import java.util.ArrayList;
import java.util.List;

/**
 * fiber.switch — two C fibers on one kernel thread handing control back and forth, no kernel
 * involved (unless the switch itself calls it). Cases: the hand-written x86-64 switch saving exactly
 * the SysV callee-saved state; the same without the x87 control word and MXCSR; glibc swapcontext,
 * which also saves the signal mask with a system call on every switch; and a fiber migrating between
 * two kernel threads on two CPUs. Unit: ns per switch (half a round trip main -> fiber -> main).
 * The two hand-written kinds are timed from several placements of an assembly loop (at 64-byte
 * boundaries plus 0, 16, 32, 48 bytes: a ~5 ns loop otherwise measures where the compiler put it)
 * and report the best placement, with every placement's figures and their spread beside it
 * ({@link PlacedMeasurement}). ucontext makes a system call per switch: one C loop suffices.
 */
public final class FiberSwitchProbe implements Probe {

    public static final String ID = "fiber.switch";
    private static final String UNIT = "ns/switch";
    /** The derived figure's label on "migrate": its median minus the spin handoff's alone on the same pair. */
    static final String OVER_SPIN_HANDOFF = "added over the spin handoff";

    private record Kind(String caseId, NativeFiber.Kind code, String what) {}

    private static final List<Kind> KINDS = List.of(
            new Kind("asm", NativeFiber.Kind.ASM,
                    "hand-written switch: rbx, rbp, r12-r15, rsp, x87 control word, MXCSR"),
            new Kind("asm-nofpu", NativeFiber.Kind.ASM_NOFPU,
                    "hand-written switch without x87 CW/MXCSR: drops the SysV guarantee that those control bits are callee-saved"),
            new Kind("ucontext", NativeFiber.Kind.UCONTEXT,
                    "glibc swapcontext: all registers plus the signal mask (rt_sigprocmask, a system call per switch)"));

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "C fibers: hand-written x86-64 switch (with and without FPU control words), glibc swapcontext, migration across CPUs";
    }

    @Override
    public List<ParamSpec> parameters() {
        return InThreadMeasurement.PARAMETERS;
    }

    @Override
    public List<CaseResult> run(ProbeContext ctx) {
        double clockReadNs = NativeLoops.clockReadNs();
        List<CaseResult> results = new ArrayList<>();
        for (Kind kind : KINDS) {
            CaseResultBuilder builder = new CaseResultBuilder(ID, kind.caseId(), UNIT)
                    .param("switch", kind.what())
                    .timer("CLOCK_MONOTONIC (C)", clockReadNs);
            results.add(Cases.attempt(ctx, ID, kind.caseId(), UNIT, () -> kind.code() == NativeFiber.Kind.UCONTEXT
                    ? InThreadMeasurement.measure(ctx, builder.note("one C loop, not placed: a system call per switch "
                                    + "dwarfs what the loop's place in the code can change"),
                            NativeLoops.of("ctxprobe_fiber_switch_run", (warmup, batches, ops, wall, cpu) ->
                                    NativeFiber.switchRun(kind.code(), warmup, batches, ops, wall, cpu)),
                            2, 200_000_000)
                    : PlacedMeasurement.measure(ctx, builder, placedLoop(kind.code()), 2, 200_000_000)));
        }
        results.add(migration(ctx));
        return results;
    }

    /** The placed switch loops of a hand-written kind; each copy labelled by where its loop top landed. */
    static PlacedMeasurement.Loop placedLoop(NativeFiber.Kind kind) {
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < NativeFiber.LOOP_PLACEMENTS; i++) {
            labels.add("+" + NativeCore.check("ctxprobe_fiber_loop_top_offset", NativeFiber.loopTopOffset(kind, i)));
        }
        return new PlacedMeasurement.Loop("ctxprobe_fiber_switch_placed_run",
                (warmup, batches, ops, wall, cpu, counts) ->
                        NativeFiber.switchPlacedRun(kind, warmup, batches, ops, wall, cpu, counts),
                labels, "switches", 2);
    }

    /**
     * A fiber suspended on one kernel thread and resumed on another, pinned to another CPU: the
     * ping-pong's two threads spin-hand a token, and whoever holds it resumes the one shared fiber,
     * which switches straight back. Per handoff: the spin handoff plus one fiber switch in and out on
     * a thread whose caches last saw the fiber's stack on the other CPU. The spin handoff alone is
     * measured on the same pair first, so the note can show what the migration adds.
     */
    private static CaseResult migration(ProbeContext ctx) {
        String caseId = "migrate";
        PlacementPlanner.Plan cross = ctx.planner().plan(Placement.CROSS_CORE);
        if (cross.pair() == null) {
            return CaseResult.skipped(ID, caseId, null, UNIT, "a fiber migrates between two kernel threads on two CPUs: "
                    + cross.skipReason());
        }
        return Cases.attempt(ctx, ID, caseId, UNIT, () -> {
            CaseResult spin = PingPongCase.measure(ctx, new CaseResultBuilder(ID, caseId, UNIT),
                    new PingPongRound.Spec(Mechanism.SPIN, NativePingPong.Mode.THREADS, cross.pair()), true);
            CaseResultBuilder result = new CaseResultBuilder(ID, caseId, UNIT)
                    .param("switch", "hand-written switch; the fiber is resumed alternately by two threads on two CPUs");
            if (spin.stats() != null) {
                result.note(String.format("the spin handoff alone on this pair: %.0f ns (cache.c2c's measure); "
                        + "what the fiber's resume and return on the other CPU add is the difference", spin.stats().median()));
            }
            CaseResult migrate = PingPongCase.measure(ctx, result,
                    new PingPongRound.Spec(Mechanism.SPIN, NativePingPong.Mode.FIBER, cross.pair()), false);
            if (spin.stats() == null || migrate.stats() == null) return migrate;
            return migrate.withDerived(Derived.of(OVER_SPIN_HANDOFF, migrate.stats().median() - spin.stats().median(), UNIT,
                    migrate.key(), "spin handoff on the same pair (measured first, not a case)"));
        });
    }
}
