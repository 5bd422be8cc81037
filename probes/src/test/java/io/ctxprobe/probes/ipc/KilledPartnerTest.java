package io.ctxprobe.probes.ipc;

import io.ctxprobe.binding.Binding;
import io.ctxprobe.linux.NativePingPong;
import io.ctxprobe.probe.Cleanup;
import io.ctxprobe.probe.CpuPair;
import io.ctxprobe.probe.Placement;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.probe.RunOptions;
import io.ctxprobe.probes.TestContexts;
import io.ctxprobe.probes.measurement.Cases;
import io.ctxprobe.probes.switching.Mechanism;
import io.ctxprobe.probes.switching.PingPongCase;
import io.ctxprobe.probes.switching.PingPongRound;
import io.ctxprobe.probes.tlb.TlbSwitchProbe;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.CaseResultBuilder;
import io.ctxprobe.report.Status;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A partner process killed mid-case (process.switch, ipc.latency's process channels, tlb.switch's
 * process round trip) is noticed at once — by libctxprobe's pidfd watch, not the case's deadline of
 * a minute or more — and the case fails saying what happened: "partner killed by signal 9 (SIGKILL)
 * after N ... round trips", N > 0 (the kill lands mid-run). The partner is found as a child of this
 * JVM by its name; each case is sized to run for many seconds, so only the kill can end it early.
 */
class KilledPartnerTest {

    /** Batches far beyond a quick run: the timed round lasts tens of seconds unless its partner dies. */
    private static final int LONG_BATCHES = 10_000;
    private static final long NOTICE_LIMIT_MS = 2_000;
    private static final Pattern AFTER_N = Pattern.compile("after (\\d+) ");

    static Stream<Arguments> partners() {
        return Stream.of(
                Arguments.of("process.switch futex", "ctxp-pong", pingPong(new PingPongRound.Spec(Mechanism.FUTEX,
                        NativePingPong.Mode.PROCESS, sameCore()))),
                Arguments.of("ipc.latency pipe", "ctxp-pong", pingPong(IpcLatencyProbe.spec(IpcChannel.PIPE, sameCore()))),
                Arguments.of("ipc.latency unix-socket", "ctxp-pong",
                        pingPong(IpcLatencyProbe.spec(IpcChannel.UNIX_SOCKET, sameCore()))),
                Arguments.of("ipc.latency shm-futex", "ctxp-pong",
                        pingPong(IpcLatencyProbe.spec(IpcChannel.SHM_FUTEX, sameCore()))),
                Arguments.of("tlb.switch process-roundtrip", "ctxp-tlb-echo", (Function<ProbeContext, CaseResult>) ctx -> {
                    TlbSwitchProbe.Event e = TlbSwitchProbe.EVENTS.stream().filter(x -> x.caseId().equals("process-roundtrip"))
                            .findFirst().orElseThrow();
                    return Cases.attempt(ctx, TlbSwitchProbe.ID, "process-roundtrip/w64", "ns/pass",
                            () -> TlbSwitchProbe.pass(ctx, "process-roundtrip/w64", e, 64, false, ctx.cpus().first()));
                }));
    }

    private static CpuPair sameCore() {
        int cpu = Binding.ffm().getAffinity(0).first();
        return new CpuPair(cpu, cpu, "test: one CPU");
    }

    private static Function<ProbeContext, CaseResult> pingPong(PingPongRound.Spec spec) {
        return ctx -> Cases.attempt(ctx, "partner-test", "case", "ns", () ->
                PingPongCase.measure(ctx, new CaseResultBuilder("partner-test", "case", "ns"), spec, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("partners")
    void aKilledPartnerIsReportedAtOnceWithItsSignal(String name, String partnerName, Function<ProbeContext, CaseResult> runCase)
            throws Exception {
        Binding binding = Binding.ffm();
        ProbeContext ctx = new ProbeContext(binding, TestContexts.host(),
                new RunOptions(binding.getAffinity(0), Set.of(Placement.SAME_CORE), true, LONG_BATCHES), new Cleanup());
        List<Long> before = TestContexts.childPids();
        CompletableFuture<CaseResult> result = CompletableFuture.supplyAsync(() -> runCase.apply(ctx),
                r -> Thread.ofPlatform().name("partner-test-runner").start(r));
        try {
            long partner = longLivedChild(partnerName, before, result);
            long killedAt = System.nanoTime();
            ProcessHandle.of(partner).orElseThrow().destroyForcibly();   // SIGKILL
            CaseResult r = result.get(30, TimeUnit.SECONDS);
            long noticedMs = (System.nanoTime() - killedAt) / 1_000_000;
            System.out.printf("%s: %s, case ended %d ms after the kill%n", name, r.reason(), noticedMs);
            assertEquals(Status.FAILED, r.status(), name + ": " + r.reason());
            assertTrue(r.reason().startsWith("partner killed by signal 9 (SIGKILL) after "), r.reason());
            Matcher m = AFTER_N.matcher(r.reason());
            assertTrue(m.find() && Long.parseLong(m.group(1)) > 0, "round trips before the kill: " + r.reason());
            assertTrue(noticedMs < NOTICE_LIMIT_MS, name + ": noticed after " + noticedMs + " ms");
        } finally {
            ctx.cleanup().abortAll();   // a failed assertion above must not leave the long case running
            result.handle((r, t) -> null).get(30, TimeUnit.SECONDS);
        }
        assertTrue(TestContexts.childPids().stream().allMatch(before::contains), "no child left");
    }

    /**
     * The partner of the long (timed) round: a new child with this name that is still the same
     * process 300 ms after it was first seen (the short pilot round's partner is gone by then).
     */
    private static long longLivedChild(String comm, List<Long> before, CompletableFuture<?> running) throws Exception {
        long seen = -1;
        long seenAt = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline && !running.isDone()) {
            long found = -1;
            for (long pid : TestContexts.childPids()) {
                if (before.contains(pid)) continue;
                try {
                    if (Files.readString(Path.of("/proc", Long.toString(pid), "comm")).strip().equals(comm)) found = pid;
                } catch (java.io.IOException e) {
                    // gone between the listing and the read
                }
            }
            if (found != seen) {
                seen = found;
                seenAt = System.nanoTime();
            } else if (found > 0 && System.nanoTime() - seenAt > TimeUnit.MILLISECONDS.toNanos(300)) {
                return found;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no long-lived child named " + comm + (running.isDone() ? "; the case ended: " + running.get() : ""));
    }
}
