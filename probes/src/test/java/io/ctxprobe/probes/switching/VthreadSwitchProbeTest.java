package io.ctxprobe.probes.switching;

import io.ctxprobe.probes.TestContexts;
import io.ctxprobe.probe.Placement;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.Status;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VthreadSwitchProbeTest {

    /** One run of the probe (a child JVM, half a second of JIT warm-up per case) serves the invariant tests. */
    private static ProbeContext ctx;
    private static Map<String, CaseResult> cases;

    @BeforeAll
    static void runTheProbeOnce() {
        ctx = TestContexts.quick(EnumSet.of(Placement.SAME_CORE));
        cases = byCase(new VthreadSwitchProbe().run(ctx));
    }

    @Test
    void bothCasesRunAndTheOneCarrierRanOnThePinnedCpu() {
        assertEquals(List.of("default-scheduler", "one-carrier"), cases.keySet().stream().sorted().toList());
        for (CaseResult r : cases.values()) {
            assertEquals(Status.OK, r.status(), () -> r.caseId() + ": " + r.reason());
            assertEquals("ns/switch", r.unit());
            assertEquals(5, r.samples().size());
            assertTrue(r.samples().stream().allMatch(v -> v > 0), r.caseId() + " samples " + r.samples());
        }
        CaseResult one = cases.get("one-carrier");
        assertEquals(String.valueOf(ctx.cpus().first()), one.params().get("carrier-cpus"));
        assertFalse(one.params().get("carrier-tids").contains(","), "one carrier: " + one.params().get("carrier-tids"));
        long pid = Long.parseLong(one.params().get("child-pid"));
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "child JVM " + pid + " still alive");
    }

    /**
     * The seed's order on any host: a hand-written fiber switch (a few instructions) is cheaper than
     * a virtual-thread handoff (a continuation yield and a scheduler pass on one carrier), which is
     * cheaper than a kernel thread switch (the scheduler entered twice per round trip).
     */
    @Test
    void handWrittenFiberIsCheaperThanOneCarrierHandoffWhichIsCheaperThanAKernelThreadSwitch() throws Exception {
        CaseResult virtual = cases.get("one-carrier");
        CaseResult fiber = byCase(new FiberSwitchProbe().run(ctx)).get("asm");
        CaseResult kernel = byCase(new ThreadSwitchProbe().run(TestContexts.quick(EnumSet.of(Placement.SAME_CORE), List.of("futex"))))
                .get("futex/same-core");
        assertNotNull(kernel, "thread.switch measured futex/same-core");
        for (CaseResult r : List.of(virtual, fiber, kernel)) {
            TestContexts.assertValid(r);
        }
        assertTrue(fiber.stats().median() < virtual.stats().median(),
                "asm fiber " + fiber.stats().median() + " ns vs one-carrier " + virtual.stats().median() + " ns per switch");
        assertTrue(virtual.stats().median() < kernel.stats().median(),
                "one-carrier " + virtual.stats().median() + " ns vs futex/same-core " + kernel.stats().median() + " ns per switch");
    }

    @Test
    void noThreadTheProbesCreatedOutlivesThem() throws Exception {
        // The vthread.switch run above has returned; jthread.switch runs here, every placement.
        ProbeContext all = TestContexts.quick(EnumSet.allOf(Placement.class));
        new JthreadSwitchProbe().run(all);
        List<String> left = TestContexts.threadNames().stream().filter(n -> n.startsWith("ctxp-")).toList();
        assertTrue(left.isEmpty(), "threads left behind: " + left);
        assertEquals(0, ctx.cleanup().activeCount(), "vthread.switch registrations left open");
        assertEquals(0, all.cleanup().activeCount(), "jthread.switch registrations left open");
    }

    private static Map<String, CaseResult> byCase(List<CaseResult> results) {
        return results.stream().collect(Collectors.toMap(CaseResult::caseId, Function.identity()));
    }
}
