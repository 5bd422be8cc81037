package io.ctxprobe.probes.syscall;

import io.ctxprobe.probes.measurement.NativeLoops;
import io.ctxprobe.probes.measurement.JavaLoops;
import io.ctxprobe.probes.measurement.InThreadMeasurement;
import io.ctxprobe.probes.measurement.Cases;
import io.ctxprobe.binding.Binding;
import io.ctxprobe.linux.CtxprobeLib;
import io.ctxprobe.linux.Unistd;
import io.ctxprobe.probe.Probe;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.CaseResultBuilder;

import java.util.ArrayList;
import java.util.List;

/**
 * syscall.null — what entering and leaving the kernel costs, with nothing done inside: getppid, a
 * call no libc caches. From C in a loop (the kernel crossing alone), and from Java with one FFM
 * downcall or one JNA call per system call (the crossing plus the binding's own cost). Under PTI
 * without PCID every crossing also flushes the user TLB, which the host facts show.
 */
public final class SyscallNullProbe implements Probe {

    public static final String ID = "syscall.null";
    private static final String UNIT = "ns/call";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "a null system call (getppid): from C in a loop, one FFM downcall per call, one JNA call per call";
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
                NativeLoops.of("ctxprobe_syscall_null_run", CtxprobeLib::syscallNullRun), 1, 50_000_000)));
        Binding clock = ctx.binding();
        results.add(Cases.attempt(ctx, ID, "ffm-downcall", UNIT, () -> InThreadMeasurement.measure(ctx,
                new CaseResultBuilder(ID, "ffm-downcall", UNIT).param("caller", "Java, one FFM downcall per call")
                        .timer("CLOCK_MONOTONIC (" + clock.name() + ")", JavaLoops.clockReadNs(clock)),
                JavaLoops.calls(clock, Unistd::getppid), 1, 50_000_000)));
        Binding jna = Binding.jna();
        results.add(Cases.attempt(ctx, ID, "jna-call", UNIT, () -> InThreadMeasurement.measure(ctx,
                new CaseResultBuilder(ID, "jna-call", UNIT).param("caller", "Java, one JNA direct call per call")
                        .timer("CLOCK_MONOTONIC (" + clock.name() + ")", JavaLoops.clockReadNs(clock)),
                JavaLoops.calls(clock, jna::getppid), 1, 50_000_000)));
        return results;
    }
}
