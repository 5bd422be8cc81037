package io.ctxprobe.probes.switching;

import io.ctxprobe.probes.TestContexts;
import io.ctxprobe.linux.CpuSet;
import io.ctxprobe.probe.Placement;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.Status;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CacheC2cProbeTest {

    @Test
    void everyOffDiagonalPairHasAValueAndSpinningNeverSwitched() throws Exception {
        ProbeContext ctx = TestContexts.quick(EnumSet.of(Placement.SAME_CORE));
        CacheC2cProbe probe = new CacheC2cProbe();
        if (ctx.cpus().size() < 2) {
            assertNotNull(probe.unavailableReason(ctx));
            return;
        }
        List<CaseResult> cells = probe.run(ctx);
        int n = ctx.cpus().size();
        assertEquals(n * (n - 1) / 2, cells.size());
        for (CaseResult cell : cells) {
            TestContexts.assertValid(cell);
            assertTrue(ThreadSwitchProbeTest.voluntaryPerRoundTrip(cell) < 0.01, cell.caseId() + ": a spinner never blocks");
            assertTrue(cell.stats().median() > 0);
        }
    }

    @Test
    void oneCpuIsUnavailableWithTheReason() {
        ProbeContext one = TestContexts.quick(CpuSet.of(0), EnumSet.of(Placement.SAME_CORE));
        assertTrue(new CacheC2cProbe().unavailableReason(one).startsWith("needs 2 CPUs"));
    }
}
