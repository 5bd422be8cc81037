package io.ctxprobe.report.format;

import java.util.Locale;

/**
 * What a case's unit says about its numbers: time units ("ns/switch", "us/create", "ms") scale to
 * nanoseconds so cases in different units share one axis; rates ("MB/s") are better when higher,
 * everything else ctxprobe measures (time, memory) when lower.
 */
public final class UnitScale {

    private UnitScale() {}

    /** Nanoseconds per unit of this unit's figure (1 for "ns/...", 1000 for "us/..."), NaN when not a time. */
    public static double nsFactor(String unit) {
        if (unit == null) return Double.NaN;
        String head = unit.split("/", 2)[0].trim().toLowerCase(Locale.ROOT);
        return switch (head) {
            case "ns" -> 1;
            case "us", "µs", "μs" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            default -> Double.NaN;
        };
    }

    public static boolean isTime(String unit) {
        return !Double.isNaN(nsFactor(unit));
    }

    /** A rate (per second): a bigger figure is the better one. */
    public static boolean higherIsBetter(String unit) {
        return unit != null && unit.endsWith("/s");
    }
}
