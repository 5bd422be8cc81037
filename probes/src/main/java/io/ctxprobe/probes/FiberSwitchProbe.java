package io.ctxprobe.probes;

import io.ctxprobe.linux.CtxprobeLib;
import io.ctxprobe.probe.Probe;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.CaseResultBuilder;

import java.util.ArrayList;
import java.util.List;

/**
 * fiber.switch — two C fibers on one kernel thread handing control back and forth, no kernel
 * involved (unless the switch itself calls it). Cases: the hand-written x86-64 switch saving exactly
 * the SysV callee-saved state; the same without the x87 control word and MXCSR; glibc swapcontext,
 * which also saves the signal mask with a system call on every switch. Unit: ns per switch (half a
 * round trip main -> fiber -> main).
 */
public final class FiberSwitchProbe implements Probe {

    static final String ID = "fiber.switch";
    private static final String UNIT = "ns/switch";

    private record Kind(String caseId, int code, String what) {}

    private static final List<Kind> KINDS = List.of(
            new Kind("asm", CtxprobeLib.FIBER_ASM,
                    "hand-written switch: rbx, rbp, r12-r15, rsp, x87 control word, MXCSR"),
            new Kind("asm-nofpu", CtxprobeLib.FIBER_ASM_NOFPU,
                    "hand-written switch without x87 CW/MXCSR: drops the SysV guarantee that those control bits are callee-saved"),
            new Kind("ucontext", CtxprobeLib.FIBER_UCONTEXT,
                    "glibc swapcontext: all registers plus the signal mask (rt_sigprocmask, a system call per switch)"));

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "C fibers on one thread: hand-written x86-64 switch (with and without FPU control words) and glibc swapcontext";
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
            results.add(Cases.attempt(ctx, ID, kind.caseId(), UNIT, () -> InThreadMeasurement.measure(ctx,
                    new CaseResultBuilder(ID, kind.caseId(), UNIT)
                            .param("switch", kind.what())
                            .timer("CLOCK_MONOTONIC (C)", clockReadNs),
                    NativeLoops.of("ctxprobe_fiber_switch_run",
                            (warmup, batches, ops, wall, cpu) ->
                                    CtxprobeLib.fiberSwitchRun(kind.code(), warmup, batches, ops, wall, cpu)),
                    2, 200_000_000)));
        }
        return results;
    }
}
