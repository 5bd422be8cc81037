package io.ctxprobe.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctxprobe.measure.Stats;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The claims read from one case's figures: each verdict rule, and absence as "not measured". */
class FigureClaimsTest {

    private static CaseResult measured(String key, Status status, String reason, Map<String, String> params, double... samples) {
        int slash = key.indexOf('/');
        return new CaseResult(key.substring(0, slash), key.substring(slash + 1), params, "ns", status, reason,
                Stats.of(samples), null, null, null, java.util.Arrays.stream(samples).boxed().toList(), null, null, null, null);
    }

    private static CostLadder.Claim claim(List<CaseResult> results, String startsWith) {
        return CostLadder.of(results).claims().stream().filter(c -> c.claim().startsWith(startsWith)).findFirst().orElseThrow();
    }

    @Test
    void nothingRunMeansNotMeasuredWithWhatItNeeds() {
        List<CostLadder.Claim> figureClaims = CostLadder.of(List.of()).claims().stream().filter(c -> c.cheaper() == null).toList();
        assertEquals(5, figureClaims.size());
        for (CostLadder.Claim c : figureClaims) {
            assertEquals(CostLadder.Verdict.NOT_MEASURED, c.verdict(), c.claim());
            assertTrue(c.evidence().startsWith("needs "), c.evidence());
            assertNull(c.figures());
        }
    }

    @Test
    void aStatedFigureIsConfirmedWithItsFigures() {
        CaseResult slice = measured(FigureClaims.SLICE_CASE, Status.OK, null, Map.of(), 2.8, 2.9, 3.0)
                .withDerived(Derived.of("time slice of a busy thread", 2.9, "ms", FigureClaims.SLICE_CASE).withNote("median 2.9 ms"));
        CostLadder.Claim c = claim(List.of(slice), "the kernel preempts");
        assertEquals(CostLadder.Verdict.CONFIRMED, c.verdict());
        assertEquals("≈ 2.9 ms here: median 2.9 ms", c.evidence());
        assertEquals(2.9, c.figures().getFirst().value());
        CaseResult noFigure = measured(FigureClaims.SLICE_CASE, Status.OK, null, Map.of(), 2.8);
        assertEquals(CostLadder.Verdict.NOT_MEASURED, claim(List.of(noFigure), "the kernel preempts").verdict());
    }

    @Test
    void aVirtualThreadThatRanBeforeTheSpinEndedContradictsTheClaim() {
        Derived held = Derived.of("wait behind a spinning virtual thread", 200, "ms", FigureClaims.STARVE_CASE);
        CaseResult ok = measured(FigureClaims.STARVE_CASE, Status.OK, null, Map.of(), 200).withDerived(held);
        CaseResult flagged = measured(FigureClaims.STARVE_CASE, Status.FLAGGED, "B ran early", Map.of(), 1).withDerived(held);
        assertEquals(CostLadder.Verdict.CONFIRMED, claim(List.of(ok), "a virtual thread").verdict());
        CostLadder.Claim c = claim(List.of(flagged), "a virtual thread");
        assertEquals(CostLadder.Verdict.CONTRADICTED, c.verdict());
        assertTrue(c.evidence().contains("B ran early"), c.evidence());
    }

    @Test
    void theTlbFlushAnswerDecidesTheVerdict() {
        Map<String, CostLadder.Verdict> expected = Map.of("yes", CostLadder.Verdict.CONFIRMED, "no", CostLadder.Verdict.CONTRADICTED,
                "partly", CostLadder.Verdict.MIXED, "no address space switch", CostLadder.Verdict.NOT_MEASURED);
        CaseResult thread = measured(FigureClaims.FLUSH_THREAD_CASE, Status.OK, null, Map.of(), 0.0);
        expected.forEach((answer, verdict) -> {
            CaseResult process = measured(FigureClaims.FLUSH_CASE, Status.OK, null, Map.of("process_switch_flushed_tlb", answer), 1.0)
                    .withDerived(Derived.of("TLB kept across process switches", 0.998, "share", FigureClaims.FLUSH_CASE)
                            .withNote("process switches flushed the TLB: " + answer));
            CostLadder.Claim c = claim(List.of(process, thread), "a process switch flushes");
            assertEquals(verdict, c.verdict(), answer);
            assertEquals("process switches flushed the TLB: " + answer, c.evidence());
            assertEquals(List.of("process switch: task-switch tlb_flush events per switch",
                    "thread switch: task-switch tlb_flush events per switch", "TLB kept across process switches"),
                    c.figures().stream().map(Derived::label).toList());
        });
    }
}
