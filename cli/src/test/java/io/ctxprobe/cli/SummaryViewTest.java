package io.ctxprobe.cli;

import io.ctxprobe.measure.Stats;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.Report;
import io.ctxprobe.report.ReportReader;
import io.ctxprobe.report.Status;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Help.Ansi;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one-screen summary on given reports: a real saved one (the committed /1 sample) and synthetic
 * worst cases (many failures, many skip reasons, unknown probes): never more than 40 lines of 120
 * columns, the ladder and claims always whole, the lists at the bottom shortened first.
 */
class SummaryViewTest {

    static final Path SAMPLE_V1 = Path.of("src/test/resources/reports/ctxprobe-report-1-sample.json");

    static void assertOneScreen(String text) {
        List<String> lines = text.lines().toList();
        assertTrue(lines.size() <= SummaryView.MAX_LINES, lines.size() + " lines:\n" + text);
        for (String l : lines) assertTrue(l.length() <= SummaryView.WIDTH, l.length() + " columns: " + l);
    }

    @Test
    void aSavedReportFitsWithItsLadderAndClaims() throws Exception {
        Report report = ReportReader.read(SAMPLE_V1);
        String text = SummaryView.render(report, "report: x.json", Ansi.OFF);
        assertOneScreen(text);
        assertTrue(text.contains("switch cost ladder") && text.contains("same-core") && text.contains("cross-core"), text);
        assertTrue(text.contains("the seed's claims"), text);
        assertEquals(4, text.lines().filter(l -> l.matches("  (confirmed|contradicted|within noise|mixed|not measured) .*")
                && !l.matches("  not measured  \\d+ more .*")).count(), "the four comparisons, one line each: " + text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("  not measured  5 more (")),
                "the claims read from figures this /1 report lacks fold into one line: " + text);
        assertTrue(text.contains("host: ") && text.contains("PTI"), "the host facts that explain the figures: " + text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("interference: ")), text);
        assertTrue(text.strip().endsWith("report: x.json"), text);
        assertFalse(text.contains("\u001b["), "no colour when not asked");
    }

    @Test
    void theWorstCaseStillFitsAndListsFailuresFirst() {
        List<CaseResult> results = new ArrayList<>();
        for (int i = 0; i < 30; i++) results.add(CaseResult.skipped("sched.p" + i, "c", null, "ns", "reason number " + i));
        for (int i = 0; i < 20; i++) {
            results.add(measured("new" + i + ".probe", "case", Status.FLAGGED, "disturbed: lost 50%"));
        }
        results.add(measured("thread.switch", "futex/same-core", Status.FLAGGED, "mixed: two modes"));
        results.add(measured("x.y", "counts", Status.FLAGGED, "a same-core round trip must switch at least twice"));
        for (int i = 0; i < 8; i++) results.add(CaseResult.failed("broken.p" + i, "c", null, "ns", "boom " + i));
        Report report = new Report(Report.SCHEMA, null, sampleHost(), results);
        String text = SummaryView.render(report, "report: x.json", Ansi.OFF);
        assertOneScreen(text);
        List<String> lines = text.lines().toList();
        int at = lines.indexOf(lines.stream().filter(l -> l.startsWith("needs attention: 8 failed")).findFirst().orElseThrow());
        assertTrue(lines.get(at + 1).startsWith("  failed  broken.p0/c: boom 0"), text);
        assertTrue(text.contains("8 failed · 22 flagged (1 by validation, 1 mixed, 20 disturbed)"), text);
        assertTrue(text.contains("skipped") && text.contains("more reasons (--details)"), "skip reasons collapse: " + text);
    }

    @Test
    void flaggedByValidationOutranksTheEnvironment() {
        CaseResult disturbed = measured("a.b", "c", Status.FLAGGED, "disturbed: lost 50%");
        CaseResult mixed = measured("a.b", "d", Status.FLAGGED, "mixed: two modes; disturbed: lost 20%");
        CaseResult validation = measured("a.b", "e", Status.FLAGGED, "disturbed: x; the kernel counted 1.5 switches");
        CaseResult rung = measured("thread.switch", "futex/same-core", Status.FLAGGED, "disturbed: lost 50%");
        assertEquals("disturbed", SummaryView.flagKind(disturbed));
        assertEquals("mixed", SummaryView.flagKind(mixed));
        assertEquals("by validation", SummaryView.flagKind(validation));
        List<CaseResult> order = new ArrayList<>(List.of(disturbed, mixed, rung, validation, CaseResult.failed("f.g", "h", null, "ns", "x")));
        order.sort(java.util.Comparator.comparingInt(SummaryView::importance));
        assertEquals(List.of("f.g/h", "a.b/e", "thread.switch/futex/same-core", "a.b/d", "a.b/c"),
                order.stream().map(CaseResult::key).toList());
    }

    @Test
    void headlinesReadDerivedFiguresAndPointsOrIntervals() {
        CaseResult thread = measured("thread.switch", "futex/same-core", Status.OK, null)
                .withDerived(io.ctxprobe.report.Derived.of("net of the mechanism", 1500, "ns/switch", "a", "b"));
        CaseResult reach = measured("tlb.reach", "4k/sparse/96", Status.OK, null)
                .withDerived(io.ctxprobe.report.Derived.interval("L1 reach", null, 64.0, 96.0, "pages", "x"));
        CaseResult newProbe = measured("sched.wakeup", "idle", Status.OK, null);
        List<String> lines = FamilyHeadlines.lines(List.of(thread, reach, newProbe), SummaryView.WIDTH);
        assertTrue(lines.contains("  switching  thread net of futex calls +1.5 µs"), lines.toString());
        assertTrue(lines.contains("  tlb        L1 reach 64-96 pages"), lines.toString());
        assertTrue(lines.contains("  sched      sched.wakeup/idle 11 ns"), "a new probe gets a line: " + lines);
    }

    @Test
    void theProgressLineSaysWhereTheRunIsAndWhenItEnds() {
        assertEquals("[0/18] running fiber.switch  0:05", Progress.line(0, 18, "running fiber.switch", 5_000_000_000L));
        assertEquals("[3/18] a b · running c  0:30  ETA 2:30", Progress.line(3, 18, "a b · running c", 30_000_000_000L));
        assertEquals("1:01:01", Progress.clock(3661_000_000_000L));
    }

    private static io.ctxprobe.host.HostFacts sampleHost() {
        try {
            return ReportReader.read(SAMPLE_V1).host();
        } catch (ReportReader.UnreadableReport e) {
            throw new AssertionError(e);
        }
    }

    static CaseResult measured(String probe, String id, Status status, String reason) {
        return new CaseResult(probe, id, null, "ns/op", status, reason, Stats.of(new double[] {10, 11, 12}), null, null, null,
                List.of(10.0, 11.0, 12.0), null, null, null, null);
    }
}
