package io.ctxprobe.probes.tlb;

import io.ctxprobe.probes.TestContexts;
import io.ctxprobe.host.Fact;
import io.ctxprobe.probe.Placement;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.Status;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TlbReachProbeTest {

    /** Brackets a 64-entry or 96-entry L1 dTLB with a few points on each side; small enough to stay fast. */
    private static final long[] PAGES = {16, 32, 48, 64, 96, 128, 192, 256, 512};

    @Test
    void theFourKCurveStepsAndTheL1ReachMatchesCpuid() {
        ProbeContext ctx = TestContexts.quick(EnumSet.of(Placement.SAME_CORE));
        List<CaseResult> results = new TlbReachProbe(PAGES).run(ctx);

        boolean twice = false;
        for (long n : PAGES) {
            CaseResult s = TestContexts.find(results, "4k/sparse/" + n);
            CaseResult p = TestContexts.find(results, "4k/packed/" + n);
            assertEquals(Status.OK, s.status(), () -> s.caseId() + ": " + s.reason());
            assertEquals(Status.OK, p.status(), () -> p.caseId() + ": " + p.reason());
            assertEquals("ns/load", s.unit());
            assertEquals(String.valueOf(n), s.params().get("pages"));
            twice |= s.stats().median() > 2 * p.stats().median();
        }
        assertTrue(twice, "sparse exceeds packed by more than 2x at some N");

        CaseResult l1 = TestContexts.find(results, "4k/reach/l1");
        assertEquals(Status.OK, l1.status(), () -> "L1 reach: " + l1.reason());
        double reach = l1.stats().median();
        assertTrue(reach >= 16 && reach <= 4096, "L1 reach " + reach + " pages");

        Optional<Fact> cpuid = TlbHostFacts.cpuidDataTlb(ctx.host(), 1);
        if (cpuid.isEmpty() || TlbHostFacts.entries(cpuid.get()) == null) {
            System.out.println("tlb.reach: CPUID reports no L1 dTLB size; the comparison with CPUID is skipped");
            return;
        }
        int entries = TlbHostFacts.entries(cpuid.get());
        assertTrue(reach >= entries / 1.5 && reach <= entries * 1.5,
                "measured L1 reach " + reach + " pages vs CPUID " + entries + " entries");
        assertTrue(l1.notes().stream().anyMatch(t -> t.contains("CPUID says " + entries)), "the note sets CPUID beside it");
    }

    @Test
    void theHugetlbCaseRunsOrSaysWhyNot() {
        List<CaseResult> results = new TlbReachProbe(new long[] {16, 32}).run(TestContexts.quick(EnumSet.of(Placement.SAME_CORE)));
        Optional<CaseResult> skipped = results.stream().filter(r -> r.caseId().equals("hugetlb")).findFirst();
        if (skipped.isPresent()) {
            assertEquals(Status.SKIPPED, skipped.get().status());
            assertTrue(skipped.get().reason().contains("nr_hugepages"), skipped.get().reason());
        } else {
            assertEquals(Status.OK, TestContexts.find(results, "hugetlb/sparse/16").status());
        }
    }

    @Test
    void theStepRuleFindsTwoStepsOnASyntheticCurve() {
        long[] n = {16, 32, 64, 96, 128, 256, 1024, 2048, 4096, 6144, 8192};
        double[] packed = {1, 1, 1, 1, 1, 1, 4, 4, 4, 4, 4.5};
        double[] sparse = {1, 1.05, 0.95, 1, 3, 3.1, 6, 6.2, 10, 40, 60};
        TlbReachCurve c = new TlbReachCurve(n, sparse, packed);
        assertEquals(96, c.l1().reachPages());
        assertEquals(4096, c.l2().reachPages(), "the partial rise at 4096 is below the midpoint");
        assertEquals((36 + 55.5) / 2, c.walkPenalty(), 1e-9);
        double[] noisy = sparse.clone();
        noisy[1] = 3;   // one noisy point on the first plateau is not the step
        assertEquals(96, new TlbReachCurve(n, noisy, packed).l1().reachPages());
    }

    @Test
    void noStepIsNotGuessed() {
        long[] n = {16, 32, 64};
        TlbReachCurve c = new TlbReachCurve(n, new double[] {1, 1.1, 1}, new double[] {1, 1, 1});
        assertNull(c.l1());
        assertNull(c.l2());
        assertTrue(Double.isNaN(c.walkPenalty()));
        TlbReachCurve one = new TlbReachCurve(n, new double[] {1, 1, 5}, new double[] {1, 1, 1});
        assertNotNull(one.l1());
        assertNull(one.l2());
    }
}
