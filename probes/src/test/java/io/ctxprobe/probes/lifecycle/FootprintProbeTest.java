package io.ctxprobe.probes.lifecycle;

import io.ctxprobe.probes.TestContexts;
import io.ctxprobe.probe.Placement;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.measure.Counter;
import io.ctxprobe.report.Status;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** footprint: facts that hold on any Linux host, whatever else runs there. */
class FootprintProbeTest {

    private static final List<String> KINDS = List.of("process", "kernel-thread", "java-platform-thread",
            "virtual-thread", "fiber", "fiber-touched");

    private static Counter counter(CaseResult r, String event) {
        return r.counters().stream().filter(c -> c.event().equals(event)).findFirst()
                .orElseThrow(() -> new AssertionError(r.caseId() + ": no counter " + event + " in " + r.counters()));
    }

    @Test
    void everyKindReportsAPositivePerUnitFigureAndLeavesNothingBehind() throws Exception {
        long fdsBefore = TestContexts.openFds();
        List<CaseResult> results = new FootprintProbe(20).run(TestContexts.quick(EnumSet.of(Placement.SAME_CORE)));
        assertEquals(KINDS, results.stream().map(CaseResult::caseId).toList());
        for (CaseResult r : results) {
            assertEquals(Status.OK, r.status(), () -> r.caseId() + ": " + r.reason());
            assertEquals("KiB/unit", r.unit());
            assertEquals("20", r.params().get("units"));
            assertEquals(5, r.samples().size());
            // Parked virtual threads are heap objects: they may land in heap pages already resident,
            // so the kernel's VmRSS can honestly grow by nothing. Every other kind maps new memory.
            if (r.caseId().equals("virtual-thread")) {
                assertTrue(r.stats().median() >= 0, r.caseId() + ": " + r.stats().median());
            } else {
                assertTrue(r.stats().median() > 0, r.caseId() + ": " + r.stats().median());
            }
            counter(r, "KernelStack-delta-KiB");
            counter(r, "PageTables-delta-KiB");
            counter(r, "VmRSS-after-teardown-KiB");
        }
        CaseResult process = TestContexts.find(results, "process");
        assertTrue(counter(process, "Pss-KiB").perOp() > 0);
        assertEquals(counter(process, "Pss-KiB").perOp(), process.stats().mean(), 1e-6, "the primary value is PSS per child");
        assertTrue(counter(process, "Rss-KiB").perOp() >= counter(process, "Pss-KiB").perOp(), "Rss >= Pss for every child");
        assertTrue(counter(process, "KernelStack-delta-KiB").source().contains("/proc/meminfo"));
        // A touched fiber holds at least the 16 KiB it touched; its own counters say so on any host.
        assertTrue(TestContexts.find(results, "fiber-touched").stats().median() >= 16,
                () -> "fiber-touched: " + TestContexts.find(results, "fiber-touched").stats());

        assertEquals(List.of(), TestContexts.childPids(), "child processes left behind");
        List<String> threads = TestContexts.threadNames().stream().filter(n -> n.startsWith("ctxp-")).toList();
        assertTrue(threads.isEmpty(), "threads left behind: " + threads);
        assertEquals(fdsBefore, TestContexts.openFds(), "file descriptors left open");
    }

    /**
     * A fiber with an untouched stack is resident in one page (its first frame) plus its
     * bookkeeping; a pthread touches its stack top, its TCB/TLS and more. Both are VmRSS deltas of
     * this process over 200 units, so another test's activity in this JVM could move one batch: the
     * medians of 5 batches are compared.
     */
    @Test
    void anUntouchedFiberCostsLessResidentMemoryThanAKernelThread() throws Exception {
        List<CaseResult> results = new FootprintProbe(200, java.util.Set.of("fiber", "kernel-thread")).run(TestContexts.quick(EnumSet.of(Placement.SAME_CORE)));
        CaseResult fiber = TestContexts.find(results, "fiber");
        CaseResult thread = TestContexts.find(results, "kernel-thread");
        assertEquals(Status.OK, fiber.status(), fiber::reason);
        assertEquals(Status.OK, thread.status(), thread::reason);
        assertTrue(fiber.stats().median() < thread.stats().median(),
                "fiber " + fiber.stats().median() + " vs kernel thread " + thread.stats().median() + " KiB/unit");
    }

    /**
     * Fiber stacks are the set's own mappings. The every-kind run cannot check /proc/self/maps: glibc
     * keeps up to 40 MiB of joined thread stacks mapped (Java's 1 MiB stacks: up to 80 lines). Fibers
     * create no thread, so after one warm-up run (classes, JIT) a second run of 20 fibers x 6 batches
     * x 2 cases must leave the line count where it was: a leak adds 2 lines (stack + guard) per fiber,
     * 480 in all; 4 lines of tolerance cover the JVM's own mapping changes (a malloc arena, a code
     * heap segment). The C test checks the exact count.
     */
    @Test
    void fiberStacksAreUnmapped() throws Exception {
        FootprintProbe fibers = new FootprintProbe(20, java.util.Set.of("fiber", "fiber-touched"));
        fibers.run(TestContexts.quick(EnumSet.of(Placement.SAME_CORE)));
        long mapsBefore = Files.readAllLines(Path.of("/proc/self/maps")).size();
        List<CaseResult> results = fibers.run(TestContexts.quick(EnumSet.of(Placement.SAME_CORE)));
        long mapsAfter = Files.readAllLines(Path.of("/proc/self/maps")).size();
        results.forEach(r -> assertEquals(Status.OK, r.status(), () -> r.caseId() + ": " + r.reason()));
        assertTrue(mapsAfter <= mapsBefore + 4, "maps " + mapsBefore + " -> " + mapsAfter);
    }

    @Test
    void theUnitsPropertyIsReadAndChecked() {
        String old = System.getProperty(FootprintProbe.UNITS_PROPERTY);
        try {
            System.setProperty(FootprintProbe.UNITS_PROPERTY, "0");
            try {
                new FootprintProbe();
                throw new AssertionError("0 units accepted");
            } catch (IllegalArgumentException expected) {
                assertTrue(expected.getMessage().contains(FootprintProbe.UNITS_PROPERTY));
            }
        } finally {
            if (old == null) System.clearProperty(FootprintProbe.UNITS_PROPERTY);
            else System.setProperty(FootprintProbe.UNITS_PROPERTY, old);
        }
    }

    @Test
    void procKeyValuesParsesKernelText() {
        ProcKeyValues rollup = ProcKeyValues.parse(List.of(
                "55d8e8c48000-7ffd2c9b3000 ---p 00000000 00:00 0                          [rollup]",
                "Rss:                3684 kB",
                "Pss:                 413 kB",
                "Private_Dirty:        48 kB"));
        assertEquals(413, rollup.kib("Pss"));
        assertEquals(null, rollup.kibOrNull("Pss_Anon"));
        ProcKeyValues status = ProcKeyValues.parse(List.of("Name:\tjava", "State:\tS (sleeping)", "PPid:\t42", "VmPTE:\t  160 kB"));
        assertEquals("42", status.text("PPid"));
        assertEquals(160, status.kib("VmPTE"));
        assertTrue(status.text("State").startsWith("S"));
        try {
            ProcKeyValues.parse(List.of()).kib("VmRSS");
            throw new AssertionError("missing line accepted");
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage().contains("VmRSS"));
        }
    }
}
