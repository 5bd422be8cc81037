package io.ctxprobe.probes.tlb;

import io.ctxprobe.probes.TestContexts;
import io.ctxprobe.host.Fact;
import io.ctxprobe.linux.NativeCore;
import io.ctxprobe.linux.NativeTlb;
import io.ctxprobe.probe.Placement;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.Derived;
import io.ctxprobe.report.Status;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TlbReachProbeTest {

    /** Brackets a 32- to 96-entry L1 dTLB with a few points on each side; small enough to stay fast. */
    private static final long[] PAGES = {16, 32, 48, 64, 96, 128, 192, 256, 512};

    @Test
    void theL1ReachAgreesWithAFineChaseInTheSameTest() {
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
        assertTrue(results.stream().anyMatch(r -> r.params().containsKey("refinement")), "the refinement measured points");

        assertTrue(results.stream().noneMatch(r -> r.caseId().contains("/reach/") || r.caseId().endsWith("walk-penalty")),
                "derived figures are no cases of their own");
        List<CaseResult> withL1 = results.stream().filter(r -> r.caseId().startsWith("4k/") && r.derived(TlbReachReport.L1_REACH).isPresent()).toList();
        assertEquals(1, withL1.size(), "one 4 KiB case carries the L1 reach");
        CaseResult l1 = withL1.getFirst();
        Derived reach = l1.derived(TlbReachReport.L1_REACH).orElseThrow();
        assertEquals("pages", reach.unit());
        long lower = reach.low().longValue();
        long upper = reach.high().longValue();
        assertEquals(String.valueOf(upper), l1.params().get("pages"), "set on the sparse point that confirmed the step");
        assertTrue(l1.caseId().startsWith("4k/sparse/"), l1.caseId());
        assertEquals(String.valueOf(lower), l1.params().get("l1.rise.lower"), "the evidence is kept");
        assertTrue(reach.from().contains("tlb.reach/4k/sparse/" + upper), reach.from().toString());
        assertTrue(upper - lower <= 4 && upper > lower, "located within 4 pages: " + lower + ".." + upper);

        // the project's own fine chase through the native library, every 4 pages over the L1 range, same rule
        long to = Math.max(160, 2 * upper);
        List<TlbStepLocator.Level> fine;
        try (ProbeContext.Pin _ = ctx.pinCurrentThread(ctx.cpus().first())) {
            fine = fineChase(16, to);
        }
        assertFalse(fine.isEmpty(), "the fine chase from 16 to " + to + " pages steps");
        long fineLower = fine.get(0).start().lower();
        System.out.printf("tlb.reach L1: probe %d..%d pages, fine chase %d..%d pages%n", lower, upper, fineLower,
                fine.get(0).start().upper());
        assertTrue(Math.abs(lower - fineLower) <= 8, "probe L1 reach " + lower + " vs fine chase " + fineLower + " pages");

        // CPUID is set beside the figure with a verdict, whatever it says (it is not the oracle)
        Optional<Fact> cpuid = TlbHostFacts.cpuidDataTlb(ctx.host(), 1);
        if (cpuid.isPresent() && TlbHostFacts.entries(cpuid.get()) != null) {
            int entries = TlbHostFacts.entries(cpuid.get());
            assertNotNull(reach.reference(), "the figure carries CPUID's as its reference");
            assertEquals(entries, reach.reference().value());
            String verdict = reach.reference().verdict();
            assertTrue(verdict.equals("agrees") || verdict.startsWith("disagrees by "), verdict);
            assertTrue(l1.notes().stream().anyMatch(t -> t.contains("CPUID says " + entries)), "the note sets CPUID beside it");
        }
    }

    /**
     * Sparse and packed every 4 pages from {@code from} to {@code to} through libctxprobe, three sweeps
     * combined by the minimum of each side (the locator's rule for repeats: interference only slows a
     * chase, and each sweep maps its working set afresh, at another virtual address, so a placement that
     * happens to conflict in the TLB's sets at one N is outvoted; two sweeps once left a 60..64 "step" on the Zen 4 host whose L1 is 72), then the
     * locator over that fine curve.
     */
    private static List<TlbStepLocator.Level> fineChase(long from, long to) {
        int points = (int) ((to - from) / 4 + 1);
        long[] pages = new long[points];
        double[] sparse = new double[points];
        double[] packed = new double[points];
        Arrays.fill(sparse, Double.MAX_VALUE);
        Arrays.fill(packed, Double.MAX_VALUE);
        for (int sweep = 0; sweep < 3; sweep++) {
            for (int i = 0; i < points; i++) {
                pages[i] = from + 4L * i;
                sparse[i] = Math.min(sparse[i], chaseNs(NativeTlb.Layout.SPARSE_4K, pages[i]));
                packed[i] = Math.min(packed[i], chaseNs(NativeTlb.Layout.PACKED, pages[i]));
            }
        }
        return TlbStepLocator.locateOnCurve(pages, sparse, packed, pages);
    }

    /** ns per load of the fastest of 5 batches of about 1.5 ms each (what the probe's locator is fed). */
    private static double chaseNs(NativeTlb.Layout layout, long n) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment wall = arena.allocate(ValueLayout.JAVA_LONG, 5);
            long pilot = Math.max(2 * n, 20_000);
            NativeCore.check("ctxprobe_tlb_reach_run", NativeTlb.reachRun(layout, n, 0, 1, pilot, wall, MemorySegment.NULL));
            double per = (double) wall.get(ValueLayout.JAVA_LONG, 0) / pilot;
            long ops = Math.max(2 * n, (long) (1_500_000 / Math.max(per, 0.1)));
            NativeCore.check("ctxprobe_tlb_reach_run", NativeTlb.reachRun(layout, n, 1, 5, ops, wall, MemorySegment.NULL));
            double[] ns = Arrays.stream(wall.toArray(ValueLayout.JAVA_LONG)).mapToDouble(w -> (double) w / ops).sorted().toArray();
            return ns[0];
        }
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
