package io.ctxprobe.probes.tlb;

import io.ctxprobe.linux.Arch;
import io.ctxprobe.probe.Placement;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.probes.TestContexts;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.Status;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kernel's tlb_flush events on any x86-64 host where this process may sample tracepoints (root or
 * CAP_PERFMON; tracefs mounted or mountable in a private namespace); skipped with the probe's own
 * reason elsewhere. Why the bounds hold on every x86-64 kind: switch_mm_irqs_off writes one reason-0
 * event whenever it loads another address space, whether PCID keeps the TLB (pages 0) or not (pages
 * -1, also the PTI-without-PCID kind: its per-syscall CR3 switches are in the entry code and write no
 * tlb_flush event); two threads of one process share the address space, so their switches load
 * nothing. The figure is per switch between the two measured tasks (each event tied to the sched_switch
 * before it), so other processes preempting them on a busy host do not enter it.
 */
class TlbFlushProbeTest {

    @Test
    void processSwitchesSwitchAddressSpaceAndThreadSwitchesDoNot() throws Exception {
        ProbeContext ctx = TestContexts.quick(EnumSet.of(Placement.SAME_CORE, Placement.CROSS_CORE));
        TlbFlushProbe probe = new TlbFlushProbe();
        String why = probe.unavailableReason(ctx);
        if (Arch.current() != Arch.X86_64) {
            assertTrue(why != null && why.contains("x86-only"), String.valueOf(why));
        }
        Assumptions.assumeTrue(why == null, () -> "tlb.flush unavailable here: " + why);
        List<Long> children = TestContexts.childPids();
        List<CaseResult> results = probe.run(ctx);
        assertEquals(children, TestContexts.childPids(), "the forked side was reaped");

        CaseResult thread = TestContexts.find(results, "thread/same-core");
        CaseResult process = TestContexts.find(results, "process/same-core");
        for (CaseResult r : List.of(thread, process)) {
            assertEquals(Status.OK, r.status(), () -> r.caseId() + ": " + r.reason() + " " + r.notes());
            long kept = Long.parseLong(r.params().get("pages_0_kept"));
            long full = Long.parseLong(r.params().get("pages_minus1_full_flush"));
            long other = Long.parseLong(r.params().get("pages_other"));
            long total = Long.parseLong(r.params().get("task_switch_flush_events"));
            assertEquals(total, kept + full + other, () -> r.caseId() + ": the pages split adds up to the counted total " + r.params());
            long roundTrips = Long.parseLong(r.params().get("round_trips"));
            assertTrue(Long.parseLong(r.params().get("handoff_switches")) >= roundTrips,
                    () -> r.caseId() + ": at least one direct switch between the two per round trip " + r.params());
        }
        double threadPer = thread.stats().median();
        double processPer = process.stats().median();
        assertTrue(processPer >= 0.9, () -> "process: " + processPer + " task-switch events per switch " + process.notes());
        assertTrue(threadPer <= 0.05, () -> "thread: " + threadPer + " task-switch events per switch " + thread.notes());

        assertTrue(results.stream().noneMatch(r -> r.caseId().equals("verdict")), "the verdict is no case of its own");
        TlbFlushVerdict v = TlbFlushVerdict.from(process).orElseThrow();
        assertTrue(process.derived(TlbFlushVerdict.KEPT).isPresent(), "the kept share is a derived figure on the process case");
        assertTrue(v.text().startsWith("process switches flushed the TLB: "), v.text());
        assertTrue(v.answer() != TlbFlushVerdict.Answer.NO_ADDRESS_SPACE_SWITCH, v.text());
        for (String c : List.of("fiber/asm", "null-syscall")) {
            CaseResult r = TestContexts.find(results, c);
            assertEquals(Status.OK, r.status(), () -> c + ": " + r.reason());
        }
    }
}
