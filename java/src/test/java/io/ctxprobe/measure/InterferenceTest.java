package io.ctxprobe.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The disturbed rule on synthetic figures: one thread per CPU, threads sharing a CPU, no schedstat. */
class InterferenceTest {

    private static Interference.Task task(String name, int cpu, long window, Long run, Long delay) {
        return new Interference.Task(name, 100, cpu, window, run, delay, 3, "test");
    }

    @Test
    void aLoneThreadIsJudgedByItsRunDelay() {
        Interference quiet = Interference.judge(List.of(task("runner", 0, 100_000_000, 99_000_000L, 1_000_000L)));
        assertFalse(quiet.disturbed());
        assertEquals(0.01, quiet.offCpuShare(), 1e-12);
        assertEquals(Interference.ALONE_RULE, quiet.rule());
        Interference busy = Interference.judge(List.of(task("runner", 0, 100_000_000, 60_000_000L, 40_000_000L)));
        assertTrue(busy.disturbed());
        assertEquals(0, busy.cpu());
        assertTrue(busy.describe().contains("40.0%"), busy.describe());
    }

    @Test
    void twoThreadsHandingOneCpuOverAreJudgedByWhatNeitherRan() {
        // Each waits a quarter of the window for the other: their own turns, not interference.
        Interference handoff = Interference.judge(List.of(task("ping", 2, 100_000_000, 49_000_000L, 26_000_000L),
                task("pong", 2, 100_500_000, 50_000_000L, 27_000_000L)));
        assertFalse(handoff.disturbed(), handoff.describe());
        assertEquals(Interference.SHARED_RULE, handoff.rule());
        Interference hogged = Interference.judge(List.of(task("ping", 2, 100_000_000, 25_000_000L, 40_000_000L),
                task("pong", 2, 100_000_000, 25_000_000L, 41_000_000L)));
        assertTrue(hogged.disturbed());
        assertEquals(0.5, hogged.offCpuShare(), 1e-12);
    }

    @Test
    void acrossCpusTheWorstCpuDecides() {
        Interference r = Interference.judge(List.of(task("ping", 0, 100_000_000, 30_000_000L, 500_000L),
                task("pong", 1, 100_000_000, 30_000_000L, 20_000_000L)));
        assertTrue(r.disturbed());
        assertEquals(1, r.cpu());
        assertEquals(0.2, r.offCpuShare(), 1e-12);
    }

    @Test
    void withoutSchedstatNothingIsJudgedAndTheReasonSaysWhy() {
        Interference r = Interference.judge(List.of(task("runner", 0, 100_000_000, null, null)));
        assertFalse(r.disturbed());
        assertNull(r.offCpuShare());
        assertEquals(SchedStat.ABSENT, r.undecided());
        Interference recorded = Interference.recorded(List.of(task("runner", 0, 1000, 10L, 900L)), "shares its CPU");
        assertFalse(recorded.disturbed());
        assertEquals("shares its CPU", recorded.undecided());
    }

    @Test
    void anExtendedCaseSumsItsWindows() {
        Interference a = Interference.judge(List.of(task("runner", 0, 100, 95L, 5L)));
        Interference b = Interference.judge(List.of(task("runner", 0, 100, 55L, 45L)));
        Interference both = a.plus(b);
        assertEquals(200, both.windowNs());
        assertEquals(0.25, both.offCpuShare(), 1e-12);
        assertTrue(both.disturbed());
    }
}
