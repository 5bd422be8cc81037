package io.ctxprobe;

import io.ctxprobe.binding.Binding;
import io.ctxprobe.probe.Placement;
import io.ctxprobe.probe.Probe;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The facade's checks refuse a request before anything runs, with the message the CLI prints. */
class CtxprobeTest {

    @Test
    void aRequestIsResolvedToProbesBindingAndOptions() {
        Ctxprobe.Plan plan = Ctxprobe.plan(RunRequest.of("*.switch").quick(true).placements("same-core")
                .mechanisms("futex").batches(3).counters("task-clock").binding("jna"));
        assertTrue(plan.probes().stream().map(Probe::id).allMatch(id -> id.endsWith(".switch")));
        assertEquals("jna", plan.binding().name());
        assertEquals(EnumSet.of(Placement.SAME_CORE), plan.options().placements());
        assertEquals(List.of("futex"), plan.options().mechanisms());
        assertEquals(3, plan.options().measuredBatches());
        assertEquals(List.of("task-clock"), plan.options().counters());
        assertEquals(Binding.ffm().getAffinity(0), plan.options().cpus(), "no --cpus: every CPU allowed to this process");
    }

    @Test
    void everyBadOptionIsRefusedWithItsName() {
        assertRefused(RunRequest.of("no.such.probe"), "unknown probe 'no.such.probe'");
        assertRefused(RunRequest.of().cpus("x"), "--cpus 'x'");
        List<Integer> allowed = Binding.ffm().getAffinity(0).cpus();
        int notAllowed = allowed.getLast() + 1;
        assertRefused(RunRequest.of().cpus(String.valueOf(notAllowed)), "--cpus names CPU " + notAllowed + ", not allowed to this process");
        assertRefused(RunRequest.of().placements("sideways"), "--placement");
        assertRefused(RunRequest.of().mechanisms("smoke-signal"), "--mechanism: unknown mechanism 'smoke-signal'");
        assertRefused(RunRequest.of().counters("no-such-event"), "--counters");
        assertRefused(RunRequest.of().batches(0), "--batches must be a positive count");
        assertThrows(IllegalArgumentException.class, () -> Ctxprobe.plan(RunRequest.of().binding("carrier-pigeon")));
    }

    @Test
    void theRequestSaysWhichCommandLineRepeatsIt() {
        assertEquals(List.of("run"), RunRequest.of().toArgs());
        assertEquals(List.of("run", "thread.*", "--quick", "--cpus", "0-1", "--placement", "same-core,cross-core",
                        "--mechanism", "futex", "--batches", "5", "--counters", "task-clock", "--binding", "jna"),
                RunRequest.of("thread.*").quick(true).cpus("0-1").placements("same-core", "cross-core").mechanisms("futex")
                        .batches(5).counters("task-clock").binding("jna").toArgs());
    }

    private static void assertRefused(RunRequest request, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ctxprobe.plan(request));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
