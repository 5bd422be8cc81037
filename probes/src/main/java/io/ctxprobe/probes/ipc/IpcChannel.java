package io.ctxprobe.probes.ipc;

import io.ctxprobe.probes.measurement.Cases;
import io.ctxprobe.linux.CtxprobeLib;
import io.ctxprobe.probe.CpuPair;
import io.ctxprobe.probe.Placement;
import io.ctxprobe.probe.PlacementPlanner;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.report.CaseResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The channels of ipc.latency and ipc.bandwidth: how two parties that do not share a stack exchange
 * data. {@code SHARED_MEMORY} is two threads of one process touching memory they already share; the
 * others cross a process boundary.
 */
enum IpcChannel {
    SHARED_MEMORY("shared-memory", false, CtxprobeLib.IPC_SHM_THREADS,
            "two threads of this process: memory they already share"),
    PIPE("pipe", true, CtxprobeLib.IPC_PIPE, "two processes: a pipe"),
    UNIX_SOCKET("unix-socket", true, CtxprobeLib.IPC_UNIX, "two processes: socketpair(AF_UNIX, SOCK_STREAM)"),
    SHM_FUTEX("shm-futex", true, CtxprobeLib.IPC_SHM_FUTEX, "two processes: a MAP_SHARED mapping, futex wake-ups");

    /** The placements both ipc probes measure. */
    static final List<Placement> PLACEMENTS = List.of(Placement.SAME_CORE, Placement.CROSS_CORE);

    private final String label;
    private final boolean processes;
    private final int bandwidthCode;
    private final String what;

    IpcChannel(String label, boolean processes, int bandwidthCode, String what) {
        this.label = label;
        this.processes = processes;
        this.bandwidthCode = bandwidthCode;
        this.what = what;
    }

    String label() {
        return label;
    }

    boolean processes() {
        return processes;
    }

    int bandwidthCode() {
        return bandwidthCode;
    }

    String what() {
        return what;
    }

    /** Measures one channel on one placement's CPU pair. */
    @FunctionalInterface
    interface CaseMeasure {
        CaseResult measure(IpcChannel channel, Placement placement, CpuPair pair, String caseId);
    }

    /**
     * One case per channel and placement the run asks for ({@code <channel>/<placement>}), skipped with
     * the planner's reason where the host cannot place the pair; shared by ipc.latency and ipc.bandwidth.
     */
    static List<CaseResult> cases(ProbeContext ctx, String probeId, String unit, CaseMeasure measure) {
        PlacementPlanner planner = ctx.planner();
        List<CaseResult> results = new ArrayList<>();
        for (IpcChannel channel : values()) {
            for (Placement placement : PLACEMENTS) {
                if (!ctx.options().placements().contains(placement)) continue;
                String caseId = channel.label() + "/" + placement.label();
                PlacementPlanner.Plan plan = planner.plan(placement);
                if (plan.pair() == null) {
                    results.add(CaseResult.skipped(probeId, caseId, null, unit, plan.skipReason()));
                    continue;
                }
                results.add(Cases.attempt(ctx, probeId, caseId, unit,
                        () -> measure.measure(channel, placement, plan.pair(), caseId)));
            }
        }
        return results;
    }

    /**
     * Adds to each measured shared-memory case a note comparing it with the process channels of the
     * same placement measured in this run ("x" = how many times the other's value this one is).
     */
    static List<CaseResult> compareSharedMemory(List<CaseResult> results, String unitWord) {
        List<CaseResult> out = new ArrayList<>();
        for (CaseResult r : results) {
            if (r.stats() == null || !r.caseId().startsWith(SHARED_MEMORY.label + "/")) {
                out.add(r);
                continue;
            }
            String placement = r.caseId().substring(SHARED_MEMORY.label.length() + 1);
            List<String> parts = new ArrayList<>();
            for (CaseResult other : results) {
                if (other == r || other.stats() == null || !other.caseId().endsWith("/" + placement)) continue;
                parts.add(String.format(Locale.ROOT, "%s %.4g %s (%.2gx)", other.caseId().substring(0, other.caseId().indexOf('/')),
                        other.stats().median(), r.unit(), r.stats().median() / other.stats().median()));
            }
            if (parts.isEmpty()) {
                out.add(r);
                continue;
            }
            out.add(r.withNote("threads communicate through data they already share: shared-memory " + String.format(Locale.ROOT,
                    "%.4g %s (%s) against the process channels measured in this run: ", r.stats().median(), r.unit(), unitWord)
                    + String.join(", ", parts) + "; x = shared-memory / that channel"));
        }
        return out;
    }
}
