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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The anatomy on this host where tracepoints may be sampled; skipped with the probe's reason elsewhere. */
class SwitchAnatomyProbeTest {

    @Test
    void sameCoreFutexPhasesAddUpToTheMeasuredHandoff() throws Exception {
        ProbeContext ctx = TestContexts.quick(EnumSet.of(Placement.SAME_CORE, Placement.CROSS_CORE), List.of("futex"));
        SwitchAnatomyProbe probe = new SwitchAnatomyProbe();
        String why = probe.unavailableReason(ctx);
        Assumptions.assumeTrue(why == null, () -> "switch.anatomy unavailable here: " + why);
        List<CaseResult> results = probe.run(ctx);
        results.forEach(r -> System.out.println(r.caseId() + " " + r.status() + " " + r.reason() + " " + r.params() + " " + r.notes()));
        CaseResult same = TestContexts.find(results, "futex/same-core");
        assertEquals(Status.OK, same.status(), same::reason);
    }
}
