package io.ctxprobe.probes.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * Facts of the design on any host: one carrier and a virtual thread that never yields, so the other
 * starves for (at least 80% of) the spin's bound in every rep; with Thread.yield() it does not; the
 * kernel preempts a spinning platform thread well before the bound; the child JVM is reaped.
 */
class VthreadStarveProbeTest {

    private static final double S_MS = VthreadStarveProbe.QUICK_SPIN_NS / 1e6;
    private static ProbeContext ctx;
    private static Map<String, CaseResult> cases;
    private static List<Long> childrenAfter;

    @BeforeAll
    static void runOnce() throws Exception {
        ctx = TestContexts.quick(EnumSet.of(Placement.SAME_CORE));
        cases = new VthreadStarveProbe().run(ctx).stream().collect(Collectors.toMap(CaseResult::caseId, Function.identity()));
        childrenAfter = TestContexts.childPids();
    }

    private static CaseResult measured(String id) {
        CaseResult r = cases.get(id);
        assertTrue(r != null && (r.status() == Status.OK || r.status() == Status.FLAGGED), id + ": " + r);
        assertEquals(5, r.samples().size(), id + " reps (--batches 5 in the test context)");
        return r;
    }

    @Test
    void theSpinningVirtualThreadStarvesTheOtherAndTheYieldingOneDoesNot() {
        CaseResult spin = measured("virtual/spin");
        assertTrue(spin.stats().min() >= VthreadStarveProbe.STARVED_SHARE * S_MS, "starved waits " + spin.samples());
        assertTrue(spin.derived(VthreadStarveProbe.HELD).orElseThrow().value() > 0, "the claim's figure");
        CaseResult yield = measured("virtual/spin-yield");
        assertTrue(yield.stats().median() < VthreadStarveProbe.FREE_SHARE * S_MS, "yielding waits " + yield.samples());
        CaseResult platform = measured("platform/spin");
        assertTrue(platform.stats().median() < VthreadStarveProbe.STARVED_SHARE * S_MS, "platform waits " + platform.samples());
        measured("virtual/spin-yield-external");
        assertTrue(spin.params().get("jdk").startsWith(Integer.toString(Runtime.version().feature())), spin.params().get("jdk"));
    }

    @Test
    void theChildIsReaped() {
        long pid = Long.parseLong(cases.get("virtual/spin").params().get("child-pid"));
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        assertFalse(childrenAfter.contains(pid));
        assertEquals(0, ctx.cleanup().activeCount());
    }
}
