package io.ctxprobe.probes;

import io.ctxprobe.probe.Placement;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.Status;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FiberSwitchProbeTest {

    @Test
    void handWrittenSwitchIsAtLeastTenTimesCheaperThanASameCoreThreadSwitch() throws Exception {
        ProbeContext ctx = TestContexts.quick(EnumSet.of(Placement.SAME_CORE));
        Map<String, CaseResult> fibers = byCase(new FiberSwitchProbe().run(ctx));
        CaseResult thread = new ThreadSwitchProbe().run(ctx).getFirst();
        assertEquals(Status.OK, thread.status(), () -> "thread.switch: " + thread.reason());
        CaseResult asm = fibers.get("asm");
        assertTrue(asm.status() == Status.OK || asm.status() == Status.FLAGGED, () -> "asm: " + asm.reason());
        assertTrue(asm.stats().median() * 10 <= thread.stats().median(),
                "asm " + asm.stats().median() + " ns vs thread " + thread.stats().median() + " ns per switch");
    }

    @Test
    void everyKindIsMeasuredWithoutBlocking() throws Exception {
        Map<String, CaseResult> fibers = byCase(new FiberSwitchProbe().run(TestContexts.quick(EnumSet.of(Placement.SAME_CORE))));
        assertEquals(List.of("asm", "asm-nofpu", "ucontext"), fibers.keySet().stream().sorted().toList());
        for (CaseResult r : fibers.values()) {
            assertEquals(Status.OK, r.status(), () -> r.caseId() + ": " + r.reason());
            assertEquals("ns/switch", r.unit());
            assertTrue(r.cpuStats() != null && r.cpuStats().median() > 0, r.caseId() + " has thread CPU time per batch");
            assertTrue(r.timer().share() < 0.01, r.caseId() + ": the timer must be a negligible share of a batch");
        }
    }

    private static Map<String, CaseResult> byCase(List<CaseResult> results) {
        return results.stream().collect(Collectors.toMap(CaseResult::caseId, Function.identity()));
    }
}
