package io.ctxprobe.report.format;

import io.ctxprobe.report.FleetFailure;
import io.ctxprobe.report.Report;
import io.ctxprobe.report.Status;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.ctxprobe.report.format.FleetFixtures.around;
import static io.ctxprobe.report.format.FleetFixtures.measured;
import static io.ctxprobe.report.format.FleetFixtures.report;
import static io.ctxprobe.report.format.FleetFixtures.summary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fleet view's rules on made-up reports: keys, groups, headline rows, outliers and what explains them. */
class FleetViewTest {

    private static final String SWITCH = "thread.switch/futex/same-core";
    private static final String SYSCALL = "syscall.null/c-loop";

    /** alpha, bravo, charlie alike; delta with PTI on and its system calls 2.5 times dearer (a same-core ladder on each). */
    static List<Report> fleet() {
        return List.of(
                report("a000000000000001", "alpha", summary(false, "6.12"), "2026-01-01T10:00:00Z",
                        measured("thread.switch", "futex/same-core", "ns/switch", around(2000)), measured("syscall.null", "c-loop", "ns/call", around(100)),
                        measured("process.switch", "futex/same-core", "ns/switch", around(5000))),
                report("a000000000000002", "bravo", summary(false, "6.12"), "2026-01-01T10:01:00Z",
                        measured("thread.switch", "futex/same-core", "ns/switch", around(2100)), measured("syscall.null", "c-loop", "ns/call", around(104)),
                        measured("process.switch", "futex/same-core", "ns/switch", around(5100))),
                report("a000000000000003", "charlie", summary(false, "6.12"), "2026-01-01T10:02:00Z",
                        measured("thread.switch", "futex/same-core", "ns/switch", around(1950)), measured("syscall.null", "c-loop", "ns/call", around(98)),
                        measured("process.switch", "futex/same-core", "ns/switch", around(4900))),
                report("a000000000000004", "delta", summary(true, "6.12"), "2026-01-01T10:03:00Z",
                        measured("thread.switch", "futex/same-core", "ns/switch", around(2300)), measured("syscall.null", "c-loop", "ns/call", around(250)),
                        measured("thread.create", "pthread", "us/create", around(30)),
                        measured("process.switch", "futex/same-core", "ns/switch", around(5600))));
    }

    @Test
    void hostsAreKeyedAndGroupedByTheFactsThatDiffer() {
        FleetView v = FleetView.of(fleet(), List.of());
        assertEquals(List.of("a000000000000001", "a000000000000002", "a000000000000003", "a000000000000004"),
                v.hosts().stream().map(FleetView.Host::key).toList());
        assertEquals(2, v.groups().size());
        assertEquals(List.of("alpha", "bravo", "charlie"), v.groups().get(0).hosts().stream().map(FleetView.Host::hostname).toList());
        assertEquals("B", v.hosts().get(3).group());
        assertEquals(List.of("mitigations"), v.differingFacts());
    }

    @Test
    void theOddHostIsMarkedAndTheFactThatSetsItApartNamed() {
        FleetView v = FleetView.of(fleet(), List.of());
        FleetView.Figure syscall = figure(v, SYSCALL);
        assertTrue(syscall.headline());
        assertEquals(102.0, syscall.fleetMedian(), 0.5, "the median of the four hosts' medians");
        List<FleetView.Cell> odd = syscall.outliers();
        assertEquals(1, odd.size());
        assertEquals("delta", odd.getFirst().host().hostname());
        assertEquals(FleetView.Mark.HIGH, odd.getFirst().mark());
        assertEquals(1, odd.getFirst().explainedBy().size());
        assertTrue(odd.getFirst().explainedBy().getFirst().startsWith("mitigations: PTI on, no PCID"), odd.getFirst().explainedBy().toString());
        assertTrue(figure(v, SWITCH).outliers().isEmpty(), "2300 against 2050 is within x1.5");
        assertTrue(figure(v, SWITCH).headline(), "a ladder rung is a headline figure");
    }

    @Test
    void anOutlierThatNoFactSetsApartIsMarkedWithoutAnExplanation() {
        List<Report> reports = List.of(
                report("b1", "h1", summary(false, "6.12"), "t", measured("syscall.null", "c-loop", "ns/call", around(100))),
                report("b2", "h2", summary(false, "6.12"), "t", measured("syscall.null", "c-loop", "ns/call", around(101))),
                report("b3", "h3", summary(false, "6.12"), "t", measured("syscall.null", "c-loop", "ns/call", around(40))));
        FleetView.Cell odd = figure(FleetView.of(reports, List.of()), SYSCALL).outliers().getFirst();
        assertEquals(FleetView.Mark.LOW, odd.mark());
        assertEquals(List.of(), odd.explainedBy());
        assertTrue(FleetReport.explanation(odd).startsWith("no fact of kernel, microarchitecture"), FleetReport.explanation(odd));
        var r = odd.result();
        var flaggedCase = new io.ctxprobe.report.CaseResult(r.probe(), r.caseId(), r.params(), r.unit(), Status.FLAGGED,
                "disturbed: lost 40%", r.stats(), null, null, null, r.samples(), null, null, null, null);
        FleetView.Cell flagged = new FleetView.Cell(odd.host(), flaggedCase, odd.median(), odd.ratio(), odd.mark(), odd.explainedBy());
        assertTrue(FleetReport.explanation(flagged).endsWith("; its case is flagged: disturbed: lost 40%"), FleetReport.explanation(flagged));
    }

    @Test
    void aHostWhoseOwnSpreadReachesTheFleetMedianIsNoOutlier() {
        List<Report> reports = List.of(
                report("c1", "h1", summary(false, "6.12"), "t", measured("syscall.null", "c-loop", "ns/call", around(100))),
                report("c2", "h2", summary(false, "6.12"), "t", measured("syscall.null", "c-loop", "ns/call", around(100))),
                report("c3", "h3", summary(true, "6.12"), "t", measured("syscall.null", "c-loop", "ns/call", 90, 95, 100, 250, 260, 270, 280, 290)));
        assertTrue(figure(FleetView.of(reports, List.of()), SYSCALL).outliers().isEmpty());
    }

    @Test
    void twoHostsHaveNoOddOne() {
        FleetView v = FleetView.of(fleet().subList(2, 4), List.of());
        assertTrue(v.figures().stream().allMatch(f -> f.outliers().isEmpty()));
    }

    @Test
    void theLatestRunOfAHostIsShownAndTheOlderOnesCounted() {
        Report old = report("d1", "same", summary(false, "6.12"), "2026-01-01T09:00:00Z", measured("syscall.null", "c-loop", "ns/call", around(300)));
        Report newer = report("d1", "same", summary(false, "6.12"), "2026-01-02T09:00:00Z", measured("syscall.null", "c-loop", "ns/call", around(100)));
        FleetView v = FleetView.of(List.of(newer, old), List.of());
        assertEquals(1, v.hosts().size());
        assertEquals(1, v.hosts().getFirst().olderRuns().size());
        assertEquals(100.0, figure(v, SYSCALL).cells().getFirst().median(), 0.5);
    }

    @Test
    void aCaseAHostDidNotRunOrSkippedHasNoValue() {
        FleetView v = FleetView.of(fleet(), List.of());
        FleetView.Figure create = figure(v, "thread.create/pthread");
        assertTrue(create.headline());
        assertNull(create.cells().getFirst().result(), "alpha did not run it");
        assertEquals(30.0, create.fleetMedian(), 0.5);
        List<Report> skipped = List.of(report("e1", "h", summary(false, "6.12"), "t",
                io.ctxprobe.report.CaseResult.skipped("syscall.null", "c-loop", java.util.Map.of(), "ns/call", "no reason")));
        FleetView.Cell cell = figure(FleetView.of(skipped, List.of()), SYSCALL).cells().getFirst();
        assertEquals(Status.SKIPPED, cell.result().status());
        assertNull(cell.median());
    }

    @Test
    void aFleetOfFailuresAloneIsAView() {
        FleetView v = FleetView.of(List.of(), List.of(FleetFailure.of("h4", "10.0.0.4", "unreachable", "refused")));
        assertEquals(0, v.hosts().size());
        assertEquals("0 hosts measured (0 host keys, 0 groups) · 1 not measured", FleetReport.countsLine(v));
        assertThrows(IllegalArgumentException.class, () -> FleetView.of(List.of(), List.of()));
        assertThrows(IllegalArgumentException.class, () -> FleetView.of(fleet(), List.of(), 0));
    }

    @Test
    void groupLabelsGoOnPastZ() {
        assertEquals("A", FleetView.groupLabel(0));
        assertEquals("Z", FleetView.groupLabel(25));
        assertEquals("AA", FleetView.groupLabel(26));
        assertEquals("AB", FleetView.groupLabel(27));
    }

    static FleetView.Figure figure(FleetView v, String key) {
        return v.figures().stream().filter(f -> f.key().equals(key)).findFirst().orElseThrow();
    }
}
