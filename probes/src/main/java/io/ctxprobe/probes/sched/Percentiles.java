package io.ctxprobe.probes.sched;

import java.util.Arrays;
import java.util.Locale;

/** Tail percentiles of one case's samples (the report's Stats stop at p95): nearest rank, no interpolation. */
public final class Percentiles {
    private Percentiles() {}

    /** The smallest sample with at least p percent of the samples at or below it; NaN when empty. */
    public static double of(double[] values, double p) {
        if (values.length == 0) return Double.NaN;
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
    }

    public static double[] toDoubles(long[] values, double divisor) {
        return Arrays.stream(values).mapToDouble(v -> v / divisor).toArray();
    }

    /** "3.1" style: enough digits for a figure, none invented. */
    public static String format(double v) {
        if (Double.isNaN(v)) return "n/a";
        double a = Math.abs(v);
        return String.format(Locale.ROOT, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f", v);
    }
}
