package io.ctxprobe.probes.syscall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctxprobe.binding.Crossings;
import io.ctxprobe.probe.Placement;
import io.ctxprobe.probes.TestContexts;
import io.ctxprobe.report.CaseResult;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** syscall.null: the C loop and every Java crossing measure, and each Java case names its share over C. */
class SyscallNullProbeTest {

    @Test
    void everyCrossingIsMeasuredAndToldApartFromTheKernel() {
        List<CaseResult> results = new SyscallNullProbe().run(TestContexts.quick(EnumSet.noneOf(Placement.class)));
        List<String> expected = new ArrayList<>(List.of("c-loop"));
        for (Crossings.Way way : Crossings.Way.values()) expected.add(way.caseId());
        assertEquals(expected, results.stream().map(CaseResult::caseId).toList());
        for (CaseResult r : results) {
            TestContexts.assertValid(r); // ok, or flagged only because other work took the CPU
            assertTrue(r.samples().size() >= 5 && r.samples().size() <= 10, "5 batches, or up to twice that when extended");
        }
        for (CaseResult r : results.subList(1, results.size())) {
            var share = r.derived(SyscallNullProbe.BINDING_SHARE).orElseThrow(() -> new AssertionError(r.key() + ": " + r.derived()));
            assertEquals(r.stats().median() - results.getFirst().stats().median(), share.value(), 1e-9);
            assertEquals(List.of(r.key(), "syscall.null/c-loop"), share.from());
        }
    }

    @Test
    void everyCrossingReturnsTheSameParent() {
        long parent = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
        for (Crossings.Way way : Crossings.Way.values()) {
            assertEquals(parent, Crossings.getppid(way).getAsInt(), way.name());
        }
    }
}
