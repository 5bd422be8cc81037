package io.ctxprobe.probes;

import io.ctxprobe.linux.CpuSet;
import io.ctxprobe.probe.Placement;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.Counter;
import io.ctxprobe.report.Status;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThreadSwitchProbeTest {

    @Test
    void sameCoreRoundTripsSwitchAtLeastTwiceAndRunOnThePinnedCpu() throws Exception {
        ProbeContext ctx = TestContexts.quick(EnumSet.of(Placement.SAME_CORE));
        List<CaseResult> results = new ThreadSwitchProbe().run(ctx);
        assertEquals(1, results.size());
        CaseResult r = results.getFirst();
        assertEquals("futex/same-core", r.caseId());
        assertEquals(Status.OK, r.status(), () -> "reason: " + r.reason());
        int cpu = ctx.cpus().first();
        assertEquals(cpu + "," + cpu, r.params().get("cpus"));

        // Per round trip, summed over both threads, from the best source each had.
        double switchesPerRoundTrip = 0;
        for (String task : List.of("ping", "pong")) {
            List<Counter> mine = r.counters().stream().filter(c -> c.task().equals(task)).toList();
            assertFalse(mine.isEmpty(), "counters for " + task);
            Counter perf = mine.stream().filter(c -> c.event().equals("context-switches")).findFirst().orElse(null);
            switchesPerRoundTrip += perf != null ? perf.perOp()
                    : mine.stream().filter(c -> c.event().endsWith("voluntary-switches")).mapToDouble(Counter::perOp).sum();
        }
        assertTrue(switchesPerRoundTrip >= 2, "switches per round trip: " + switchesPerRoundTrip);
        assertNotNull(r.stats());
        assertEquals(5, r.samples().size());
        assertTrue(r.samples().stream().allMatch(v -> v > 0));
    }

    @Test
    void crossCoreIsSkippedWithAReasonOnOneCpu() throws Exception {
        ProbeContext ctx = TestContexts.quick(CpuSet.of(TestContexts.quick(EnumSet.of(Placement.CROSS_CORE)).cpus().first()),
                EnumSet.of(Placement.CROSS_CORE));
        CaseResult r = new ThreadSwitchProbe().run(ctx).getFirst();
        assertEquals(Status.SKIPPED, r.status());
        assertTrue(r.reason().contains("needs 2 CPUs"), r.reason());
    }

    @Test
    void noThreadTheProbeCreatedOutlivesIt() throws Exception {
        new ThreadSwitchProbe().run(TestContexts.quick(EnumSet.allOf(Placement.class)));
        List<String> left = TestContexts.threadNames().stream().filter(n -> n.startsWith("ctxp-")).toList();
        assertTrue(left.isEmpty(), "threads left behind: " + left);
    }
}
