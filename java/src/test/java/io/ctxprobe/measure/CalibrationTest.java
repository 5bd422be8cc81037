package io.ctxprobe.measure;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CalibrationTest {

    @Test
    void fillsTheTargetBatch() {
        assertEquals(1_000, Calibration.opsFor(1_000, 1_000_000, 1, 1_000_000));
        assertEquals(334, Calibration.opsFor(3, 1_000, 1, 1_000_000));
    }

    @Test
    void clampsToTheRange() {
        assertEquals(100, Calibration.opsFor(1e9, 1_000_000, 100, 1_000));
        assertEquals(1_000, Calibration.opsFor(0.001, 1_000_000, 100, 1_000));
    }

    @Test
    void aPilotTooFastToSeeGivesTheSmallestBatch() {
        assertEquals(100, Calibration.opsFor(0, 1_000_000, 100, 1_000));
    }

    @Test
    void badRangeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Calibration.opsFor(1, 1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new BatchPlan(0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new BatchPlan(0, 1, 0));
    }
}
