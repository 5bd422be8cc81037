package io.ctxprobe.probes.measurement;

import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.probe.ProbeRunner;
import io.ctxprobe.probe.ProbeUnavailableException;
import io.ctxprobe.report.CaseResult;

import java.util.function.Supplier;

/**
 * Runs one case so that its error becomes a {@code failed} result instead of ending the probe, and
 * a host that cannot run it a {@code skipped} one with the reason. Once
 * the run is stopping (Ctrl-C), a case is not started, and one cut short says so.
 */
public final class Cases {

    private Cases() {}

    public static CaseResult attempt(ProbeContext ctx, String probe, String caseId, String unit, Supplier<CaseResult> measure) {
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
