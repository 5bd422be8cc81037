package io.ctxprobe.probes.switching;

import io.ctxprobe.probes.ProbeRegistryRun;
import io.ctxprobe.probes.TestContexts;
import io.ctxprobe.linux.CpuSet;
import io.ctxprobe.probe.Placement;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.measure.Counter;
import io.ctxprobe.report.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.EnumSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** thread.switch and process.switch: the facts their counts must show on any Linux host. */
public class ThreadSwitchProbeTest {

    /** Context switches per round trip over both sides, from getrusage (kept for every timed round). */
    public static double switchesPerRoundTrip(CaseResult r) {
        long total = r.counters().stream().filter(c -> c.event().endsWith("voluntary-switches")).mapToLong(Counter::total).sum();
        return (double) total / r.plan().measuredOps();
    }

    /** Voluntary switches (the task blocked) per round trip, from getrusage. */
    static double voluntaryPerRoundTrip(CaseResult r) {
        long total = r.counters().stream().filter(c -> c.event().equals("voluntary-switches")).mapToLong(Counter::total).sum();
        return (double) total / r.plan().measuredOps();
    }

    @ParameterizedTest
    @ValueSource(strings = {"thread.switch", "process.switch"})
    void everyMechanismOnOneCoreSwitchesAtLeastTwicePerRoundTripOnThePinnedCpu(String probeId) throws Exception {
        ProbeContext ctx = TestContexts.quick(EnumSet.of(Placement.SAME_CORE));
        List<CaseResult> results = ProbeRegistryRun.run(probeId, ctx);
        int cpu = ctx.cpus().first();
        for (Mechanism m : Mechanism.switchMechanisms()) {
            CaseResult r = TestContexts.find(results, m.label() + "/same-core");
            if (r.status() == Status.SKIPPED) {   // yield without permission for SCHED_FIFO: the reason says so
                assertTrue(r.reason().contains("SCHED_FIFO"), r.reason());
                continue;
            }
            TestContexts.assertValid(r);
            assertEquals(cpu + "," + cpu, r.params().get("cpus"));
            assertTrue(switchesPerRoundTrip(r) >= 2, r.caseId() + ": " + switchesPerRoundTrip(r));
            assertEquals(r.plan().batches(), r.samples().size());
            assertTrue(r.plan().batches() == 5 || r.plan().batches() == 10, "5 batches, or 10 once extended: " + r.plan());
            assertTrue(r.samples().stream().allMatch(v -> v > 0));
            CaseResult solo = TestContexts.find(results, m.label() + "/solo");
            TestContexts.assertValid(solo);
            // The typed figure: this median minus the solo one, naming both cases it comes from.
            var net = r.derived(SwitchSuite.NET_OF_MECHANISM).orElseThrow(() -> new AssertionError(r.key() + ": " + r.derived()));
            assertEquals(r.stats().median() - solo.stats().median(), net.value(), 1e-9);
            assertEquals(List.of(r.key(), solo.key()), net.from());
            assertEquals("ns/switch", net.unit());
        }
    }

    @Test
    void impossiblePlacementsAreSkippedWithTheReason() throws Exception {
        int cpu = TestContexts.quick(EnumSet.of(Placement.SAME_CORE)).cpus().first();
        ProbeContext oneCpu = TestContexts.quick(CpuSet.of(cpu), EnumSet.of(Placement.CROSS_CORE, Placement.SMT_SIBLING));
        List<CaseResult> results = new ThreadSwitchProbe().run(oneCpu);
        CaseResult cross = TestContexts.find(results, "futex/cross-core");
        assertEquals(Status.SKIPPED, cross.status());
        assertTrue(cross.reason().contains("needs 2 CPUs"), cross.reason());
        CaseResult smt = TestContexts.find(results, "futex/smt-sibling");
        assertEquals(Status.SKIPPED, smt.status());
        assertNotNull(smt.reason());
    }

    @Test
    void allPairsGivesACellForEveryPairOfTheCpus() throws Exception {
        ProbeContext ctx = TestContexts.quick(EnumSet.of(Placement.ALL_PAIRS), List.of("futex"));
        List<CaseResult> results = new ThreadSwitchProbe().run(ctx);
        List<Integer> cpus = ctx.cpus().cpus();
        for (int a : cpus) {
            for (int b : cpus) {
                if (a > b) continue;
                CaseResult cell = TestContexts.find(results, "futex/pair-" + a + "-" + b);
                assertNotNull(cell.stats(), cell.caseId() + ": " + cell.status().label() + " " + cell.reason());
                assertTrue(cell.stats().median() > 0);
                assertEquals("futex", cell.params().get("matrix"));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"thread.switch", "process.switch", "cache.c2c"})
    void nothingTheProbeCreatedOutlivesIt(String probeId) throws Exception {
        long fdsBefore = TestContexts.openFds();
        ProbeRegistryRun.run(probeId, TestContexts.quick(EnumSet.allOf(Placement.class), List.of("futex", "pipe")));
        List<String> threads = TestContexts.threadNames().stream().filter(n -> n.startsWith("ctxp-")).toList();
        assertTrue(threads.isEmpty(), "threads left behind: " + threads);
        assertEquals(List.of(), TestContexts.childPids(), "child processes left behind");
        assertEquals(fdsBefore, TestContexts.openFds(), "file descriptors left open");
    }
}
