package io.ctxprobe.probes.tlb;

import io.ctxprobe.binding.Binding;
import io.ctxprobe.probe.Cleanup;
import io.ctxprobe.probe.Placement;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.probe.RunOptions;
import io.ctxprobe.probes.TestContexts;
import io.ctxprobe.probes.measurement.Cases;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.Status;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * tlb.switch's round trips wait on the token without a timeout; the case registers its run with the
 * cleanup, so Ctrl-C (the cleanup's abortAll) ends a long one at once, partner joined or reaped.
 */
class TlbSwitchAbortTest {

    @ParameterizedTest
    @ValueSource(strings = {"thread-roundtrip", "process-roundtrip"})
    void theCleanupEndsALongRoundTripCase(String event) throws Exception {
        Binding binding = Binding.ffm();
        Cleanup cleanup = new Cleanup();
        ProbeContext ctx = new ProbeContext(binding, TestContexts.host(),
                new RunOptions(binding.getAffinity(0), Set.of(Placement.SAME_CORE), true, 10_000), cleanup);
        TlbSwitchProbe.Event e = TlbSwitchProbe.EVENTS.stream().filter(x -> x.caseId().equals(event)).findFirst().orElseThrow();
        List<Long> children = TestContexts.childPids();
        CompletableFuture<CaseResult> result = CompletableFuture.supplyAsync(() -> Cases.attempt(ctx, TlbSwitchProbe.ID, event,
                "ns/pass", () -> TlbSwitchProbe.pass(ctx, event, e, 64, false, ctx.cpus().first())),
                r -> Thread.ofPlatform().name("tlb-abort-test").start(r));
        for (int i = 0; i < 500 && cleanup.activeCount() == 0 && !result.isDone(); i++) Thread.sleep(2);
        Thread.sleep(300);
        assertTrue(!result.isDone(), "the case is sized to outlast the wait: " + (result.isDone() ? result.get().reason() : ""));
        long abortedAt = System.nanoTime();
        cleanup.abortAll();
        CaseResult r = result.get(30, TimeUnit.SECONDS);
        long ms = (System.nanoTime() - abortedAt) / 1_000_000;
        System.out.printf("tlb.switch %s: %s, %d ms after the abort%n", event, r.reason(), ms);
        assertEquals(Status.FAILED, r.status());
        assertTrue(r.reason().startsWith("interrupted: "), r.reason());
        assertTrue(ms < 2_000, "ended " + ms + " ms after the abort");
        assertEquals(0, cleanup.activeCount(), "the run's registration is closed");
        assertTrue(TestContexts.childPids().stream().allMatch(children::contains), "partner reaped");
    }
}
