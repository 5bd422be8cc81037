package io.ctxprobe.measure;

import io.ctxprobe.linux.LinuxException;
import io.ctxprobe.perf.PerfCounter;
import io.ctxprobe.perf.PerfEvent;

/**
 * The perf software counters (context switches, CPU migrations) opened on one task. Opened with
 * exclude_kernel=0: switches happen in the kernel, and a software event that excludes the kernel
 * counts 0. When the host refuses (paranoid level, seccomp), the counters are absent with the reason
 * and callers fall back to getrusage(RUSAGE_THREAD).
 */
public final class TaskCounters implements AutoCloseable {

    private final String task;
    private final PerfCounter switches;
    private final PerfCounter migrations;
    private final String absentReason;

    private TaskCounters(String task, PerfCounter switches, PerfCounter migrations, String absentReason) {
        this.task = task;
        this.switches = switches;
        this.migrations = migrations;
        this.absentReason = absentReason;
    }

    public static TaskCounters open(String task, int tid) {
        PerfCounter cs = null;
        try {
            cs = PerfCounter.open(PerfEvent.CONTEXT_SWITCHES, tid);
            PerfCounter mig = PerfCounter.open(PerfEvent.CPU_MIGRATIONS, tid);
            return new TaskCounters(task, cs, mig, null);
        } catch (LinuxException e) {
            if (cs != null) cs.close();
            return new TaskCounters(task, null, null, "perf software events unavailable: " + e.getMessage());
        }
    }

    public String task() {
        return task;
    }

    public boolean hasPerf() {
        return switches != null;
    }

    public String absentReason() {
        return absentReason;
    }

    /** fd of the switch counter, or -1: for C code that reads it at the measured edges itself. */
    public int switchesFd() {
        return switches != null ? switches.fd() : -1;
    }

    public int migrationsFd() {
        return migrations != null ? migrations.fd() : -1;
    }

    /** Deltas read elsewhere (by C at its measured edges); a negative perf delta means it could not read. */
    public SwitchCounts fromDeltas(long perfSwitches, long perfMigrations, long voluntary, long involuntary) {
        boolean perfOk = hasPerf() && perfSwitches >= 0 && perfMigrations >= 0;
        return new SwitchCounts(task, perfOk ? perfSwitches : null, perfOk ? perfMigrations : null,
                voluntary, involuntary, perfOk ? null : absentReason != null ? absentReason : "perf counter read failed");
    }

    @Override
    public void close() {
        if (switches != null) switches.close();
        if (migrations != null) migrations.close();
    }
}
