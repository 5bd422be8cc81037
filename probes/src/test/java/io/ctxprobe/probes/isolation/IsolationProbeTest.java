package io.ctxprobe.probes.isolation;

import io.ctxprobe.probes.ProbeRegistryRun;
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
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** isolation: what a crash takes down, on any Linux host; nothing left behind, no core file. */
class IsolationProbeTest {

    private static List<String> coreFiles() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("."))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.equals("core") || n.startsWith("core.")).toList();
        }
    }

    @Test
    void aChildCrashSparesItsParentAndSiblingAThreadOrFiberCrashKillsItsProcess() throws Exception {
        ProbeContext ctx = TestContexts.quick(EnumSet.of(Placement.SAME_CORE));   // host facts, library loaded
        io.ctxprobe.linux.CtxprobeLib.nowNs();
        long fds = TestContexts.openFds();
        List<String> cores = coreFiles();
        List<CaseResult> results = ProbeRegistryRun.run(IsolationProbe.ID, ctx);

        CaseResult child = TestContexts.find(results, "child-process");
        assertEquals(Status.OK, child.status(), () -> child.reason());
        assertEquals("yes", child.params().get("parent survived"));
        assertEquals("yes", child.params().get("sibling survived"));
        assertEquals("SIGSEGV", child.params().get("child killed by"));
        for (String id : List.of("thread", "fiber")) {
            CaseResult r = TestContexts.find(results, id);
            assertEquals(Status.OK, r.status(), () -> id + ": " + r.reason());
            assertEquals("SIGSEGV", r.params().get("process killed by"), id);
            assertEquals("no", r.params().get("sibling survived"), id);
        }
        for (CaseResult r : results) {
            assertEquals("us", r.unit());
            assertEquals(5, r.samples().size(), r.caseId());   // TestContexts.quick asks for 5 batches
            assertTrue(r.samples().stream().allMatch(v -> v > 0), r.caseId() + ": " + r.samples());
        }
        assertEquals(List.of(), TestContexts.childPids(), "child processes left behind");
        assertEquals(fds, TestContexts.openFds(), "file descriptors left open");
        assertEquals(cores, coreFiles(), "core files written");
    }
}
