package io.ctxprobe.probes.switching;

import io.ctxprobe.probes.TestContexts;
import io.ctxprobe.linux.CpuSet;
import io.ctxprobe.probe.Placement;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.measure.Counter;
import io.ctxprobe.report.Status;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JthreadSwitchProbeTest {

    @Test
    void sameCoreRoundTripsSwitchAtLeastTwiceOnThePinnedCpu() {
        ProbeContext ctx = TestContexts.quick(EnumSet.of(Placement.SAME_CORE));
        List<CaseResult> results = new JthreadSwitchProbe().run(ctx);
        assertEquals(1, results.size());
        CaseResult r = results.getFirst();
        assertEquals("park/same-core", r.caseId());
        // ok means: >= 2 switches per round trip, and both threads on the pinned CPU at both edges.
        assertEquals(Status.OK, r.status(), () -> "reason: " + r.reason());
        int cpu = ctx.cpus().first();
        assertEquals(cpu + "," + cpu, r.params().get("cpus"));

        List<Counter> procfs = r.counters().stream().filter(c -> c.source().equals(ProcTaskStatus.SOURCE)).toList();
        assertEquals(List.of("ping", "pong"), procfs.stream().map(Counter::task).distinct().toList());
        double perRoundTrip = procfs.stream().mapToDouble(Counter::perOp).sum();
        assertTrue(perRoundTrip >= 2, "switches per round trip: " + perRoundTrip);
        assertEquals(5, r.samples().size());
        assertTrue(r.samples().stream().allMatch(v -> v > 0));
    }

    @Test
    void crossCoreIsSkippedWithAReasonOnOneCpu() {
        ProbeContext all = TestContexts.quick(EnumSet.of(Placement.CROSS_CORE));
        ProbeContext ctx = TestContexts.quick(CpuSet.of(all.cpus().first()), EnumSet.of(Placement.CROSS_CORE));
        CaseResult r = new JthreadSwitchProbe().run(ctx).getFirst();
        assertEquals("park/cross-core", r.caseId());
        assertEquals(Status.SKIPPED, r.status());
        assertTrue(r.reason().contains("needs 2 CPUs"), r.reason());
    }

    @Test
    void noThreadTheProbeCreatedOutlivesIt() throws Exception {
        new JthreadSwitchProbe().run(TestContexts.quick(EnumSet.allOf(Placement.class)));
        List<String> left = TestContexts.threadNames().stream().filter(n -> n.startsWith("ctxp-")).toList();
        assertTrue(left.isEmpty(), "threads left behind: " + left);
    }
}
