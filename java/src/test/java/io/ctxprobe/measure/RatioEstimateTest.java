package io.ctxprobe.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctxprobe.measure.RatioEstimate.Verdict;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The verdict machinery on synthetic samples whose truth the test knows. */
class RatioEstimateTest {

    /** Log-normal batch values around {@code median} with multiplicative spread {@code sigma}. */
    private static double[] draw(Random random, int n, double median, double sigma) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = median * Math.exp(sigma * random.nextGaussian());
        }
        return out;
    }

    @Test
    void twoSampleSetsFromOneDistributionAreWithinNoise() {
        Random random = new Random(1);
        int withinNoise = 0;
        for (int trial = 0; trial < 20; trial++) {
            RatioEstimate e = RatioEstimate.of(draw(random, 31, 1000, 0.2), draw(random, 31, 1000, 0.2));
            if (e.against(1.0) == Verdict.WITHIN_NOISE) withinNoise++;
        }
        // A 95% interval covers the truth about 19 times in 20; far fewer would mean a biased test.
        assertTrue(withinNoise >= 16, "within noise in " + withinNoise + " of 20 same-distribution pairs");
    }

    @Test
    void heavilyOverlappingButClearlyShiftedSamplesAreTold() {
        Random random = new Random(2);
        double[] cheaper = draw(random, 200, 1000, 0.3);
        double[] dearer = draw(random, 200, 1150, 0.3);
        // The p5-p95 ranges overlap almost entirely: a range-overlap rule would call this noise.
        Stats a = Stats.of(cheaper);
        Stats b = Stats.of(dearer);
        assertTrue(a.p95() > b.p5() && a.p95() < b.p95(), "the spreads overlap: " + a + " vs " + b);
        RatioEstimate e = RatioEstimate.of(cheaper, dearer);
        assertEquals(Verdict.BELOW, e.against(1.0), e.describe());
        assertEquals(Verdict.ABOVE, RatioEstimate.of(dearer, cheaper).against(1.0));
    }

    @Test
    void fewNoisySamplesPastAThresholdAreWithinNoise() {
        double[] base = {1000, 700, 1400, 900, 1300};
        double[] next = {1150, 800, 1600, 1000, 1500};
        RatioEstimate e = RatioEstimate.of(next, base);
        assertTrue(e.ratio() > 1.10, "the medians alone say +" + e.ratio());
        assertEquals(Verdict.WITHIN_NOISE, e.against(1.10), e.describe());
    }

    @Test
    void manyTightSamplesShiftedJustPastAThresholdAreAbove() {
        Random random = new Random(3);
        double[] base = draw(random, 101, 1000, 0.01);
        double[] next = draw(random, 101, 1120, 0.01);
        RatioEstimate e = RatioEstimate.of(next, base);
        assertEquals(1.12, e.ratio(), 0.01);
        assertTrue(e.low() > 1.10, e.describe());
        assertEquals(Verdict.ABOVE, e.against(1.10));
    }

    @Test
    void theSameSamplesGiveTheSameInterval() {
        Random random = new Random(4);
        double[] x = draw(random, 31, 500, 0.2);
        double[] y = draw(random, 31, 600, 0.2);
        assertEquals(RatioEstimate.of(x, y), RatioEstimate.of(x, y));
        double[] copy = x.clone();
        RatioEstimate.of(x, y);
        assertEquals(java.util.Arrays.toString(copy), java.util.Arrays.toString(x), "the caller's samples are not reordered");
    }
}
