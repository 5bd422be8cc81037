package io.ctxprobe.probes.lifecycle;

import io.ctxprobe.measure.Stats;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.Derived;
import io.ctxprobe.report.Status;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lifecycle probes' derived figures, computed from given cases (pure: no measurement). */
class DerivedFiguresTest {

    @Test
    void forkCostPerMibTouchedIsTheSlopeFromTheZeroPoint() {
        List<CaseResult> curve = ProcessCreateProbe.perMib(List.of(
                measured("process.create", "fork/helper-touched-0MiB", "us/create", Map.of("touched_mib", "0"), 60),
                measured("process.create", "fork/helper-touched-16MiB", "us/create", Map.of("touched_mib", "16"), 580),
                CaseResult.failed("process.create", "fork/helper-touched-256MiB", Map.of("touched_mib", "256"), "us/create", "x")));
        assertTrue(curve.get(0).derivedOrEmpty().isEmpty(), "the 0 MiB point is the base");
        Derived slope = curve.get(1).derived(ProcessCreateProbe.PER_MIB).orElseThrow();
        assertEquals(520.0 / 16, slope.value(), 1e-9);
        assertEquals("us/MiB", slope.unit());
        assertEquals(List.of("process.create/fork/helper-touched-16MiB", "process.create/fork/helper-touched-0MiB"), slope.from());
        assertTrue(curve.get(2).derivedOrEmpty().isEmpty(), "no figure from a case that did not measure");
    }

    @Test
    void noZeroPointNoSlope() {
        List<CaseResult> curve = ProcessCreateProbe.perMib(List.of(
                measured("process.create", "fork/helper-touched-16MiB", "us/create", Map.of("touched_mib", "16"), 580)));
        assertTrue(curve.getFirst().derivedOrEmpty().isEmpty());
    }

    @Test
    void touchedFiberCarriesItsExtraOverTheUntouchedOne() {
        List<CaseResult> out = FootprintProbe.withTouchedExtra(List.of(
                measured("footprint", "fiber", "KiB/unit", Map.of(), 4.0),
                measured("footprint", "fiber-touched", "KiB/unit", Map.of(), 20.0)));
        Derived extra = out.get(1).derived(FootprintProbe.TOUCHED_EXTRA).orElseThrow();
        assertEquals(16.0, extra.value(), 1e-9);
        assertEquals(List.of("footprint/fiber-touched", "footprint/fiber"), extra.from());
    }

    private static CaseResult measured(String probe, String id, String unit, Map<String, String> params, double value) {
        return new CaseResult(probe, id, params, unit, Status.OK, null, Stats.of(new double[] {value, value, value}), null, null,
                null, List.of(value, value, value), null, null, null, null);
    }
}
