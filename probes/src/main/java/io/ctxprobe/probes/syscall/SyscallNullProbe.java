package io.ctxprobe.probes.syscall;

import io.ctxprobe.probes.measurement.NativeLoops;
import io.ctxprobe.probes.measurement.JavaLoops;
import io.ctxprobe.probes.measurement.InThreadMeasurement;
import io.ctxprobe.probes.measurement.Cases;
import io.ctxprobe.linux.NativeSyscall;
import io.ctxprobe.binding.Binding;
import io.ctxprobe.binding.Crossings;
import io.ctxprobe.probe.Probe;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.Derived;
import io.ctxprobe.report.CaseResultBuilder;

import java.util.ArrayList;
import java.util.List;

/**
 * syscall.null — what entering and leaving the kernel costs, with nothing done inside: getppid, a
 * call no libc caches. From C in a loop (the kernel crossing alone), and from Java through each way
 * it reaches C ({@link Crossings.Way}: FFM plain, FFM with errno capture, FFM critical, JNA direct,
 * JNA interface), each case noting its share over the C loop. Under PTI without PCID every crossing
 * also flushes the user TLB, which the host facts show.
 */
public final class SyscallNullProbe implements Probe {

    public static final String ID = "syscall.null";
    private static final String UNIT = "ns/call";
    /** The derived figure's label on each Java case: its median minus the C loop's (the binding's crossing). */
    static final String BINDING_SHARE = "binding's share over the C loop";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "a null system call (getppid): from C in a loop, and through each Java crossing (FFM plain, with errno"
                + " capture, critical; JNA direct, interface), so the binding's share is told from the kernel's";
    }

    @Override
    public List<ParamSpec> parameters() {
        return InThreadMeasurement.PARAMETERS;
    }

    @Override
    public List<CaseResult> run(ProbeContext ctx) {
        List<CaseResult> results = new ArrayList<>();
        results.add(Cases.attempt(ctx, ID, "c-loop", UNIT, () -> InThreadMeasurement.measure(ctx,
                new CaseResultBuilder(ID, "c-loop", UNIT).param("caller", "C loop in libctxprobe")
                        .timer("CLOCK_MONOTONIC (C)", NativeLoops.clockReadNs()),
                NativeLoops.of("ctxprobe_syscall_null_run", NativeSyscall::nullRun), 1, 50_000_000)));
        Binding clock = ctx.binding();
        for (Crossings.Way way : Crossings.Way.values()) {
            results.add(Cases.attempt(ctx, ID, way.caseId(), UNIT, () -> InThreadMeasurement.measure(ctx,
                    new CaseResultBuilder(ID, way.caseId(), UNIT).param("caller", way.description())
                            .timer("CLOCK_MONOTONIC (" + clock.name() + ")", JavaLoops.clockReadNs(clock)),
                    JavaLoops.calls(clock, Crossings.getppid(way)), 1, 50_000_000)));
        }
        return withBindingShares(results);
    }

    /**
     * Each Java case's cost over the C loop: the same system call, so the difference is the binding's
     * crossing (the JIT-compiled call site, the thread-state transition, errno capture, JNA's dispatch)
     * and the C loop is the kernel's part.
     */
    private static List<CaseResult> withBindingShares(List<CaseResult> results) {
        CaseResult c = results.getFirst();
        if (c.stats() == null) {
            return results;
        }
        double kernel = c.stats().median();
        List<CaseResult> out = new ArrayList<>(List.of(c));
        for (CaseResult r : results.subList(1, results.size())) {
            out.add(r.stats() == null ? r : r.withDerived(Derived.of(BINDING_SHARE, r.stats().median() - kernel, UNIT,
                    r.key(), c.key()).withNote(String.format("this median minus the C loop's %.1f ns (the kernel's part)", kernel))));
        }
        return out;
    }
}
