package io.ctxprobe.probes;

import io.ctxprobe.report.CaseResult;

import java.util.function.Supplier;

/** Runs one case so that its error becomes a {@code failed} result instead of ending the probe. */
final class Cases {

    private Cases() {}

    static CaseResult attempt(String probe, String caseId, String unit, Supplier<CaseResult> measure) {
        try {
            return measure.get();
        } catch (RuntimeException e) {
            String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            return CaseResult.failed(probe, caseId, null, unit, message);
        }
    }
}
