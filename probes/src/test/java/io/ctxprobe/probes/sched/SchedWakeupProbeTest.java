package io.ctxprobe.probes.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctxprobe.measure.Counter;
import io.ctxprobe.probe.Placement;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.probes.TestContexts;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.Status;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Facts on any host: every case is measured or skipped with its reason (futex needs two CPUs, FIFO a
 * permission); latencies are never negative; with a hog on the sleeper's CPU, the hog's involuntary
 * switches are at least the wake-ups served there, less the few that third tasks' (< 2%) share of the CPU
 * can take, wherever no more than that went to third tasks; nothing left.
 */
class SchedWakeupProbeTest {

    private static ProbeContext ctx;
    private static Map<String, CaseResult> cases;

    @BeforeAll
    static void runOnce() {
        ctx = TestContexts.quick(EnumSet.of(Placement.SAME_CORE));
        cases = new SchedWakeupProbe().run(ctx).stream().collect(Collectors.toMap(CaseResult::caseId, Function.identity()));
    }

    @Test
    void everyCaseIsMeasuredOrSkippedWithItsReason() {
        assertEquals(8, cases.size(), cases.keySet().toString());
        for (CaseResult r : cases.values()) {
            if (r.status() == Status.SKIPPED) {
                assertTrue(r.reason().contains("EPERM") || r.reason().contains("second CPU"), r.caseId() + ": " + r.reason());
                continue;
            }
            assertTrue(r.status() == Status.OK || r.status() == Status.FLAGGED, r.caseId() + ": " + r.status() + " " + r.reason());
            assertTrue(r.samples().stream().allMatch(v -> v >= 0), r.caseId() + ": a negative latency");
            assertTrue(r.params().containsKey("p50-us") && r.params().containsKey("p99-us"), r.caseId());
        }
        assertTrue(cases.get("timer/idle").status() == Status.OK || cases.get("timer/idle").status() == Status.FLAGGED);
    }

    @Test
    void aWakeUpOnTheBusyCpuTakesItFromTheHog() {
        for (CaseResult r : cases.values()) {
            if (r.status() == Status.SKIPPED || !r.caseId().contains("/busy")) continue;
            long hog = r.counters().stream().filter(c -> c.task().equals("hog") && c.event().equals("involuntary-switches"))
                    .mapToLong(Counter::total).sum();
            double third = Double.parseDouble(r.params().get("third-task-share-pct"));
            if (third <= 100 * SchedWakeupProbe.MAX_THIRD_SHARE) {
                long served = r.samples().size();
                assertTrue(hog >= served - SchedWakeupProbe.allowedShortfall(served), r.caseId() + ": hog " + hog
                        + " < served " + served + " - " + SchedWakeupProbe.allowedShortfall(served) + " (third tasks' share)");
            }
        }
    }

    @Test
    void nothingIsLeftBehind() throws Exception {
        List<String> left = TestContexts.threadNames().stream().filter(n -> n.startsWith("ctxp-")).toList();
        assertTrue(left.isEmpty(), "threads left: " + left);
        assertEquals(0, ctx.cleanup().activeCount());
    }
}
