package io.ctxprobe.probes.lifecycle;

import io.ctxprobe.probes.measurement.NativeLoops;
import io.ctxprobe.probes.measurement.InThreadMeasurement;
import io.ctxprobe.probes.measurement.CreateMeasurement;
import io.ctxprobe.probes.measurement.Cases;
import io.ctxprobe.probes.measurement.PlacedMeasurement;
import io.ctxprobe.linux.NativeCreate;
import io.ctxprobe.linux.NativeFiber;
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
 * stack (user space only). Unit: ns per create. pooled-stack (about 15 ns) is timed from several
 * placements of an assembly loop and reports the best, with each placement's figures beside it
 * ({@link PlacedMeasurement}); fresh-stack's kernel work needs no such control.
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
        results.add(fiberCase(ctx, "fresh-stack", NativeCreate.FiberKind.FRESH, clockNs,
                "mmap 64 KiB + guard page (mprotect PROT_NONE), first frame, switch in and back, munmap"
                        + " (pthread_create reuses glibc's cached stacks; this maps and unmaps one per fiber)"));
        String pooled = "pooled-stack";
        results.add(Cases.attempt(ctx, ID, pooled, UNIT, () -> PlacedMeasurement.measure(ctx,
                new CaseResultBuilder(ID, pooled, UNIT).param("kind", "one 64 KiB stack reused: first frame, switch in and back")
                        .timer("CLOCK_MONOTONIC (C)", clockNs),
                placedLoop(), 1, 100_000_000)));
        return results;
    }

    /** The placed pooled-stack loops: copy i's loop top at a 64-byte boundary + i * step. */
    static PlacedMeasurement.Loop placedLoop() {
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < NativeFiber.LOOP_PLACEMENTS; i++) labels.add("+" + i * NativeFiber.LOOP_PLACEMENT_STEP);
        return new PlacedMeasurement.Loop("ctxprobe_fiber_create_placed_run",
                (warmup, batches, ops, wall, cpu, counts) -> NativeFiber.createPlacedRun(warmup, batches, ops, wall, cpu, counts),
                labels, "fibers created", 1);
    }

    private static CaseResult fiberCase(ProbeContext ctx, String caseId, NativeCreate.FiberKind kind, double clockNs, String what) {
        return Cases.attempt(ctx, ID, caseId, UNIT, () -> CreateMeasurement.measure(ctx,
                new CaseResultBuilder(ID, caseId, UNIT).param("kind", what).timer("CLOCK_MONOTONIC (C)", clockNs),
                CreateMeasurement.nativeRun("ctxprobe_fiber_create_run", (warmup, batches, ops, wall, cpu) ->
                        NativeCreate.fiberRun(kind, warmup, batches, ops, wall, cpu)),
                100, 100_000_000, 1, true));
    }
}
