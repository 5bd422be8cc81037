package io.ctxprobe.probes;

import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.report.CaseResult;

import java.util.List;

/** Runs one registered probe by id, the way the CLI's runner does. */
public final class ProbeRegistryRun {

    private ProbeRegistryRun() {}

    public static List<CaseResult> run(String probeId, ProbeContext ctx) throws InterruptedException {
        return ProbeRegistry.select(List.of(probeId)).getFirst().run(ctx);
    }
}
