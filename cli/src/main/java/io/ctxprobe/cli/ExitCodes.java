package io.ctxprobe.cli;

import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.Status;

import java.util.List;

/**
 * The CLI's exit codes (README "Exit codes"): 0 every case ok, skipped or flagged (flagged is a
 * measurement state: the value is kept and the reason given; {@code --strict} makes it 1); 1 a case
 * failed, the run aborted, or a report could not be written (the run still completes what it can
 * and writes everything); 2 bad input; 3 a regression against a baseline; 130 / 143 interrupted by
 * SIGINT / SIGTERM, with a partial report (the JVM's own status after its shutdown hooks ran).
 */
final class ExitCodes {
    static final int OK = 0;
    static final int INTERNAL = 1;
    static final int USAGE = 2;
    static final int REGRESSION = 3;
    /** 128 + SIGINT, as shells report a run ended by Ctrl-C. */
    static final int INTERRUPTED = 130;
    /** 128 + SIGTERM. */
    static final int TERMINATED = 143;

    private ExitCodes() {}

    /**
     * A finished run's exit code (pure, tested as such). A failure of any kind is 1 and outranks a
     * regression (3): a run with failed cases is not a comparison CI can trust.
     *
     * @param results    every case of the run
     * @param aborted    the runner could not go on (the report says why)
     * @param allWritten every report file reached its target
     * @param strict     {@code --strict}: a flagged case counts as a failure
     * @param regression a baseline was given and a case regressed beyond the threshold with confidence
     */
    static int forRun(List<CaseResult> results, boolean aborted, boolean allWritten, boolean strict, boolean regression) {
        boolean failed = results.stream().anyMatch(r -> r.status() == Status.FAILED);
        boolean flagged = results.stream().anyMatch(r -> r.status() == Status.FLAGGED);
        if (failed || aborted || !allWritten || (strict && flagged)) return INTERNAL;
        return regression ? REGRESSION : OK;
    }
}
