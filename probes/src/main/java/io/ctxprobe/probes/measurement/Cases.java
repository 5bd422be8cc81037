package io.ctxprobe.probes.measurement;

import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.probe.ProbeRunner;
import io.ctxprobe.probe.ProbeUnavailableException;
import io.ctxprobe.report.CaseResult;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Runs one case so that its error becomes a {@code failed} result instead of ending the probe, and
 * a host that cannot run it a {@code skipped} one with the reason. Once
 * the run is stopping (Ctrl-C), a case is not started, and one cut short says so. With
 * {@code --retry-disturbed N}, a case whose interference record says "disturbed" is measured again,
 * up to N more times (see {@link #kept}).
 */
public final class Cases {

    private Cases() {}

    public static CaseResult attempt(ProbeContext ctx, String probe, String caseId, String unit, Supplier<CaseResult> measure) {
        List<CaseResult> tries = new ArrayList<>(List.of(once(ctx, probe, caseId, unit, measure)));
        int retries = ctx.options().retryDisturbed();
        while (tries.getLast().disturbed() && tries.size() <= retries && !ctx.cleanup().stopped()) {
            tries.add(once(ctx, probe, caseId, unit, measure));
        }
        return tries.size() == 1 ? tries.getFirst() : kept(tries);
    }

    /**
     * {@code --retry-disturbed}: the first undisturbed measurement, else the least disturbed one (still
     * flagged), with every attempt listed in {@code attempts} and a note saying which was kept.
     */
    static CaseResult kept(List<CaseResult> tries) {
        int keep = -1;
        for (int i = 0; i < tries.size() && keep < 0; i++) {
            if (tries.get(i).stats() != null && !tries.get(i).disturbed()) keep = i;
        }
        if (keep < 0) {
            double least = Double.MAX_VALUE;
            for (int i = 0; i < tries.size(); i++) {
                CaseResult r = tries.get(i);
                double share = r.interference() != null && r.interference().offCpuShare() != null
                        ? r.interference().offCpuShare() : Double.MAX_VALUE;
                if (r.stats() != null && (keep < 0 || share < least)) {
                    keep = i;
                    least = share;
                }
            }
        }
        if (keep < 0) keep = tries.size() - 1;
        List<CaseResult.Attempt> attempts = new ArrayList<>();
        for (int i = 0; i < tries.size(); i++) {
            CaseResult r = tries.get(i);
            attempts.add(new CaseResult.Attempt(i + 1, r.status(), r.reason(), r.stats() != null ? r.stats().median() : null,
                    r.interference() != null ? r.interference().offCpuShare() : null, i == keep));
        }
        CaseResult chosen = tries.get(keep);
        String note = String.format("--retry-disturbed: %d measurements, attempt %d kept (%s)", tries.size(), keep + 1,
                chosen.disturbed() ? "every attempt was disturbed: the least disturbed" : "the first undisturbed");
        return chosen.withNote(note).withAttempts(attempts);
    }

    private static CaseResult once(ProbeContext ctx, String probe, String caseId, String unit, Supplier<CaseResult> measure) {
        if (ctx.cleanup().stopped()) return CaseResult.failed(probe, caseId, null, unit, "interrupted: not run");
        try {
            return measure.get();
        } catch (ProbeUnavailableException e) {
            return CaseResult.skipped(probe, caseId, null, unit, e.getMessage());
        } catch (Throwable e) {   // an Error too (no native thread left): this case's failure, not the probe's end
            String message = e.getMessage() != null || e instanceof Error ? ProbeRunner.describe(e) : e.getClass().getSimpleName();
            if (ctx.cleanup().stopped()) message = "interrupted: " + message;
            return CaseResult.failed(probe, caseId, null, unit, message);
        }
    }
}
