package io.ctxprobe.probes.sched;

import io.ctxprobe.host.HostFiles;
import io.ctxprobe.host.SchedulerFacts;
import io.ctxprobe.linux.Errno;
import io.ctxprobe.linux.LinuxException;
import io.ctxprobe.linux.NativeSched;
import io.ctxprobe.measure.BatchPlan;
import io.ctxprobe.probe.Cleanup;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.probe.ProbeUnavailableException;
import io.ctxprobe.report.CaseResultBuilder;

import java.util.function.Function;

/** What the sched family's probes share: abortable native runs, samples in a unit, the scheduler facts as params. */
final class SchedCases {
    private SchedCases() {}

    /** Runs {@code run} with an abort word that Ctrl-C (the run's Cleanup) sets. */
    static <T> T abortable(ProbeContext ctx, String what, Function<NativeSched.Abort, T> run) {
        try (NativeSched.Abort abort = new NativeSched.Abort();
             Cleanup.Registration _ = ctx.cleanup().register(what, abort::set)) {
            return run.apply(abort);
        }
    }

    /** EPERM from a policy change becomes a skip naming the fix; anything else stays an error. */
    static ProbeUnavailableException unavailableIfNotPermitted(LinuxException e, String what) {
        if (e.errno() == Errno.EPERM) {
            return new ProbeUnavailableException(what + " was refused (EPERM): run as root or with CAP_SYS_NICE, or raise "
                    + "RLIMIT_RTPRIO; under cgroup v2 with RT group scheduling the cgroup also needs an RT budget");
        }
        return null;
    }

    /** One sample per event (a turn, a wake-up, a switch), already in the case's unit. */
    static void samples(CaseResultBuilder result, double[] values) {
        result.valuesInUnit(new BatchPlan(0, values.length, 1), values, null);
    }

    /** The scheduler facts beside a figure: each is a param, with the reason where the host does not say. */
    static void schedulerParams(CaseResultBuilder result) {
        SchedulerFacts.Snapshot s = SchedulerFacts.read(HostFiles.live());
        result.param("kernel", s.release());
        result.param("scheduler", s.scheduler());
        result.param("HZ", s.hz() != null ? s.hz().toString() : "unknown");
        result.param("preempt-model", s.preemptModel());
        s.facts().stream().filter(f -> f.name().equals("base_slice_ns")).findFirst().ifPresent(f ->
                result.param("base_slice_ns", f.available() ? f.value() : f.flag()));
        if (s.hz() != null) result.param("tick-ms", 1000.0 / s.hz());
    }
}
