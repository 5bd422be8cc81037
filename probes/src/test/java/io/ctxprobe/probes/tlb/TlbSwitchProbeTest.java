package io.ctxprobe.probes.tlb;

import io.ctxprobe.probes.TestContexts;
import io.ctxprobe.probe.Placement;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.report.CaseResult;
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
                        assertTrue(r.notes().stream().anyMatch(t -> t.startsWith("extra over none")), r.caseId());
                    }
                }
            }
        }
        assertEquals(children, TestContexts.childPids(), "the round-trip child was reaped");
        CaseResult explanation = TestContexts.find(results, "explanation");
        assertEquals(Status.OK, explanation.status(), () -> explanation.reason());
        if (!TlbHostFacts.ptiWithoutPcid(ctx.host())) {
            assertTrue(explanation.notes().get(0).contains("unexplained by the host facts"), explanation.notes().get(0));
            return;
        }
        // W = 1024: above the L1 reach, within the L2 reach. The packed control's extra is near zero and may
        // be negative, so the robust form compares the sparse extra with twice the control's magnitude.
        double sparse = TlbSwitchProbe.extraPerPage(results, "null-syscall", 1024, false);
        double packed = TlbSwitchProbe.extraPerPage(results, "null-syscall", 1024, true);
        assertTrue(sparse > 0 && sparse > 2 * Math.abs(packed),
                "null syscall extra ns/page: sparse " + sparse + ", packed " + packed);
        String text = explanation.notes().get(0);
        assertTrue(text.contains("PTI") && text.contains("PCID") && text.contains("flushes the user TLB"), text);
    }
}
