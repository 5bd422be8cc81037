package io.ctxprobe.probes.lifecycle;

import io.ctxprobe.probes.measurement.NativeLoops;
import io.ctxprobe.probes.measurement.InThreadMeasurement;
import io.ctxprobe.probes.measurement.CreateMeasurement;
import io.ctxprobe.probes.measurement.Cases;
import io.ctxprobe.linux.CtxprobeLib;
import io.ctxprobe.probe.Probe;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.CaseResultBuilder;

import java.util.ArrayList;
import java.util.List;

/**
 * fiber.create — what creating a C fiber costs: set up its first frame, switch into it, it hands
 * control back, tear it down. fresh-stack maps a 64 KiB stack with a PROT_NONE guard page per fiber
 * (mmap, mprotect, the first-touch page fault, munmap: the kernel's share); pooled-stack reuses one
 * stack (user space only). Unit: ns per create.
 */
public final class FiberCreateProbe implements Probe {

    public static final String ID = "fiber.create";
    private static final String UNIT = "ns/create";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "create a C fiber, switch in once, tear down: fresh mmap'd stack with guard page, or one pooled stack";
    }

    @Override
    public List<ParamSpec> parameters() {
        return InThreadMeasurement.PARAMETERS;
    }

    @Override
    public List<CaseResult> run(ProbeContext ctx) {
        double clockNs = NativeLoops.clockReadNs();
        List<CaseResult> results = new ArrayList<>();
        results.add(fiberCase(ctx, "fresh-stack", CtxprobeLib.CREATE_FIBER_FRESH, clockNs,
                "mmap 64 KiB + guard page (mprotect PROT_NONE), first frame, switch in and back, munmap"
                        + " (pthread_create reuses glibc's cached stacks; this maps and unmaps one per fiber)"));
        results.add(fiberCase(ctx, "pooled-stack", CtxprobeLib.CREATE_FIBER_POOLED, clockNs,
                "one 64 KiB stack reused: first frame, switch in and back"));
        return results;
    }

    private static CaseResult fiberCase(ProbeContext ctx, String caseId, int kind, double clockNs, String what) {
        return Cases.attempt(ctx, ID, caseId, UNIT, () -> CreateMeasurement.measure(ctx,
                new CaseResultBuilder(ID, caseId, UNIT).param("kind", what).timer("CLOCK_MONOTONIC (C)", clockNs),
                CreateMeasurement.nativeRun("ctxprobe_fiber_create_run", (warmup, batches, ops, wall, cpu) ->
                        CtxprobeLib.fiberCreateRun(kind, warmup, batches, ops, wall, cpu)),
                100, 100_000_000, 1, true));
    }
}
