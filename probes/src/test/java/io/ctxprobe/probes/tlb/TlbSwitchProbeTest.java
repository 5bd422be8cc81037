package io.ctxprobe.probes.tlb;

import io.ctxprobe.probes.TestContexts;
import io.ctxprobe.probe.Placement;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.Derived;
import io.ctxprobe.report.Status;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TlbSwitchProbeTest {

    @Test
    void everyEventRunsAndUnderPtiWithoutPcidASyscallCostsARefill() throws Exception {
        List<Long> children = TestContexts.childPids();
        ProbeContext ctx = TestContexts.quick(EnumSet.of(Placement.SAME_CORE));
        List<CaseResult> results = new TlbSwitchProbe().run(ctx);
        for (TlbSwitchProbe.Event e : TlbSwitchProbe.EVENTS) {
            for (long w : TlbSwitchProbe.WORKING_SETS) {
                for (String suffix : List.of("", "/packed")) {
                    CaseResult r = TestContexts.find(results, e.caseId() + "/w" + w + suffix);
                    assertEquals(Status.OK, r.status(), () -> r.caseId() + ": " + r.reason());
                    assertEquals("ns/pass", r.unit());
                    if (!e.caseId().equals("none")) {
                        var extra = r.derived(TlbSwitchProbe.EXTRA_OVER_NONE).orElseThrow(() -> new AssertionError(r.caseId()));
                        assertEquals("ns/page", extra.unit());
                        assertEquals(TlbSwitchProbe.extraPerPage(results, e.caseId(), w, !suffix.isEmpty()), extra.value(), 1e-9);
                    }
                }
            }
        }
        assertEquals(children, TestContexts.childPids(), "the round-trip child was reaped");
        assertTrue(results.stream().noneMatch(r -> r.caseId().equals("explanation")), "a derived figure is no case of its own");
        long last = TlbSwitchProbe.WORKING_SETS[TlbSwitchProbe.WORKING_SETS.length - 1];
        Derived explanation = TestContexts.find(results, "null-syscall/w" + last).derived(TlbSwitchProbe.EXPLANATION).orElseThrow();
        assertEquals(TlbSwitchProbe.extraPerPage(results, "null-syscall", last, false)
                - TlbSwitchProbe.extraPerPage(results, "null-syscall", last, true), explanation.value(), 1e-9);
        assertEquals(4, explanation.from().size(), "the four cases it is computed from: " + explanation.from());
        if (!TlbHostFacts.ptiWithoutPcid(ctx.host())) {
            assertTrue(explanation.note().contains("unexplained by the host facts"), explanation.note());
            return;
        }
        // W = 1024: above the L1 reach, within the L2 reach. The packed control's extra is near zero and may
        // be negative, so the robust form compares the sparse extra with twice the control's magnitude.
        double sparse = TlbSwitchProbe.extraPerPage(results, "null-syscall", 1024, false);
        double packed = TlbSwitchProbe.extraPerPage(results, "null-syscall", 1024, true);
        assertTrue(sparse > 0 && sparse > 2 * Math.abs(packed),
                "null syscall extra ns/page: sparse " + sparse + ", packed " + packed);
        String text = explanation.note();
        assertTrue(text.contains("PTI") && text.contains("PCID") && text.contains("flushes the user TLB"), text);
    }
}
