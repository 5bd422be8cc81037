package io.ctxprobe.probes.isolation;

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

/**
 * Facts on any host: a wait that holds the only thread (a blocking read under an M:1 fiber
 * scheduler, a native read on the only carrier) starves the others for about D in every run; one
 * that frees it does not. Preemption under load only lengthens a stall, so "starved" is checked on
 * every run and "free" on the best run.
 */
class BlockingProbeTest {

    private static final double D_MS = BlockingProbe.QUICK_DELAY_NS / 1e6;
    private static ProbeContext ctx;
    private static Map<String, CaseResult> cases;
    private static long fdsBefore, fdsAfter;
    private static List<Long> childrenAfter;

    @BeforeAll
    static void runTheProbeOnce() throws Exception {
        ctx = TestContexts.quick(EnumSet.of(Placement.SAME_CORE));
        fdsBefore = TestContexts.openFds();
        cases = new BlockingProbe().run(ctx).stream().collect(Collectors.toMap(CaseResult::caseId, Function.identity()));
        fdsAfter = TestContexts.openFds();
        childrenAfter = TestContexts.childPids();
    }

    private static CaseResult measured(String caseId) {
        CaseResult r = cases.get(caseId);
        assertNotNull(r, caseId + " in " + cases.keySet());
        assertTrue(r.status() == Status.OK || r.status() == Status.FLAGGED, () -> caseId + ": " + r.status() + " " + r.reason());
        assertEquals("ms", r.unit());
        assertEquals(5, r.samples().size(), caseId + " runs");   // --batches 5 in the test context
        return r;
    }

    private static double min(CaseResult r) {
        return r.samples().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    }

    @Test
    void everyCaseRan() {
        assertEquals(List.of("fibers/blocking-read", "fibers/nonblocking-epoll", "vthreads/channel-read", "vthreads/ffm-read",
                "vthreads/sleep"), cases.keySet().stream().sorted().toList());
        cases.keySet().forEach(BlockingProbeTest::measured);
    }

    @Test
    void aBlockingReadStarvesTheOtherFibersAndEpollDoesNot() {
        CaseResult blocking = measured("fibers/blocking-read");
        CaseResult epoll = measured("fibers/nonblocking-epoll");
        assertTrue(min(blocking) >= BlockingProbe.STARVED_SHARE * D_MS, "blocking read stalls " + blocking.samples());
        assertTrue(min(epoll) < BlockingProbe.FREE_SHARE * D_MS, "epoll stalls " + epoll.samples());
    }

    @Test
    void anFfmReadHoldsTheOnlyCarrierAndSleepDoesNot() {
        CaseResult ffm = measured("vthreads/ffm-read");
        CaseResult sleep = measured("vthreads/sleep");
        assertTrue(min(ffm) >= BlockingProbe.STARVED_SHARE * D_MS, "ffm read stalls " + ffm.samples());
        assertTrue(min(sleep) < BlockingProbe.FREE_SHARE * D_MS, "sleep stalls " + sleep.samples());
        CaseResult channel = measured("vthreads/channel-read");
        assertTrue(min(channel) < BlockingProbe.FREE_SHARE * D_MS, "channel read stalls " + channel.samples());
        for (CaseResult r : List.of(ffm, sleep, channel)) {
            String pinned = r.params().get("jfr-pinned-event");
            assertTrue("yes".equals(pinned) || "no".equals(pinned), r.caseId() + " jfr-pinned-event=" + pinned);
        }
    }

    @Test
    void nothingIsLeftBehind() throws Exception {
        long pid = Long.parseLong(cases.get("vthreads/ffm-read").params().get("child-pid"));
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "child JVM " + pid + " still alive");
        assertFalse(childrenAfter.contains(pid), "child JVM " + pid + " not reaped");
        assertEquals(fdsBefore, fdsAfter, "open fds before and after the probe");
        List<String> left = TestContexts.threadNames().stream().filter(n -> n.startsWith("ctxp-")).toList();
        assertTrue(left.isEmpty(), "threads left behind: " + left);
        assertEquals(0, ctx.cleanup().activeCount(), "registrations left open");
    }
}
