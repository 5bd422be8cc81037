package io.ctxprobe.measure;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The ratio of two cases' medians with a confidence interval drawn from their raw batch samples, so
 * that "A is cheaper than B" or "NEW is slower than BASE" is decided by a stated test, not by which
 * of two medians happens to be lower.
 *
 * <p>Method: percentile bootstrap of the ratio of medians. Each of {@value #RESAMPLES} rounds draws
 * each side's batches with replacement (the two sides independently) and takes the ratio of the
 * resampled medians; the interval is the 2.5th and 97.5th percentile of those ratios (95%). The
 * random stream has a fixed seed, so the same samples give the same interval in every run and every
 * report. The median (not the mean) keeps one preempted batch from moving the figure, and the
 * bootstrap makes no assumption about the shape of either distribution: it works on overlapping,
 * skewed and heavy-tailed batches alike, which a p5–p95 overlap check does not.
 *
 * @param ratio median(numerator) / median(denominator)
 * @param low lower bound of the 95% interval of the ratio
 * @param high upper bound of the 95% interval of the ratio
 */
public record RatioEstimate(double ratio, double low, double high) {

    /** Bootstrap rounds: the interval's ends move by well under 1% between seeds at this count. */
    public static final int RESAMPLES = 2000;
    /** Coverage of the interval. */
    public static final double CONFIDENCE = 0.95;
    /** The one-line statement of the method, for reports and notes. */
    public static final String METHOD = "bootstrap 95% interval of the ratio of medians (" + RESAMPLES
            + " resamples of the batches, fixed seed)";

    private static final long SEED = 0x6374_7870_726f_6265L; // "ctxprobe"

    /** How a ratio stands against a bound, given its interval. */
    public enum Verdict {
        /** The whole interval lies below the bound. */
        BELOW,
        /** The interval contains the bound: the data cannot tell the two apart. */
        WITHIN_NOISE,
        /** The whole interval lies above the bound. */
        ABOVE
    }

    /** The estimate for median(numerator) / median(denominator); both need at least one positive sample. */
    public static RatioEstimate of(double[] numerator, double[] denominator) {
        if (numerator.length == 0 || denominator.length == 0) {
            throw new IllegalArgumentException("a ratio needs samples on both sides");
        }
        double[] num = numerator.clone();
        double[] den = denominator.clone();
        double ratio = median(num) / median(den);
        SplittableRandom random = new SplittableRandom(SEED);
        double[] ratios = new double[RESAMPLES];
        double[] a = new double[num.length];
        double[] b = new double[den.length];
        for (int r = 0; r < RESAMPLES; r++) {
            resample(num, a, random);
            resample(den, b, random);
            ratios[r] = median(a) / median(b);
        }
        Arrays.sort(ratios);
        double tail = (1 - CONFIDENCE) / 2 * 100;
        return new RatioEstimate(ratio, Stats.percentile(ratios, tail), Stats.percentile(ratios, 100 - tail));
    }

    /** Where the interval lies relative to {@code bound} (1.0 for "cheaper or dearer", 1.10 for a 10% threshold). */
    public Verdict against(double bound) {
        if (high < bound) {
            return Verdict.BELOW;
        }
        if (low > bound) {
            return Verdict.ABOVE;
        }
        return Verdict.WITHIN_NOISE;
    }

    /** "x1.23 (95% 1.18-1.29)". */
    public String describe() {
        return String.format("x%.3g (95%% %.3g-%.3g)", ratio, low, high);
    }

    private static void resample(double[] from, double[] into, SplittableRandom random) {
        for (int i = 0; i < into.length; i++) {
            into[i] = from[random.nextInt(from.length)];
        }
    }

    /** Sorts {@code values} in place and returns their median. */
    private static double median(double[] values) {
        Arrays.sort(values);
        return Stats.percentile(values, 50);
    }
}
