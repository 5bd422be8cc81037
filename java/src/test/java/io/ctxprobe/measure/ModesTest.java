package io.ctxprobe.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Mixture detection on synthetic batch values whose truth the test knows. */
class ModesTest {

    private static double[] mixture(Random random, int n1, double m1, int n2, double m2, double sigma) {
        double[] out = new double[n1 + n2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (i < n1 ? m1 : m2) * Math.exp(sigma * random.nextGaussian());
        }
        return out;
    }

    @Test
    void twoSeparateGroupsAreTwoModesWithTheirValuesAndShares() {
        Modes modes = Modes.of(mixture(new Random(5), 15, 2500, 16, 5000, 0.03));
        assertTrue(modes.multimodal(), modes.describe());
        assertEquals(2, modes.modes().size(), modes.describe());
        assertEquals(2500, modes.modes().get(0).value(), 100);
        assertEquals(5000, modes.modes().get(1).value(), 200);
        assertEquals(15.0 / 31, modes.modes().get(0).share(), 1e-9);
        assertEquals(16, modes.modes().get(1).n());
    }

    @Test
    void oneNoisyGroupIsOneModeAlmostAlways() {
        Random random = new Random(6);
        int single = 0;
        for (int trial = 0; trial < 50; trial++) {
            if (!Modes.of(mixture(random, 31, 1000, 0, 0, 0.15)).multimodal()) single++;
        }
        assertTrue(single >= 48, "one mode in " + single + " of 50 unimodal sample sets");
    }

    @Test
    void aFewPreemptedBatchesAreATailNotAMode() {
        double[] values = mixture(new Random(7), 29, 1000, 2, 3500, 0.02);
        Modes modes = Modes.of(values);
        assertFalse(modes.multimodal(), modes.describe());
        assertEquals(1.0, modes.modes().getFirst().share());
    }

    @Test
    void tooFewValuesAreNeverCalledMixed() {
        assertFalse(Modes.of(new double[] {1, 1, 1, 5, 5, 5, 5}).multimodal());
        assertEquals(0, Modes.of(new double[0]).modes().size());
    }

    @Test
    void identicalValuesAreOneMode() {
        double[] same = new double[20];
        java.util.Arrays.fill(same, 42.0);
        Modes modes = Modes.of(same);
        assertEquals(1, modes.modes().size());
        assertEquals(42.0, modes.modes().getFirst().value());
    }
}
