package io.ctxprobe.probes.syscall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctxprobe.binding.Binding;
import io.ctxprobe.probe.Cleanup;
import io.ctxprobe.probe.Placement;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.probe.RunOptions;
import io.ctxprobe.probes.TestContexts;
import io.ctxprobe.report.CaseResult;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** syscall.vdso: both paths measure, and the kernel's accounting tells the vDSO read from the system call. */
class SyscallVdsoProbeTest {

    /** Clocksources whose reads the x86-64 and arm64 vDSOs answer in user space. */
    private static final Set<String> VDSO_CLOCKSOURCES = Set.of("tsc", "kvm-clock", "hyperv_clocksource_tsc_page",
            "arch_sys_counter");

    @Test
    void bothPathsMeasureAndTheForcedSystemCallSpendsMoreOfItsTimeInTheKernel() {
        // Full-length batches (about 20 ms x 25 per case): enough scheduler ticks for getrusage's split.
        Binding binding = Binding.ffm();
        ProbeContext ctx = new ProbeContext(binding, TestContexts.host(),
                new RunOptions(binding.getAffinity(0), EnumSet.noneOf(Placement.class), false, 25), new Cleanup());
        List<CaseResult> results = new SyscallVdsoProbe().run(ctx);
        assertEquals(List.of("vdso", "forced-syscall"), results.stream().map(CaseResult::caseId).toList());
        for (CaseResult r : results) {
            TestContexts.assertValid(r); // ok, or flagged only because other work took the CPU
            assertTrue(r.samples().size() >= 25 && r.samples().size() <= 50, "25 batches, or up to twice that when extended");
            assertFalse(Double.isNaN(SyscallVdsoProbe.kernelShare(r)), "the kernel-time witness is in the notes: " + r.notes());
        }
        double vdso = SyscallVdsoProbe.kernelShare(results.get(0));
        double forced = SyscallVdsoProbe.kernelShare(results.get(1));
        String clocksource = results.get(0).params().get("clocksource");
        if (VDSO_CLOCKSOURCES.contains(clocksource)) {
            assertTrue(vdso < forced, "clocksource " + clocksource + ": the vDSO read spent " + vdso
                    + "% of its CPU time in the kernel, the forced system call " + forced + "%");
        }
    }
}
