package io.ctxprobe.cli;

import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.Status;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The exit code of a finished run, as a pure function of its cases and what went wrong. */
class ExitCodesTest {

    private static CaseResult c(Status s) {
        return new CaseResult("p", "c-" + s.label(), null, "ns", s, s == Status.OK ? null : "why", null, null, null, null,
                null, null, null, null, null);
    }

    private static final CaseResult OK = c(Status.OK);
    private static final CaseResult FLAGGED = c(Status.FLAGGED);
    private static final CaseResult SKIPPED = c(Status.SKIPPED);
    private static final CaseResult FAILED = c(Status.FAILED);

    @Test
    void okSkippedAndFlaggedAreSuccess() {
        assertEquals(0, ExitCodes.forRun(List.of(OK, SKIPPED, FLAGGED), false, true, false, false));
        assertEquals(0, ExitCodes.forRun(List.of(SKIPPED), false, true, false, false));
        assertEquals(0, ExitCodes.forRun(List.of(), false, true, false, false));
    }

    @Test
    void strictMakesAFlaggedCaseAFailure() {
        assertEquals(1, ExitCodes.forRun(List.of(OK, FLAGGED), false, true, true, false));
        assertEquals(0, ExitCodes.forRun(List.of(OK, SKIPPED), false, true, true, false));
    }

    @Test
    void anyFailureIsOneAndOutranksARegression() {
        assertEquals(1, ExitCodes.forRun(List.of(FAILED, FAILED), false, true, false, false), "every case failed");
        assertEquals(1, ExitCodes.forRun(List.of(OK, FAILED), false, true, false, false), "one case failed");
        assertEquals(1, ExitCodes.forRun(List.of(OK), true, true, false, false), "the run aborted");
        assertEquals(1, ExitCodes.forRun(List.of(OK), false, false, false, false), "a report could not be written");
        assertEquals(1, ExitCodes.forRun(List.of(FAILED), false, true, false, true), "failed beats regression");
    }

    @Test
    void aRegressionIsThree() {
        assertEquals(3, ExitCodes.forRun(List.of(OK, FLAGGED), false, true, false, true));
        assertEquals(1, ExitCodes.forRun(List.of(OK, FLAGGED), false, true, true, true), "--strict: the flag first");
    }
}
