package io.ctxprobe.report.format;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A linear or logarithmic mapping from data values onto pixels, with the tick values an axis
 * shows: decades (with 2 and 5 when the range is short) on a log scale, 1-2-5 steps on a linear
 * one. A log scale over values that are not all positive falls back to linear.
 */
record SvgScale(double lo, double hi, boolean log, double from, double to, int base) {

    /** A scale covering {@code min..max} onto pixels {@code from..to}; {@code base} 10 or 2 for log. */
    static SvgScale of(double min, double max, boolean log, double from, double to, int base) {
        if (log && min > 0 && max > 0) {
            double lo = Math.pow(base, Math.floor(Math.log(min) / Math.log(base)));
            double hi = Math.pow(base, Math.ceil(Math.log(max) / Math.log(base)));
            if (hi <= lo) hi = lo * base;
            return new SvgScale(lo, hi, true, from, to, base);
        }
        double lo = Math.min(0, min);
        double hi = max <= lo ? lo + 1 : niceCeil(max);
        return new SvgScale(lo, hi, false, from, to, base);
    }

    double px(double v) {
        double t = log ? (Math.log(Math.max(v, lo)) - Math.log(lo)) / (Math.log(hi) - Math.log(lo)) : (v - lo) / (hi - lo);
        return from + t * (to - from);
    }

    List<Double> ticks() {
        List<Double> out = new ArrayList<>();
        if (log) {
            int decades = (int) Math.round(Math.log(hi / lo) / Math.log(base));
            for (double v = lo; v <= hi * 1.0001; v *= base) {
                out.add(v);
                if (base == 10 && decades <= 2 && v * 2 < hi) {
                    out.add(v * 2);
                    out.add(v * 5);
                }
            }
            if (base == 2 && out.size() > 8) {   // every 2nd, 3rd... power of two: at most 8 ticks
                int stride = (out.size() + 7) / 8;
                List<Double> fewer = new ArrayList<>();
                for (int i = 0; i < out.size(); i += stride) fewer.add(out.get(i));
                return fewer;
            }
            return out;
        }
        double step = niceStep((hi - lo) / 5);
        for (double v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.add(v);
        return out;
    }

    static double niceCeil(double v) {
        double step = niceStep(v / 5);
        return Math.ceil(v / step) * step;
    }

    private static double niceStep(double raw) {
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double n = raw / mag;
        double nice = n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10;
        return nice * mag;
    }

    /** A pixel coordinate as SVG wants it: one decimal, a dot. */
    static String c(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
