package io.ctxprobe.report.compare;

import io.ctxprobe.host.CpuTopology;
import io.ctxprobe.host.HostFacts;
import io.ctxprobe.host.Summary;
import io.ctxprobe.measure.Stats;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.Report;
import io.ctxprobe.report.RunInfo;
import io.ctxprobe.report.Status;
import io.ctxprobe.report.compare.Comparison.Outcome;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rules of a comparison on made-up cases: direction by unit, what is not compared and why. */
class ComparisonTest {

    private static final double[] TIGHT = {100, 100.2, 99.8, 100.1, 99.9, 100, 100.3, 99.7};

    @Test
    void aRateThatDropsIsARegressionAndATimeThatDropsIsAnImprovement() {
        Report base = report(measured("ipc.bandwidth", "pipe", "MB/s", TIGHT), measured("x.switch", "a", "ns/switch", TIGHT));
        Report next = report(measured("ipc.bandwidth", "pipe", "MB/s", times(TIGHT, 0.5)),
                measured("x.switch", "a", "ns/switch", times(TIGHT, 0.5)));
        Comparison c = Comparison.of(base, next, 0.10);
        assertEquals(Outcome.REGRESSION, row(c, "ipc.bandwidth/pipe").outcome(), "half the MB/s is worse");
        assertEquals(2.0, row(c, "ipc.bandwidth/pipe").estimate().ratio(), 1e-9);
        assertEquals(Outcome.IMPROVED, row(c, "x.switch/a").outcome(), "half the ns is better");
    }

    @Test
    void derivedSkippedShortAndOneSidedCasesAreListedNotCompared() {
        CaseResult derived = new CaseResult("tlb.reach", "4k/reach/l1", Map.of("derived", "from the measured curve"), "pages",
                Status.OK, null, Stats.of(new double[] {64}), null, null, null, List.of(64.0, 64.0, 64.0), null, null, null, null);
        Report base = report(derived, measured("p", "short", "ns", new double[] {1, 2}),
                CaseResult.skipped("p", "skipped", Map.of(), "ns", "no PMU"), measured("p", "gone", "ns", TIGHT));
        Report next = report(derived, measured("p", "short", "ns", new double[] {1, 2}),
                measured("p", "skipped", "ns", TIGHT), measured("p", "new", "ns", TIGHT));
        Comparison c = Comparison.of(base, next, 0.10);
        assertEquals(List.of(), c.rows());
        Map<String, String> why = new java.util.LinkedHashMap<>();
        c.notCompared().forEach(s -> why.put(s.key(), s.why()));
        assertTrue(why.get("tlb.reach/4k/reach/l1").startsWith("a derived figure"), why.toString());
        assertTrue(why.get("p/short").contains("needs 3"), why.toString());
        assertEquals("skipped in BASE", why.get("p/skipped"));
        assertEquals("only in BASE", why.get("p/gone"));
        assertEquals("only in NEW", why.get("p/new"));
    }

    @Test
    void hostDifferencesNameTheFactsThatDiffer() {
        Report a = report(measured("p", "c", "ns", TIGHT));
        HostFacts other = new HostFacts("other", "beta", a.host().topology(), List.of(), new Summary("CPU B", null, 4, true,
                "KVM", false, null, true, false, "PTI on, no PCID", "6.12", null));
        Report b = new Report(Report.SCHEMA, a.run(), other, a.results());
        Comparison c = Comparison.of(a, b, 0.10);
        assertTrue(c.hostDifferences().stream().anyMatch(d -> d.what().equals("host key")));
        assertTrue(c.hostDifferences().stream().anyMatch(d -> d.what().equals("summary") && d.next().contains("CPU B")));
        assertEquals(false, c.sameHost());
    }

    private static Comparison.Row row(Comparison c, String key) {
        return c.rows().stream().filter(r -> r.key().equals(key)).findFirst().orElseThrow();
    }

    private static double[] times(double[] v, double f) {
        return Arrays.stream(v).map(x -> x * f).toArray();
    }

    private static CaseResult measured(String probe, String id, String unit, double[] samples) {
        return new CaseResult(probe, id, Map.of(), unit, Status.OK, null, Stats.of(samples), null, null, null,
                Arrays.stream(samples).boxed().toList(), null, null, null, null);
    }

    private static Report report(CaseResult... cases) {
        HostFacts host = new HostFacts("key", "alpha", new CpuTopology(List.of(), 1, 1, 1, false), List.of(),
                new Summary("CPU A", null, 1, false, null, false, null, false, true, "PTI off", "6.1", null));
        RunInfo run = new RunInfo("test", null, "2026-01-01T00:00:00Z", List.of("ctxprobe"), new RunInfo.Jvm("j", "v", "25", List.of()),
                "ffm", true, false);
        return Report.of(run, host, List.of(cases));
    }
}
