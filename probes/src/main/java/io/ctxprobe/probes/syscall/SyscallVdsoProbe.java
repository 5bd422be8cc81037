package io.ctxprobe.probes.syscall;

import io.ctxprobe.host.Fact;
import io.ctxprobe.linux.NativeSyscall;
import io.ctxprobe.linux.NativeSyscall.ClockPath;
import io.ctxprobe.linux.Resource;
import io.ctxprobe.probe.Probe;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.probes.measurement.Cases;
import io.ctxprobe.probes.measurement.InThreadMeasurement;
import io.ctxprobe.probes.measurement.NativeLoops;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.Derived;
import io.ctxprobe.report.CaseResultBuilder;

import java.util.ArrayList;
import java.util.List;

/**
 * syscall.vdso — what the vDSO saves: the same clock read, clock_gettime(CLOCK_MONOTONIC), through
 * glibc (answered in user space from the kernel's clock page, where the clocksource allows it) and
 * forced through syscall(2) (a real kernel entry and exit), both from C loops. Beside syscall.null it
 * shows which "system calls" on this host never reach the kernel. The witness is the kernel's own
 * accounting: the share of the case's CPU time spent in the kernel (getrusage), near 0 for a read the
 * vDSO answers and most of it for a forced system call.
 */
public final class SyscallVdsoProbe implements Probe {

    public static final String ID = "syscall.vdso";
    private static final String UNIT = "ns/call";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "clock_gettime(CLOCK_MONOTONIC) through the vDSO and forced through syscall(2), from C loops";
    }

    @Override
    public List<ParamSpec> parameters() {
        return InThreadMeasurement.PARAMETERS;
    }

    @Override
    public List<CaseResult> run(ProbeContext ctx) {
        String clocksource = ctx.host().fact("kernel", "clocksource").filter(Fact::available).map(Fact::value)
                .orElse("unknown");
        List<CaseResult> results = new ArrayList<>();
        for (ClockPath path : ClockPath.values()) {
            String caseId = path == ClockPath.VDSO ? "vdso" : "forced-syscall";
            results.add(Cases.attempt(ctx, ID, caseId, UNIT, () -> measure(ctx, caseId, path, clocksource)));
        }
        return results;
    }

    private static CaseResult measure(ProbeContext ctx, String caseId, ClockPath path, String clocksource) {
        Resource.Rusage before = Resource.getrusage(Resource.RUSAGE_THREAD);
        CaseResult result = InThreadMeasurement.measure(ctx,
                new CaseResultBuilder(ID, caseId, UNIT)
                        .param("path", path == ClockPath.VDSO ? "glibc clock_gettime (vDSO)" : "syscall(SYS_clock_gettime)")
                        .param("clocksource", clocksource)
                        .timer("CLOCK_MONOTONIC (C)", NativeLoops.clockReadNs()),
                NativeLoops.of("ctxprobe_syscall_vdso_run", (w, b, o, wall, cpu) -> NativeSyscall.vdsoRun(path, w, b, o, wall, cpu)),
                1, 50_000_000);
        Resource.Rusage after = Resource.getrusage(Resource.RUSAGE_THREAD);
        long user = after.userNs() - before.userNs();
        long system = after.systemNs() - before.systemNs();
        if (user + system <= 0) {
            return result;
        }
        return result.withDerived(Derived.of(KERNEL_SHARE, 100.0 * system / (user + system), "%", "getrusage(RUSAGE_THREAD)")
                .withNote(String.format("the case's CPU time in the kernel (getrusage(RUSAGE_THREAD): %.1f ms system, "
                        + "%.1f ms user; clocksource %s)", system / 1e6, user / 1e6, clocksource)));
    }

    /** The derived figure's label: percent of the case's thread CPU time spent in the kernel. */
    static final String KERNEL_SHARE = "kernel share of CPU time";

    /** The share of CPU time in the kernel, in percent, from the case's derived figure; NaN when absent. */
    static double kernelShare(CaseResult result) {
        return result.derived(KERNEL_SHARE).map(Derived::value).orElse(Double.NaN);
    }
}
