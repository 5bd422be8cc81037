package io.ctxprobe.probes.switching;

import io.ctxprobe.probes.measurement.Cases;
import io.ctxprobe.probe.CpuPair;
import io.ctxprobe.probe.Placement;
import io.ctxprobe.probe.Probe;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.CaseResultBuilder;

import java.util.ArrayList;
import java.util.List;

/**
 * cache.c2c — core-to-core latency: two threads pinned to two CPUs pass a cache line back and forth
 * by spinning on it (no system call, no switch). One cell per pair of the usable CPUs: the matrix of
 * the hardware floor that every cross-core handoff sits on. Unit: ns one way (half a round trip).
 * The kernel's counts must show no switch: a spinning handoff that switched is flagged.
 */
public final class CacheC2cProbe implements Probe {

    public static final String ID = "cache.c2c";
    private static final String UNIT = "ns/one-way";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "core-to-core cache-line ping-pong latency, every pair of CPUs (spinning, no kernel)";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(new ParamSpec("--cpus", "the CPUs of the matrix (default: all allowed)"),
                new ParamSpec("--batches", "measured batches per cell (at most 5)"));
    }

    @Override
    public String unavailableReason(ProbeContext ctx) {
        return ctx.cpus().size() < 2 ? "needs 2 CPUs; this run may use only CPU " + ctx.cpus() : null;
    }

    @Override
    public List<CaseResult> run(ProbeContext ctx) {
        List<CaseResult> results = new ArrayList<>();
        for (CpuPair pair : ctx.planner().allPairs()) {
            if (pair.first() == pair.second()) continue;   // spinning on one CPU waits out time slices
            String caseId = "pair-" + pair.first() + "-" + pair.second();
            results.add(Cases.attempt(ctx, ID, caseId, UNIT, () -> PingPongCase.measure(ctx,
                    new CaseResultBuilder(ID, caseId, UNIT).param("placement", Placement.ALL_PAIRS.label())
                            .param("matrix", "c2c").param("cpuA", pair.first()).param("cpuB", pair.second())
                            .note(pair.why()),
                    new PingPongRound.Spec(Mechanism.SPIN, 0, pair), true)));
        }
        return results;
    }
}
