package io.ctxprobe.probes.tlb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The TLB's steps in a measured reach curve (pure: per-point ns per load in, steps out; the probe
 * feeds each point's fastest batch). At each N (ascending) {@code d(N) = sparse(N) - packed(N)}, the ns per load the TLB adds when the same N lines
 * lie one per page instead of packed; {@code u}, the smallest packed median of the curve, is one
 * cache-hit dependent load on this host, the noise yardstick (the minimum, because interference
 * only ever slows a point: one disturbed packed point must not raise the yardstick).
 *
 * <p><b>Step rule.</b> Walking N upward, the plateau is the median of d over the points since the
 * last step (at first: since the first point). The point k is a step when
 * {@code d(k) > plateau + max(u, |plateau|)} — it exceeds the plateau by at least one cache-hit
 * load and at least doubles it — and the next point (if there is one) is above the same threshold
 * too, so one noisy median is not a step; after a first step, a second one must also exceed twice
 * the first step's level (a transition spread over a few N is one step). A TLB that is exactly
 * full already misses a little (set conflicts of a random page set), so the reach is not simply the
 * N before k: with {@code above} the median of d at k and k+1, the reach is the N just before the
 * first point of the unbroken run of points, ending at k or k+1, whose d reaches the midpoint
 * {@code (plateau + above) / 2}. The L1 reach is the first step's, the L2 reach the second's. The
 * page-walk penalty is the median of d over the points from the second step's midpoint crossing on
 * (each load there misses both levels: a random cycle through more pages than an LRU-like TLB
 * holds evicts every entry before its reuse).
 */
final class TlbReachCurve {

    /**
     * A found step: the index of the first point at or above its midpoint, and the N just before it
     * (the coarse reach); the plateau it rose from (its first index and median d) and the index k of
     * the point that confirmed it (k and k+1 both above the threshold).
     */
    record Step(int index, long reachPages, long firstAbovePages, int plateauFrom, double plateau, int confirmedAt) {}

    private final long[] pages;
    private final double[] d;
    private final double u;
    private final List<Step> steps;

    TlbReachCurve(long[] pages, double[] sparse, double[] packed) {
        if (pages.length != sparse.length || pages.length != packed.length || pages.length < 2) {
            throw new IllegalArgumentException("need matching sparse and packed medians at two or more N");
        }
        this.pages = pages.clone();
        this.d = new double[pages.length];
        for (int i = 0; i < d.length; i++) d[i] = sparse[i] - packed[i];
        this.u = Arrays.stream(packed).min().orElseThrow();
        this.steps = findSteps();
    }

    private List<Step> findSteps() {
        List<Step> out = new ArrayList<>();
        int start = 0;
        double lastStepValue = Double.NaN;
        for (int k = 1; k < d.length; k++) {
            double plateau = median(Arrays.copyOfRange(d, start, k));
            double threshold = plateau + Math.max(u, Math.abs(plateau));
            if (!Double.isNaN(lastStepValue)) threshold = Math.max(threshold, 2 * lastStepValue);
            boolean above = d[k] > threshold && (k + 1 == d.length || d[k + 1] > threshold);
            if (above) {
                double level = k + 1 < d.length ? (d[k] + d[k + 1]) / 2 : d[k];
                double mid = (plateau + level) / 2;
                // from k: forward to k+1 if d(k) is still below the midpoint, else back over the run of
                // points at or above it (a lone noisy point earlier on the plateau does not count)
                int j = d[k] < mid && k + 1 < d.length ? k + 1 : k;
                while (j - 1 > start && d[j - 1] >= mid) j--;
                out.add(new Step(j, pages[j - 1], pages[j], start, plateau, k));
                start = j;
                lastStepValue = d[j];
                k = j;
            }
        }
        return out;
    }

    double difference(int i) {
        return d[i];
    }

    /** The cache-hit yardstick u (the smallest packed median). */
    double unit() {
        return u;
    }

    List<Step> steps() {
        return steps;
    }

    /** The first step (L1), or null when none in the measured range. */
    Step l1() {
        return steps.isEmpty() ? null : steps.get(0);
    }

    /** The second step (L2), or null when none in the measured range. */
    Step l2() {
        return steps.size() < 2 ? null : steps.get(1);
    }

    /** Median d over the points from the L2 step on; NaN when there is no L2 step. */
    double walkPenalty() {
        Step s = l2();
        return s == null ? Double.NaN : median(Arrays.copyOfRange(d, s.index(), d.length));
    }

    /** Smallest and largest d from the L2 step on (the spread behind {@link #walkPenalty}). */
    double[] walkRange() {
        Step s = l2();
        if (s == null) return null;
        double[] tail = Arrays.copyOfRange(d, s.index(), d.length);
        return new double[] {Arrays.stream(tail).min().orElseThrow(), Arrays.stream(tail).max().orElseThrow()};
    }

    long pagesAt(int i) {
        return pages[i];
    }

    int size() {
        return pages.length;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
