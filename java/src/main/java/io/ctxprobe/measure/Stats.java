package io.ctxprobe.measure;

import java.util.Arrays;

/**
 * Summary of one case's per-batch values (ns per operation, usually). Percentiles use linear
 * interpolation between order statistics; {@code mad} is the median absolute deviation (unscaled),
 * the spread measure that one preempted batch cannot drag around. {@code n} is the number of batches.
 */
public record Stats(double median, double p5, double p95, double min, double max, double mean,
                    double mad, int n) {

    public Stats {
        if (n <= 0) throw new IllegalArgumentException("stats need at least one value");
    }

    public static Stats of(double[] values) {
        if (values.length == 0) throw new IllegalArgumentException("stats need at least one value");
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double median = percentile(sorted, 50);
        double[] deviations = new double[sorted.length];
        double sum = 0;
        for (int i = 0; i < sorted.length; i++) {
            deviations[i] = Math.abs(sorted[i] - median);
            sum += sorted[i];
        }
        Arrays.sort(deviations);
        return new Stats(median, percentile(sorted, 5), percentile(sorted, 95), sorted[0],
                sorted[sorted.length - 1], sum / sorted.length, percentile(deviations, 50), sorted.length);
    }

    /** Percentile p in [0, 100] of already sorted values, interpolating between neighbours. */
    static double percentile(double[] sorted, double p) {
        if (sorted.length == 1) return sorted[0];
        double rank = p / 100.0 * (sorted.length - 1);
        int lo = (int) Math.floor(rank);
        int hi = (int) Math.ceil(rank);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
    }
}
