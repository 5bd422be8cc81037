package io.ctxprobe.probes.switching;

import io.ctxprobe.linux.NativeFiber;
import io.ctxprobe.probes.TestContexts;
import io.ctxprobe.probes.measurement.PlacedCases;
import io.ctxprobe.probe.Placement;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.Status;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
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
        CaseResult thread = TestContexts.find(new ThreadSwitchProbe().run(
                TestContexts.quick(EnumSet.of(Placement.SAME_CORE), List.of("futex"))), "futex/same-core");
        TestContexts.assertValid(thread);
        CaseResult asm = fibers.get("asm");
        assertTrue(asm.status() == Status.OK || asm.status() == Status.FLAGGED, () -> "asm: " + asm.reason());
        assertTrue(asm.stats().median() * 10 <= thread.stats().median(),
                "asm " + asm.stats().median() + " ns vs thread " + thread.stats().median() + " ns per switch");
    }

    @Test
    void everyKindIsMeasuredWithoutBlocking() throws Exception {
        Map<String, CaseResult> fibers = byCase(new FiberSwitchProbe().run(TestContexts.quick(EnumSet.of(Placement.SAME_CORE))));
        assertEquals(List.of("asm", "asm-nofpu", "migrate", "ucontext"), fibers.keySet().stream().sorted().toList());
        for (String kind : List.of("asm", "asm-nofpu", "ucontext")) {
            CaseResult r = fibers.get(kind);
            TestContexts.assertValid(r);
            assertEquals("ns/switch", r.unit());
            assertTrue(r.cpuStats() != null && r.cpuStats().median() > 0, r.caseId() + " has thread CPU time per batch");
            assertTrue(r.timer().share() < 0.01, r.caseId() + ": the timer must be a negligible share of a batch");
        }
    }

    /**
     * The hand-written kinds are timed from every placed copy of the loop: the case names them all
     * (each where its loop top really landed), each copy's fiber counted exactly the switches its
     * batches imply, the value and raw samples are the best copy's, and the spread is reported.
     */
    @Test
    void theHandWrittenSwitchReportsEveryPlacementItsSwitchesAndTheSpread() throws Exception {
        Map<String, CaseResult> fibers = byCase(new FiberSwitchProbe().run(TestContexts.quick(EnumSet.of(Placement.SAME_CORE))));
        for (String kind : List.of("asm", "asm-nofpu")) {
            CaseResult r = fibers.get(kind);
            assertTrue(r.status() == Status.OK || r.status() == Status.FLAGGED, () -> kind + ": " + r.reason());
            PlacedCases p = PlacedCases.assertPlaced(r, 2);   // 2 switches per round trip
            assertEquals(NativeFiber.LOOP_PLACEMENTS, p.copies(), kind);
            List<String> expectedLabels = new ArrayList<>();
            for (int i = 0; i < p.copies(); i++) expectedLabels.add("+" + i * NativeFiber.LOOP_PLACEMENT_STEP);
            assertEquals(expectedLabels, p.labels(), kind + ": each copy's loop top where it was placed");
        }
        CaseResult uc = fibers.get("ucontext");
        assertEquals(null, uc.params().get("placements"), "ucontext: one C loop");
    }

    @Test
    void aFiberMigratesBetweenTwoCpusWithoutAKernelSwitch() throws Exception {
        ProbeContext ctx = TestContexts.quick(EnumSet.of(Placement.SAME_CORE));
        CaseResult migrate = byCase(new FiberSwitchProbe().run(ctx)).get("migrate");
        if (ctx.cpus().size() < 2) {
            assertEquals(Status.SKIPPED, migrate.status());
            return;
        }
        TestContexts.assertValid(migrate);
        assertTrue(ThreadSwitchProbeTest.voluntaryPerRoundTrip(migrate) < 0.01, "a spinning handoff never blocks");
        String[] cpus = migrate.params().get("cpus").split(",");
        assertTrue(!cpus[0].equals(cpus[1]), "two CPUs: " + migrate.params().get("cpus"));
    }

    private static Map<String, CaseResult> byCase(List<CaseResult> results) {
        return results.stream().collect(Collectors.toMap(CaseResult::caseId, Function.identity()));
    }
}
