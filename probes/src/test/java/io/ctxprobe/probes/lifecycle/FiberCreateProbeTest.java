package io.ctxprobe.probes.lifecycle;

import io.ctxprobe.linux.NativeFiber;
import io.ctxprobe.probe.Placement;
import io.ctxprobe.probes.TestContexts;
import io.ctxprobe.probes.measurement.PlacedCases;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.Status;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** fiber.create pooled-stack: timed from every placed copy, each creating every fiber it was asked to. */
class FiberCreateProbeTest {

    @Test
    void pooledStackReportsEveryPlacementAndTheFibersEachCreated() {
        CaseResult pooled = TestContexts.find(new FiberCreateProbe().run(TestContexts.quick(EnumSet.of(Placement.SAME_CORE))),
                "pooled-stack");
        assertTrue(pooled.status() == Status.OK || pooled.status() == Status.FLAGGED, pooled::reason);
        PlacedCases p = PlacedCases.assertPlaced(pooled, 1);   // one fiber per create
        assertEquals(NativeFiber.LOOP_PLACEMENTS, p.copies());
    }
}
