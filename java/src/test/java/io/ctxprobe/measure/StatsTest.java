package io.ctxprobe.measure;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StatsTest {

    @Test
    void summarisesOddCountExactly() {
        Stats s = Stats.of(new double[] {5, 1, 4, 2, 3});
        assertEquals(3, s.median());
        assertEquals(1, s.min());
        assertEquals(5, s.max());
        assertEquals(3, s.mean());
        assertEquals(1, s.mad());      // deviations 2,2,1,1,0 -> median 1
        assertEquals(5, s.n());
        assertEquals(1.2, s.p5(), 1e-9);   // rank 0.2 between 1 and 2
        assertEquals(4.8, s.p95(), 1e-9);
    }

    @Test
    void medianOfEvenCountInterpolates() {
        assertEquals(2.5, Stats.of(new double[] {4, 1, 3, 2}).median());
    }

    @Test
    void oneOutlierMovesMeanButNotMedianOrMad() {
        Stats s = Stats.of(new double[] {10, 10, 10, 10, 1000});
        assertEquals(10, s.median());
        assertEquals(0, s.mad());
        assertEquals(208, s.mean());
    }

    @Test
    void singleValue() {
        Stats s = Stats.of(new double[] {7});
        assertEquals(7, s.p5());
        assertEquals(7, s.p95());
        assertEquals(0, s.mad());
    }

    @Test
    void emptyIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Stats.of(new double[0]));
    }
}
