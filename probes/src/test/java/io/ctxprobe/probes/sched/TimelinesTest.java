package io.ctxprobe.probes.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Turns by interleaving, on hand-made timelines: gaps without the other side are not turns. */
class TimelinesTest {

    @Test
    void alternatingSidesMakeTurnsAndTheEdgesAreDropped() {
        // A 0-10, B 11-20, A 21-30, B 31-40, A 41-50 (ms-ish units in ns)
        long[] a = {0, 10, 21, 30, 41, 50};
        long[] b = {11, 20, 31, 40};
        Timelines.Interleaving il = Timelines.interleave(a, b);
        // window [11, 40]: B 11-20 starts it (cut: dropped), then A 21-30, then B 31-40 (last: dropped)
        assertEquals(List.of(new Timelines.Turn(0, 21, 30)), il.turns());
        assertEquals(2, il.changes());
        assertEquals(0, il.foreignGaps());
    }

    @Test
    void aGapWithoutTheOtherSideIsForeignNotATurn() {
        // A runs 0-100 with an interrupt gap at 40-45 and a long third-task gap 60-160; B's turns around it.
        long[] a = {0, 40, 45, 60, 160, 200, 400, 500};
        long[] b = {-10, -5, 201, 399, 501, 600};
        Timelines.Interleaving il = Timelines.interleave(a, b);
        // window [0, 500]; A 0..200 is one turn (with two foreign gaps), B 201-399, A 400-500 last
        // B's -10..-5 lies before the window; A 0..200 is the first turn seen (cut by the window: dropped)
        assertEquals(List.of(new Timelines.Turn(1, 201, 399)), il.turns());
        assertEquals(2, il.changes());
        assertEquals(2, il.foreignGaps());
        assertEquals(5 + 100, il.foreignNs());
        assertEquals(0, il.sharedGaps(), "ns-scale gaps here: far below 50 us");
    }

    @Test
    void longForeignGapsMarkTheCpuShared() {
        long us = 1000;
        long[] a = {0, 1000 * us, 1100 * us, 2000 * us, 4000 * us, 5000 * us};
        long[] b = {-100 * us, -1 * us, 2001 * us, 3999 * us, 5001 * us, 6000 * us};
        Timelines.Interleaving il = Timelines.interleave(a, b);
        assertEquals(1, il.sharedGaps());
        assertTrue(il.cpuShared(), "one long foreign gap for two changes");
        assertEquals(List.of(new Timelines.Turn(1, 2001 * us, 3999 * us)), il.turnsOf(1));
    }

    @Test
    void oneSideAloneHasNoTurns() {
        Timelines.Interleaving il = Timelines.interleave(new long[] {0, 10, 20, 30}, new long[] {40, 50});
        assertTrue(il.turns().isEmpty());
        assertFalse(il.cpuShared());
        assertTrue(Timelines.interleave(new long[0], new long[] {1, 2}).turns().isEmpty());
    }

    @Test
    void percentilesAreNearestRank() {
        double[] v = {5, 1, 4, 2, 3};
        assertEquals(3, Percentiles.of(v, 50));
        assertEquals(5, Percentiles.of(v, 99));
        assertEquals(1, Percentiles.of(v, 0));
        assertTrue(Double.isNaN(Percentiles.of(new double[0], 50)));
    }
}
