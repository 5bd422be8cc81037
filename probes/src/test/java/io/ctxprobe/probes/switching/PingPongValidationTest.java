package io.ctxprobe.probes.switching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctxprobe.linux.NativePingPong;
import io.ctxprobe.probe.CpuPair;
import io.ctxprobe.probe.Placement;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.probes.TestContexts;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.CaseResultBuilder;
import io.ctxprobe.report.Status;

import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every flag of the ping-pong validation fired on synthetic counts, and one real case that never switches by itself. */
class PingPongValidationTest {

    private static final int[][] ON_0_0 = {{0, 0}, {0, 0}};
    private static final int[][] ON_0_1 = {{0, 0}, {1, 1}};

    /** 1000 round trips; voluntary/involuntary summed over both sides. */
    private static PingPongValidation.Counts counts(Mechanism m, int ping, int pong, long voluntary, long involuntary,
                                                    Long perfSwitches, Long migrations, int[][]... ranOn) {
        return new PingPongValidation.Counts(m, ping, pong, 1000, voluntary, involuntary, perfSwitches, 500, migrations,
                List.of(ranOn), List.of("ping", "pong"));
    }

    private static List<String> flags(PingPongValidation.Counts c) {
        return PingPongValidation.validate(c).flags();
    }

    @Test
    void aCleanSameCoreAndCrossCoreRoundTripPass() {
        assertEquals(List.of(), flags(counts(Mechanism.FUTEX, 0, 0, 1100, 900, 1000L, 0L, ON_0_0, ON_0_0)));
        assertEquals(List.of(), flags(counts(Mechanism.FUTEX, 0, 1, 700, 0, 800L, 0L, ON_0_1, ON_0_1)));
        assertEquals(List.of(), flags(counts(Mechanism.SPIN, 0, 1, 0, 3, null, null, ON_0_1)));
        assertEquals(List.of(), flags(counts(Mechanism.YIELD, 0, 0, 0, 2000, 1000L, 0L, ON_0_0, ON_0_0)));
        String note = PingPongValidation.validate(counts(Mechanism.FUTEX, 0, 0, 1100, 900, 1000L, 0L, ON_0_0)).note();
        assertTrue(note.startsWith("2.00 context switches per round trip"), note);
        assertTrue(note.contains("2.00 in the counted round (perf)"), note);
    }

    @Test
    void aSpinnerThatBlockedIsFlagged() {
        List<String> f = flags(counts(Mechanism.SPIN, 0, 1, 50, 0, null, null, ON_0_1));
        assertEquals(1, f.size(), f.toString());
        assertTrue(f.getFirst().startsWith("a spinning handoff must not block"), f.toString());
    }

    @Test
    void aSpinnerOnOneCpuIsNotSwitching() {
        List<String> f = flags(counts(Mechanism.SPIN, 0, 0, 0, 2000, null, null, ON_0_0));
        assertEquals(1, f.size(), f.toString());
        assertTrue(f.getFirst().startsWith("not switching: a spinning handoff never gives up the CPU"), f.toString());
    }

    @Test
    void tooFewSwitchesOnOneCpuAreFlaggedByEachCounter() {
        List<String> rusage = flags(counts(Mechanism.FUTEX, 0, 0, 1000, 500, null, null, ON_0_0));
        assertEquals(1, rusage.size(), rusage.toString());
        assertTrue(rusage.getFirst().contains("getrusage counted 1.50"), rusage.toString());
        List<String> perf = flags(counts(Mechanism.FUTEX, 0, 0, 1000, 1000, 600L, 0L, ON_0_0, ON_0_0));
        assertEquals(1, perf.size(), perf.toString());
        assertTrue(perf.getFirst().contains("perf counted 1.20"), perf.toString());
    }

    @Test
    void aBlockingRoundTripOnOneCpuThatNeverSleptIsFlagged() {
        List<String> f = flags(counts(Mechanism.PIPE, 0, 0, 200, 1800, null, null, ON_0_0));
        assertEquals(1, f.size(), f.toString());
        assertTrue(f.getFirst().startsWith("not sleeping"), f.toString());
    }

    @Test
    void tooManySleepsAcrossCpusAreFlagged() {
        List<String> f = flags(counts(Mechanism.EVENTFD, 0, 1, 2600, 0, null, null, ON_0_1));
        assertEquals(1, f.size(), f.toString());
        assertTrue(f.getFirst().contains("more than 1 per wait"), f.toString());
        assertEquals(List.of(), flags(counts(Mechanism.UNIX, 0, 1, 2600, 0, null, null, ON_0_1)), "a socket wait may sleep twice");
    }

    @Test
    void aSideOffItsCpuOrAMigrationIsFlagged() {
        int[][] pongMoved = {{0, 0}, {0, 1}};
        List<String> f = flags(counts(Mechanism.FUTEX, 0, 0, 1100, 900, 1000L, 0L, ON_0_0, pongMoved));
        assertEquals(1, f.size(), f.toString());
        assertEquals("pong was pinned to CPU 0 but ran on CPU 0/1 (start/end)", f.getFirst());
        List<String> m = flags(counts(Mechanism.FUTEX, 0, 0, 1100, 900, 1000L, 3L, ON_0_0, ON_0_0));
        assertEquals(List.of("3 CPU migrations while pinned (counted round)"), m);
    }

    @Test
    void aRealSpinningHandoffOnOneCpuIsFlaggedAsNotSwitching() {
        ProbeContext ctx = TestContexts.quick(EnumSet.of(Placement.SAME_CORE));
        int cpu = ctx.cpus().first();
        CaseResult r = PingPongCase.measure(ctx, new CaseResultBuilder("test.pingpong", "spin/same-core", "ns/switch"),
                new PingPongRound.Spec(Mechanism.SPIN, NativePingPong.Mode.THREADS, new CpuPair(cpu, cpu, "both on CPU " + cpu)),
                true);
        assertEquals(Status.FLAGGED, r.status());
        assertTrue(r.reason().contains("not switching: a spinning handoff never gives up the CPU"), r.reason());
    }
}
