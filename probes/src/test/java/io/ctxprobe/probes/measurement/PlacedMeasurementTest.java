package io.ctxprobe.probes.measurement;

import io.ctxprobe.probe.Placement;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.probes.TestContexts;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.CaseResultBuilder;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.EnumSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PlacedMeasurement on synthetic placed runs (no native loop: each copy's batch time is set), so
 * the choice of the best copy, the spread and the cause's note are checked on known figures.
 */
class PlacedMeasurementTest {

    private static final List<String> LABELS = List.of("+0", "+16", "+32", "+48");

    /** A run whose copy i takes nsPerOp[i] per op; each copy counts {@code countPerOp} per op (less for `short`). */
    private static PlacedMeasurement.PlacedRun synthetic(double[] nsPerOp, long countPerOp, int shortCopy) {
        return (warmup, batches, ops, wall, cpu, counts) -> {
            for (int i = 0; i < nsPerOp.length; i++) {
                for (long b = 0; b < batches; b++) {
                    long ns = Math.round(nsPerOp[i] * ops * (1 + 0.001 * b));   // a little spread per batch
                    wall.setAtIndex(ValueLayout.JAVA_LONG, i * batches + b, ns);
                    if (!cpu.equals(MemorySegment.NULL)) cpu.setAtIndex(ValueLayout.JAVA_LONG, i * batches + b, ns);
                }
                counts.setAtIndex(ValueLayout.JAVA_LONG, i, countPerOp * ops * batches - (i == shortCopy ? 1 : 0));
            }
            return 0;
        };
    }

    private static CaseResult measure(double[] nsPerOp, int shortCopy) {
        ProbeContext ctx = TestContexts.quick(EnumSet.of(Placement.SAME_CORE));
        PlacedMeasurement.Loop loop = new PlacedMeasurement.Loop("synthetic", synthetic(nsPerOp, 2, shortCopy),
                LABELS, "switches", 2);
        return PlacedMeasurement.measure(ctx, new CaseResultBuilder("synthetic", "placed", "ns/switch"), loop, 2, 1_000_000);
    }

    @Test
    void theBestCopyIsTheValueAndALargeSpreadNamesTheFrontEnd() {
        CaseResult r = measure(new double[] {20, 11, 15, 10.4}, -1);   // per op = 2 switches: 10, 5.5, 7.5, 5.2 ns
        PlacedCases p = PlacedCases.assertPlaced(r, 2);
        assertEquals(LABELS, p.labels());
        assertEquals("+48", r.params().get("placement"));
        assertEquals(5.2, r.stats().median(), 0.05);
        assertEquals(10.0 / 5.2, p.spread(), 0.02);
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("front-end / branch-target placement")), r.notes().toString());
    }

    /** Medians apart, fastest batches alike: what other work on the CPU does, not the code's place. */
    @Test
    void aSpreadTheFastestBatchesDoNotShareIsCalledInterference() {
        ProbeContext ctx = TestContexts.quick(EnumSet.of(Placement.SAME_CORE));
        PlacedMeasurement.PlacedRun disturbed = (warmup, batches, ops, wall, cpu, counts) -> {
            for (int i = 0; i < LABELS.size(); i++) {
                for (long b = 0; b < batches; b++) {
                    // every copy's first batch runs at 10 ns per op; copy 1 is slowed 1.6x on the others
                    double ns = b == 0 ? 10 : i == 1 ? 16 : 10.5;
                    wall.setAtIndex(ValueLayout.JAVA_LONG, i * batches + b, Math.round(ns * ops));
                    cpu.setAtIndex(ValueLayout.JAVA_LONG, i * batches + b, Math.round(ns * ops));
                }
                counts.setAtIndex(ValueLayout.JAVA_LONG, i, 2 * ops * batches);
            }
            return 0;
        };
        CaseResult r = PlacedMeasurement.measure(ctx, new CaseResultBuilder("synthetic", "placed", "ns/switch"),
                new PlacedMeasurement.Loop("synthetic", disturbed, LABELS, "switches", 2), 2, 1_000_000);
        PlacedCases p = PlacedCases.assertPlaced(r, 2);
        assertEquals(16 / 10.5, p.spread(), 0.01);
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("interference")), r.notes().toString());
        assertTrue(r.notes().stream().noneMatch(n -> n.contains("front-end")), r.notes().toString());
    }

    @Test
    void aSmallSpreadIsReportedWithoutBlamingPlacement() {
        CaseResult r = measure(new double[] {10.4, 10.6, 10.8, 11.0}, -1);
        PlacedCases p = PlacedCases.assertPlaced(r, 2);
        assertEquals("+0", r.params().get("placement"));
        assertEquals(11.0 / 10.4, p.spread(), 0.01);
        assertTrue(r.notes().stream().noneMatch(n -> n.contains("front-end")), r.notes().toString());
    }

    @Test
    void aCopyThatDidNotRunEveryOperationFailsTheCase() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> measure(new double[] {10, 10, 10, 10}, 2));
        assertTrue(e.getMessage().contains("placement +32"), e.getMessage());
    }
}
