package io.ctxprobe.probes.measurement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctxprobe.binding.Binding;
import io.ctxprobe.measure.BatchPlan;
import io.ctxprobe.measure.Interference;
import io.ctxprobe.probe.Cleanup;
import io.ctxprobe.probe.Placement;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.probe.RunOptions;
import io.ctxprobe.probes.TestContexts;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.CaseResultBuilder;
import io.ctxprobe.report.Status;

import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** --retry-disturbed: which measurement is kept, and that every attempt is listed. */
class CasesRetryTest {

    private static ProbeContext ctx(int retries) {
        Binding binding = Binding.ffm();
        return new ProbeContext(binding, TestContexts.host(), new RunOptions(binding.getAffinity(0),
                EnumSet.of(Placement.SAME_CORE), List.of(), true, 5, List.of(), retries), new Cleanup());
    }

    /** A measured case whose one thread lost {@code share} of its window to other work. */
    private static CaseResult measured(double share, long batchNs) {
        long window = 100_000_000;
        Interference i = Interference.judge(List.of(new Interference.Task("runner", 1, 0, window,
                (long) (window * (1 - share)), (long) (window * share), 0, "test")));
        return new CaseResultBuilder("test.retry", "case", "ns/op")
                .batches(new BatchPlan(0, 3, 1000), 1, new long[] {batchNs, batchNs, batchNs}, null)
                .interference(i).build();
    }

    @Test
    void withoutRetriesADisturbedCaseIsReportedOnce() {
        AtomicInteger calls = new AtomicInteger();
        CaseResult r = Cases.attempt(ctx(0), "test.retry", "case", "ns/op", () -> {
            calls.incrementAndGet();
            return measured(0.5, 2_000_000);
        });
        assertEquals(1, calls.get());
        assertEquals(Status.FLAGGED, r.status());
        assertNull(r.attempts());
    }

    @Test
    void theFirstUndisturbedMeasurementIsKeptAndEveryAttemptListed() {
        double[] shares = {0.5, 0.3, 0.01, 0.0};
        AtomicInteger calls = new AtomicInteger();
        CaseResult r = Cases.attempt(ctx(5), "test.retry", "case", "ns/op",
                () -> measured(shares[calls.getAndIncrement()], 1_000_000 + calls.get()));
        assertEquals(3, calls.get(), "stops at the first undisturbed one");
        assertEquals(Status.OK, r.status());
        assertFalse(r.disturbed());
        assertEquals(3, r.attempts().size());
        assertEquals(List.of(false, false, true), r.attempts().stream().map(CaseResult.Attempt::kept).toList());
        assertEquals(Status.FLAGGED, r.attempts().getFirst().status());
        assertTrue(r.notes().getLast().contains("attempt 3 kept"), r.notes().toString());
    }

    @Test
    void whenEveryAttemptIsDisturbedTheLeastDisturbedIsKeptAndStaysFlagged() {
        double[] shares = {0.5, 0.2, 0.4};
        AtomicInteger calls = new AtomicInteger();
        CaseResult r = Cases.attempt(ctx(2), "test.retry", "case", "ns/op", () -> measured(shares[calls.getAndIncrement()], 1_000_000));
        assertEquals(3, calls.get());
        assertEquals(Status.FLAGGED, r.status());
        assertEquals(0.2, r.interference().offCpuShare(), 1e-9);
        assertEquals(List.of(false, true, false), r.attempts().stream().map(CaseResult.Attempt::kept).toList());
    }
}
