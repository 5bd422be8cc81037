package io.ctxprobe.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The extend-then-flag decision on synthetic batch values. */
class MixtureCheckTest {

    private static double[] values(Random random, int n1, double m1, int n2, double m2, double sigma) {
        double[] out = new double[n1 + n2];
        for (int i = 0; i < out.length; i++) out[i] = (i < n1 ? m1 : m2) * Math.exp(sigma * random.nextGaussian());
        return out;
    }

    @Test
    void aTightCaseIsAccepted() {
        MixtureCheck c = MixtureCheck.of(values(new Random(1), 11, 1000, 0, 0, 0.02), 11, true);
        assertEquals(MixtureCheck.Action.ACCEPT, c.action());
        assertTrue(c.relativeSpread() < MixtureCheck.MAX_RELATIVE_SPREAD);
    }

    @Test
    void aWideCaseIsExtendedToTwiceItsBatchesThenAMixtureIsFlaggedWithItsModes() {
        double[] first = values(new Random(2), 6, 2500, 5, 5000, 0.02);
        MixtureCheck c = MixtureCheck.of(first, 11, true);
        assertEquals(MixtureCheck.Action.EXTEND, c.action());
        assertEquals(11, c.extraBatches());
        double[] all = values(new Random(3), 12, 2500, 10, 5000, 0.02);
        MixtureCheck after = MixtureCheck.of(all, 11, true);
        assertEquals(MixtureCheck.Action.FLAG_MIXED, after.action());
        assertEquals(2, after.modes().modes().size());
        assertTrue(after.mixedReason().startsWith("mixed: the batches fall into 2 modes:"), after.mixedReason());
    }

    @Test
    void noExtensionPastTheDeadline() {
        MixtureCheck c = MixtureCheck.of(values(new Random(4), 6, 2500, 6, 5000, 0.02), 11, false);
        assertEquals(MixtureCheck.Action.FLAG_MIXED, c.action());
    }

    @Test
    void aWideSingleModeIsATailNotAMixture() {
        double[] wide = values(new Random(5), 22, 1000, 0, 0, 0.25);
        MixtureCheck c = MixtureCheck.of(wide, 11, true);
        assertEquals(MixtureCheck.Action.ACCEPT_WIDE, c.action(), c.modes().describe() + " " + c.spreadText());
    }

    @Test
    void batchTimesAndValuesInTheUnitDecideAlike() {
        long[] ns = {5000, 5100, 9900, 10000, 5050, 10100, 4990, 9950, 5020, 10050, 5000};
        double[] perSwitch = new double[ns.length];
        for (int i = 0; i < ns.length; i++) perSwitch[i] = ns[i] / 2000.0;
        assertEquals(MixtureCheck.ofBatchNs(ns, 11, false).action(), MixtureCheck.of(perSwitch, 11, false).action());
    }
}
