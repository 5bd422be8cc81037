package io.ctxprobe.probes.lifecycle;

import io.ctxprobe.probes.TestContexts;
import io.ctxprobe.probe.Placement;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.Status;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * process.create, thread.create, fiber.create: facts that hold on any Linux x86-64 host. Orders
 * only where the gap is structural (a JVM parent's page tables, 256 MiB of page tables, a kernel
 * task against a user-space frame), and that nothing created outlives a probe.
 */
class CreateProbesTest {

    private static ProbeContext ctx() {
        return TestContexts.quick(EnumSet.of(Placement.SAME_CORE));
    }

    private static Map<String, CaseResult> byCase(List<CaseResult> results) {
        return results.stream().collect(Collectors.toMap(CaseResult::caseId, Function.identity()));
    }

    private static double median(Map<String, CaseResult> results, String caseId) {
        CaseResult r = results.get(caseId);
        assertTrue(r != null, "no case " + caseId + " in " + results.keySet());
        TestContexts.assertValid(r);
        return r.stats().median();
    }

    /** Anonymous mappings of exactly n bytes (a stack this code maps, with its guard page). */
    private static long anonMappingsOf(long bytes) throws Exception {
        return Files.readAllLines(Path.of("/proc/self/maps")).stream().filter(line -> {
            String[] f = line.trim().split("\\s+");
            if (f.length > 5) return false;   // has a path: not anonymous
            String[] range = f[0].split("-");
            return Long.parseUnsignedLong(range[1], 16) - Long.parseUnsignedLong(range[0], 16) == bytes;
        }).count();
    }

    @Test
    void processCreationFromTheJvmAndFromTheHelper() throws Exception {
        List<Long> children0 = TestContexts.childPids();
        long fds0 = TestContexts.openFds();
        Map<String, CaseResult> r = byCase(new ProcessCreateProbe(List.of(0, 256)).run(ctx()));

        for (CaseResult c : r.values()) {
            TestContexts.assertValid(c);
            assertEquals("us/create", c.unit());
        }
        // The JVM is a large parent: fork copies its page tables, vfork and posix_spawn do not.
        double forkExec = median(r, "fork-exec/jvm");
        assertTrue(median(r, "vfork-exec/jvm") < forkExec, "vfork-exec/jvm < fork-exec/jvm: " + r.get("vfork-exec/jvm").stats());
        assertTrue(median(r, "posix-spawn/jvm") < forkExec, "posix-spawn/jvm < fork-exec/jvm");
        assertTrue(median(r, "fork/jvm") > median(r, "fork/helper"), "fork/jvm > fork/helper (small parent)");
        // 256 MiB of touched 4 KiB pages: 64 Ki page-table entries to copy and tear down per fork.
        assertTrue(median(r, "fork/helper-touched-256MiB") > median(r, "fork/helper-touched-0MiB"),
                "fork cost rises with touched parent memory");

        assertEquals(children0, TestContexts.childPids(), "no child outlives the probe");
        assertEquals(fds0, TestContexts.openFds(), "no fd outlives the probe");
    }

    @Test
    void fiberIsCheaperThanPthreadWhichIsCheaperThanFork() throws Exception {
        // pooled-stack, not fresh-stack: glibc's pthread_create reuses a cached stack, while
        // fresh-stack maps, faults in and unmaps one per fiber; under a shadow-paging hypervisor
        // (the development VM) that mmap/munmap pair alone costs more than a pthread (measured:
        // fresh-stack 30-80 us, pthread 25-40 us there). The user-space creation is what is ordered.
        double fiber = median(byCase(new FiberCreateProbe().run(ctx())), "pooled-stack");                 // ns
        double pthread = median(byCase(new ThreadCreateProbe().run(ctx())), "pthread") * 1000;            // us -> ns
        ProcessCreateProbe processes = new ProcessCreateProbe(List.of());
        double fork = median(byCase(processes.run(ctx())), "fork/jvm") * 1000;                            // us -> ns
        assertTrue(fiber < pthread, "fiber.create pooled-stack " + fiber + " ns < thread.create pthread " + pthread + " ns");
        assertTrue(pthread < fork, "thread.create pthread " + pthread + " ns < process.create fork/jvm " + fork + " ns");
    }

    @Test
    void threadsAndFibersLeaveNothingBehind() throws Exception {
        long fds0 = TestContexts.openFds();
        long threads0 = TestContexts.threadNames().stream().filter(n -> n.startsWith("ctxp-")).count();
        // fiber stacks: 64 KiB + a 4 KiB guard; raw clone stack: 16 KiB + guard
        long fiberMaps0 = anonMappingsOf((64 + 4) * 1024);
        long cloneMaps0 = anonMappingsOf((16 + 4) * 1024);

        Map<String, CaseResult> t = byCase(new ThreadCreateProbe().run(ctx()));
        Map<String, CaseResult> f = byCase(new FiberCreateProbe().run(ctx()));
        for (String c : List.of("clone-raw", "pthread", "java-platform", "java-virtual")) median(t, c);
        for (String c : List.of("fresh-stack", "pooled-stack")) median(f, c);

        assertEquals(fds0, TestContexts.openFds(), "no fd outlives the probes");
        assertEquals(threads0, TestContexts.threadNames().stream().filter(n -> n.startsWith("ctxp-")).count(),
                "no ctxp- thread outlives the probes");
        assertEquals(fiberMaps0, anonMappingsOf((64 + 4) * 1024), "every fiber stack unmapped");
        assertEquals(cloneMaps0, anonMappingsOf((16 + 4) * 1024), "the raw clone stack unmapped");
        assertEquals(List.of(), TestContexts.childPids());
    }
}
