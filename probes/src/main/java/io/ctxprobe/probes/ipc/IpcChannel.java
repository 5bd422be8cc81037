package io.ctxprobe.probes.ipc;

import io.ctxprobe.probes.measurement.Cases;
import io.ctxprobe.linux.NativeIpc;
import io.ctxprobe.probe.CpuPair;
import io.ctxprobe.probe.Placement;
import io.ctxprobe.probe.PlacementPlanner;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.Derived;

import java.util.ArrayList;
import java.util.List;

/**
 * The channels of ipc.latency and ipc.bandwidth: how two parties that do not share a stack exchange
 * data. {@code SHARED_MEMORY} is two threads of one process touching memory they already share; the
 * others cross a process boundary.
 */
enum IpcChannel {
    SHARED_MEMORY("shared-memory", false, NativeIpc.Channel.SHM_THREADS,
            "two threads of this process: memory they already share"),
    PIPE("pipe", true, NativeIpc.Channel.PIPE, "two processes: a pipe"),
    UNIX_SOCKET("unix-socket", true, NativeIpc.Channel.UNIX, "two processes: socketpair(AF_UNIX, SOCK_STREAM)"),
    SHM_FUTEX("shm-futex", true, NativeIpc.Channel.SHM_FUTEX, "two processes: a MAP_SHARED mapping, futex wake-ups");

    /** The placements both ipc probes measure. */
    static final List<Placement> PLACEMENTS = List.of(Placement.SAME_CORE, Placement.CROSS_CORE);

    private final String label;
    private final boolean processes;
    private final NativeIpc.Channel bandwidthCode;
    private final String what;

    IpcChannel(String label, boolean processes, NativeIpc.Channel bandwidthCode, String what) {
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

    NativeIpc.Channel bandwidthCode() {
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
     * Adds to each measured shared-memory case its ratio to each process channel of the same
     * placement measured in this run, as derived figures "shared-memory / CHANNEL" (unit x: how many
     * times the other's value this one is), and a note saying which way is better.
     */
    static List<CaseResult> compareSharedMemory(List<CaseResult> results, String unitWord) {
        List<CaseResult> out = new ArrayList<>();
        for (CaseResult r : results) {
            if (r.stats() == null || !r.caseId().startsWith(SHARED_MEMORY.label + "/")) {
                out.add(r);
                continue;
            }
            String placement = r.caseId().substring(SHARED_MEMORY.label.length() + 1);
            CaseResult with = r;
            for (CaseResult other : results) {
                if (other == r || other.stats() == null || !other.caseId().endsWith("/" + placement)) continue;
                String channel = other.caseId().substring(0, other.caseId().indexOf('/'));
                with = with.withDerived(Derived.of(SHARED_MEMORY.label + " / " + channel,
                        r.stats().median() / other.stats().median(), "x", r.key(), other.key()));
            }
            out.add(with == r ? r : with.withNote("threads communicate through data they already share: the derived figures"
                    + " compare shared-memory with the process channels measured in this run (" + unitWord
                    + "); x = shared-memory / that channel"));
        }
        return out;
    }
}
