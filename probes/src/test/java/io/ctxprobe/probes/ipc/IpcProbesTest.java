package io.ctxprobe.probes.ipc;

import io.ctxprobe.probes.switching.ThreadSwitchProbeTest;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ipc.latency and ipc.bandwidth: facts that hold on any Linux host under load; no timings. */
class IpcProbesTest {

    /** Threads named like this one: the ones C creates from it (pthread_create copies the name). */
    static long threadsNamedLikeMe() throws Exception {
        String me = Files.readString(Path.of("/proc/thread-self/comm")).strip();
        return TestContexts.threadNames().stream().filter(me::equals).count();
    }

    @Test
    void everyChannelOnOneCoreRunsOkAtLeastTwoSwitchesPerRoundTripAndLeavesNothing() throws Exception {
        ProbeContext ctx = TestContexts.quick(EnumSet.of(Placement.SAME_CORE));   // host facts, library loaded
        io.ctxprobe.linux.NativeCore.nowNs();
        long fds = TestContexts.openFds();
        long threads = threadsNamedLikeMe();
        List<CaseResult> results = ProbeRegistryRun.run(IpcLatencyProbe.ID, ctx);
        int cpu = ctx.cpus().first();
        for (IpcChannel channel : IpcChannel.values()) {
            CaseResult r = TestContexts.find(results, channel.label() + "/same-core");
            TestContexts.assertValid(r);
            assertEquals(cpu + "," + cpu, r.params().get("cpus"));
            assertTrue(ThreadSwitchProbeTest.switchesPerRoundTrip(r) >= 2, r.caseId() + ": " + ThreadSwitchProbeTest.switchesPerRoundTrip(r));
            assertTrue(r.samples().stream().allMatch(v -> v > 0), r.samples().toString());
        }
        assertEquals("futex", TestContexts.find(results, "shared-memory/same-core").params().get("mechanism"));
        assertEquals("unix", TestContexts.find(results, "unix-socket/same-core").params().get("mechanism"));
        CaseResult shm = TestContexts.find(results, "shared-memory/same-core");
        assertTrue(shm.notes().stream().anyMatch(n -> n.startsWith("threads communicate through data they already share")));
        CaseResult pipe = TestContexts.find(results, "pipe/same-core");
        assertEquals(shm.stats().median() / pipe.stats().median(),
                shm.derived("shared-memory / pipe").orElseThrow(() -> new AssertionError(shm.derived())).value(), 1e-9);
        assertEquals(List.of(), TestContexts.childPids(), "child processes left behind");
        assertEquals(fds, TestContexts.openFds(), "file descriptors left open");
        assertEquals(threads, threadsNamedLikeMe(), "threads left behind");
    }

    @Test
    void crossCoreSharedMemoryIsACacheLineHandoffOrSkippedWithTheReason() throws Exception {
        ProbeContext ctx = TestContexts.quick(EnumSet.of(Placement.CROSS_CORE), List.of());
        CaseResult r = TestContexts.find(new IpcLatencyProbe().run(ctx), "shared-memory/cross-core");
        if (ctx.cpus().size() < 2) {
            assertEquals(Status.SKIPPED, r.status());
            assertTrue(r.reason().contains("needs 2 CPUs"), r.reason());
            return;
        }
        assertEquals("spin", r.params().get("mechanism"));
        assertTrue(r.stats() != null && r.stats().median() > 0, r.caseId() + ": " + r.status().label() + " " + r.reason());
    }

    @Test
    void everyChannelMovesVerifiedDataAndThreadsOutrunAPipeOnOneCore() throws Exception {
        ProbeContext ctx = TestContexts.quick(EnumSet.of(Placement.SAME_CORE, Placement.CROSS_CORE));
        io.ctxprobe.linux.NativeCore.nowNs();
        long fds = TestContexts.openFds();
        long threads = threadsNamedLikeMe();
        List<CaseResult> results = ProbeRegistryRun.run(IpcBandwidthProbe.ID, ctx);
        for (IpcChannel channel : IpcChannel.values()) {
            for (String placement : List.of("same-core", "cross-core")) {
                CaseResult r = TestContexts.find(results, channel.label() + "/" + placement);
                if (placement.equals("cross-core") && ctx.cpus().size() < 2) {
                    assertEquals(Status.SKIPPED, r.status());
                    continue;
                }
                assertEquals(Status.OK, r.status(), () -> r.caseId() + ": " + r.reason());
                assertEquals("MB/s", r.unit());
                assertEquals("yes", r.params().get("data verified"));
                assertEquals(String.valueOf(IpcBandwidthProbe.MSG_BYTES), r.params().get("message bytes"));
                assertEquals(5, r.samples().size());
                assertTrue(r.samples().stream().allMatch(v -> v > 0), r.samples().toString());
            }
        }
        // On one CPU the pipe copies every byte twice through the kernel and switches for every 64 KiB
        // (its default capacity); the threads' ring switches at most once per 4 slots: a gap of several
        // times on the development VM (7000 vs 1600 MB/s). Each side's best batch is compared: other
        // work on the CPU only slows a batch, so the best is the least disturbed (a loaded test host
        // once gave medians of 2050 vs 3500 MB/s).
        double shm = TestContexts.find(results, "shared-memory/same-core").samples().stream().mapToDouble(v -> v).max().orElseThrow();
        double pipe = TestContexts.find(results, "pipe/same-core").samples().stream().mapToDouble(v -> v).max().orElseThrow();
        assertTrue(shm > pipe, "shared memory " + shm + " MB/s vs pipe " + pipe + " MB/s");
        assertEquals(List.of(), TestContexts.childPids(), "child processes left behind");
        assertEquals(fds, TestContexts.openFds(), "file descriptors left open");
        assertEquals(threads, threadsNamedLikeMe(), "threads left behind");
    }
}
