package io.ctxprobe.probes.switching;

import io.ctxprobe.probe.Placement;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.probes.TestContexts;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.Status;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The anatomy on this host where raw tracepoint samples are allowed (root or CAP_PERFMON, formats
 * found); skipped with the probe's reason elsewhere. The cycles run from one wake call to the next,
 * so they tile the timed run: the phases per handoff plus the shown remainder are the measured mean
 * handoff, and the remainder is only the run's edges (the first and last cycle against the batch
 * clock reads), far below a tenth of the handoff on any host. Nothing is asserted about durations.
 */
class SwitchAnatomyProbeTest {

    @Test
    void phasesAddUpToTheMeasuredHandoffWithinTheShownRemainder() throws Exception {
        ProbeContext ctx = TestContexts.quick(EnumSet.of(Placement.SAME_CORE, Placement.CROSS_CORE));
        SwitchAnatomyProbe probe = new SwitchAnatomyProbe();
        String why = probe.unavailableReason(ctx);
        Assumptions.assumeTrue(why == null, () -> "switch.anatomy unavailable here: " + why);
        List<String> threads = TestContexts.threadNames();
        List<CaseResult> results = probe.run(ctx);
        assertEquals(threads.size(), TestContexts.threadNames().size(), "both sides joined");
        CaseResult same = TestContexts.find(results, "futex/same-core");
        assertEquals(Status.OK, same.status(), same::reason);
        for (CaseResult r : results) {
            if (r.status() == Status.SKIPPED) continue;
            assertTrue(r.status() == Status.OK, () -> r.caseId() + ": " + r.status() + " " + r.reason());
            Map<String, String> p = r.params();
            double mean = num(p, "measured_mean_ns");
            double perHandoff = num(p, "mean_traced_cycle_ns");
            double remainder = num(p, "remainder_mean_ns");
            assertEquals(mean, perHandoff + remainder, 0.2, () -> r.caseId() + ": phases + remainder = measured " + p);
            assertTrue(Math.abs(remainder) <= 0.1 * mean, () -> r.caseId() + ": remainder " + remainder + " of " + mean + " " + p);
            double phases = 0;
            for (String phase : SwitchAnatomyProbe.PHASES_AND_REST) {
                if (p.containsKey(phase + ".per_handoff_ns")) phases += num(p, phase + ".per_handoff_ns");
            }
            assertEquals(perHandoff, phases, 1.0, () -> r.caseId() + ": the per-handoff phases sum to the traced cycle " + p);
            assertEquals(num(p, "measured_median_ns"), num(p, "sum_of_phase_medians_ns") + num(p, "remainder_median_ns"), 0.2);
            assertTrue(num(p, "cycles_traced") >= 0.9 * num(p, "handoffs_timed"), () -> r.caseId() + ": " + p);
            assertTrue(r.notes().getFirst().contains("remainder"), r.notes().getFirst());
        }
    }

    private static double num(Map<String, String> p, String key) {
        return Double.parseDouble(p.get(key));
    }
}
