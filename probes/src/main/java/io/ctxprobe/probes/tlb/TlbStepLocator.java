package io.ctxprobe.probes.tlb;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where a tlb.reach curve steps, located by successive refinement. Pure: the samples measured so
 * far in; out, the next N to measure (none once every step is located) and the located intervals.
 * The probe, the tests on recorded curves and the bench's C curve all go through this one rule.
 *
 * <p><b>Samples.</b> One sample is one measurement of sparse and packed (median ns per load) at N;
 * an N may be measured twice. Interference only ever slows a chase, so repeats combine by the
 * minimum of each side: {@code d(N) = min sparse(N) - min packed(N)}.
 *
 * <p><b>Coarse steps.</b> {@link TlbReachCurve}'s rule over the coarse grid finds each step (L1 the
 * first, L2 the second): its plateau level a and the point k that confirmed it. The step's top b is
 * d at k+1 (at k when k is the last point). Before any refinement every coarse point up to the
 * first step's top is measured a second time (cheap: small N; a disturbed plateau would otherwise
 * hide the L1 step, or invent one), then each later step's top.
 *
 * <p><b>Two boundaries per step.</b> The rise starts where d first exceeds a by 5% of the step's
 * height b - a (at least a tenth of a cache-hit load u); it saturates where d first reaches 90% of
 * the height. For a threshold t, over the step's range (its plateau's first N up to k+1): the
 * boundary's upper N is the smallest measured N from which every measured point up to k+1 is at or
 * above t; its lower N is the measured point just before it (below t). A slow point followed by a
 * point below t is therefore never the boundary: a step must hold for the following points.
 *
 * <p><b>Refinement.</b> While {@code upper - lower > tol(lower)}, with tol(N) = max(4 pages, 5% of N)
 * in multiples of 4, measure the midpoint (on a 4-page grid). Then measure upper a second time
 * (a slow point re-measured is no longer slow; a point below t cannot be a slow blip), and check
 * the step holds: a measured point in each of the next two tol-wide windows past upper (those below
 * k+1). A sharp step (a fully associative L1) ends with both boundaries in one
 * 4-page interval; a gradual one (a set-associative L2, filling set by set) with two intervals apart.
 * At most {@link #MAX_REFINED_PER_LEVEL} refined measurements per step; past that the step is
 * reported not located, with the interval reached.
 */
public final class TlbStepLocator {

    static final long GRAIN = 4;
    static final double START_FRACTION = 0.05;
    static final double SATURATION_FRACTION = 0.90;
    static final int REPEATS = 2;
    static final int HOLD = 2;
    static final int MAX_REFINED_PER_LEVEL = 24;
    static final int LEVELS = 2;

    private TlbStepLocator() {}

    /** One measurement at N: sparse and packed median ns per load. */
    public record Sample(long pages, double sparseNs, double packedNs) {}

    /** The next N to measure, for which level (1 or 2), and why. */
    public record Request(long pages, int level, String why) {}

    /**
     * One boundary of a step at threshold t (ns per load of d): {@code lower} the last measured N
     * below t, {@code upper} the first N from which every measured point is at or above t, with d at
     * both (lower is -1 and dLower NaN when even the range's first point is above t).
     */
    public record Boundary(double threshold, long lower, long upper, double dLower, double dUpper, boolean located, String why) {}

    /** A step: plateau and top levels (d, ns per load), where the rise starts and where it saturates. */
    public record Level(int level, double plateau, double top, long topPages, Boundary start, Boundary saturation, int refined) {
        public boolean located() {
            return start.located() && saturation.located();
        }

        /** True when the rise and the saturation were found in different intervals. */
        public boolean gradual() {
            return saturation.upper() > start.upper();
        }
    }

    /** All measurements at one N, combined. */
    private record Point(long pages, double sparse, double packed, int count) {
        double d() {
            return sparse - packed;
        }
    }

    private record Found(Boundary boundary, Request request) {}

    private record Walk(List<Level> levels, Request request) {}

    /** The next N to measure, or empty when every step found is located (or out of budget). */
    static Optional<Request> next(long[] coarse, List<Sample> samples) {
        return next(coarse, samples, LEVELS);
    }

    /** As {@link #next(long[], List)}, refining only the first {@code refine} steps (1: L1 only). */
    static Optional<Request> next(long[] coarse, List<Sample> samples, int refine) {
        return Optional.ofNullable(walk(coarse, samples, refine).request());
    }

    /** The steps as located so far (L1, then L2 when the coarse curve has a second step). */
    static List<Level> levels(long[] coarse, List<Sample> samples) {
        return levels(coarse, samples, LEVELS);
    }

    /**
     * As {@link #levels(long[], List)}; a step past the first {@code refine} is reported with the
     * interval the points so far give, not located, its boundaries' why starting with {@link #COARSE_ONLY}.
     */
    static List<Level> levels(long[] coarse, List<Sample> samples, int refine) {
        return walk(coarse, samples, refine).levels();
    }

    static final String COARSE_ONLY = "not refined";

    /**
     * The rule over a curve measured in full beforehand (the bench's C curve, a recorded curve): each
     * N the refinement asks for is answered from the curve — a measured N repeats its own sample (a
     * re-measure adds nothing), any other N is interpolated linearly between its measured neighbours.
     * {@code coarse} is the grid the coarse rule sees (every measured N for a fine curve).
     */
    public static List<Level> locateOnCurve(long[] pages, double[] sparse, double[] packed, long[] coarse) {
        if (pages.length != sparse.length || pages.length != packed.length || pages.length < 2) {
            throw new IllegalArgumentException("need matching sparse and packed values at two or more N");
        }
        List<Sample> samples = new ArrayList<>();
        for (long n : coarse) samples.add(interpolate(pages, sparse, packed, n));
        for (int i = 0; i < LEVELS * (MAX_REFINED_PER_LEVEL + 2); i++) {
            Optional<Request> r = next(coarse, samples);
            if (r.isEmpty()) break;
            samples.add(interpolate(pages, sparse, packed, r.get().pages()));
        }
        return levels(coarse, samples);
    }

    private static Sample interpolate(long[] pages, double[] sparse, double[] packed, long n) {
        int hi = 0;
        while (hi < pages.length - 1 && pages[hi] < n) hi++;
        if (pages[hi] == n || hi == 0 || pages[hi] < n) return new Sample(n, sparse[hi], packed[hi]);
        double f = (double) (n - pages[hi - 1]) / (pages[hi] - pages[hi - 1]);
        return new Sample(n, sparse[hi - 1] + f * (sparse[hi] - sparse[hi - 1]), packed[hi - 1] + f * (packed[hi] - packed[hi - 1]));
    }

    /** The coarse rule's curve over the coarse N that have samples (repeats combined); null with fewer than 2. */
    static TlbReachCurve coarseCurve(long[] coarse, List<Sample> samples) {
        return coarseCurve(coarse, combine(samples));
    }

    /** Tolerance at N: max(4 pages, 5% of N), in whole multiples of 4 pages. */
    static long tolerance(long pages) {
        return Math.max(GRAIN, (long) (0.05 * pages / GRAIN) * GRAIN);
    }

    /**
     * CPUID's figure against a step: "agrees" when the entries lie between where the rise starts (its
     * lower N) and where it saturates (its upper N), else "disagrees by X pages" (on the interval the
     * points give, located or not: the case says which).
     */
    static String cpuidVerdict(int entries, Level l) {
        if (l.start().lower() < 0 || l.saturation().upper() < 0) return "not compared: the step has no interval";
        long lo = l.start().lower();
        long hi = l.saturation().upper();
        if (entries >= lo && entries <= hi) return "agrees";
        return "disagrees by " + (entries < lo ? lo - entries : entries - hi) + " pages";
    }

    private static TreeMap<Long, Point> combine(List<Sample> samples) {
        TreeMap<Long, Point> points = new TreeMap<>();
        for (Sample s : samples) {
            if (Double.isNaN(s.sparseNs()) || Double.isNaN(s.packedNs())) continue;
            points.merge(s.pages(), new Point(s.pages(), s.sparseNs(), s.packedNs(), 1), (a, b) -> new Point(a.pages(),
                    Math.min(a.sparse(), b.sparse()), Math.min(a.packed(), b.packed()), a.count() + b.count()));
        }
        return points;
    }

    private static TlbReachCurve coarseCurve(long[] coarse, TreeMap<Long, Point> points) {
        List<Point> on = new ArrayList<>();
        for (long n : coarse) {
            Point p = points.get(n);
            if (p != null) on.add(p);
        }
        if (on.size() < 2) return null;
        return new TlbReachCurve(on.stream().mapToLong(Point::pages).toArray(),
                on.stream().mapToDouble(Point::sparse).toArray(), on.stream().mapToDouble(Point::packed).toArray());
    }

    private static Walk walk(long[] coarse, List<Sample> samples, int refine) {
        TreeMap<Long, Point> points = combine(samples);
        TlbReachCurve c = coarseCurve(coarse, points);
        List<Level> levels = new ArrayList<>();
        if (c == null) return new Walk(levels, null);
        Request coarseAgain = null;
        if (!c.steps().isEmpty()) {
            long firstTop = c.pagesAt(Math.min(c.steps().get(0).confirmedAt() + 1, c.size() - 1));
            for (long n : coarse) {
                Point p = points.get(n);
                if (n <= firstTop && p != null && p.count() < REPEATS) {
                    coarseAgain = new Request(n, 1, "L1: re-measure the coarse points up to the first step's top");
                    break;
                }
            }
        }
        Request first = coarseAgain;
        for (int l = 0; l < Math.min(LEVELS, c.steps().size()); l++) {
            TlbReachCurve.Step s = c.steps().get(l);
            long topPages = c.pagesAt(Math.min(s.confirmedAt() + 1, c.size() - 1));
            List<Point> range = new ArrayList<>(points.subMap(c.pagesAt(s.plateauFrom()), true, topPages, true).values());
            int refined = 0;
            for (Point p : range) refined += p.count() - (contains(coarse, p.pages()) ? 1 : 0);
            boolean budget = refined < MAX_REFINED_PER_LEVEL;
            double a = s.plateau();
            double b = points.get(topPages).d();
            double tStart = a + Math.max(START_FRACTION * (b - a), 0.1 * c.unit());
            double tSaturated = a + SATURATION_FRACTION * (b - a);
            Request pre = points.get(topPages).count() < REPEATS
                    ? new Request(topPages, l + 1, "L" + (l + 1) + ": re-measure the step's top") : null;
            Found start = boundary(range, tStart, topPages, l + 1, "where the rise starts", budget);
            Found sat = boundary(range, tSaturated, topPages, l + 1, "where it saturates", budget);
            Boundary startB = start.boundary();
            Boundary satB = sat.boundary();
            String pending = l >= refine ? COARSE_ONLY + " (the interval between the points measured)"
                    : coarseAgain != null ? "the coarse points are not re-measured yet"
                    : pre != null && budget ? "the step's top is not re-measured yet" : null;
            if (pending != null) {
                startB = unlocated(startB, pending);
                satB = unlocated(satB, pending);
            }
            levels.add(new Level(l + 1, a, b, topPages, startB, satB, refined));
            if (first == null && budget && l < refine) first = firstOf(pre, start.request(), sat.request());
        }
        return new Walk(levels, first);
    }

    private static Found boundary(List<Point> range, double t, long topPages, int level, String name, boolean budget) {
        int f = range.size() - 1;
        if (range.get(f).d() < t) {
            return new Found(new Boundary(t, -1, -1, Double.NaN, range.get(f).d(), false, "the curve never reaches the threshold"), null);
        }
        while (f > 0 && range.get(f - 1).d() >= t) f--;
        Point hi = range.get(f);
        if (f == 0) {
            return new Found(new Boundary(t, -1, hi.pages(), Double.NaN, hi.d(), false,
                    "at or above the threshold from the range's first point"), null);
        }
        Point lo = range.get(f - 1);
        String where = "L" + level + " " + name + ": ";
        Request r = null;
        if (hi.pages() - lo.pages() > tolerance(lo.pages())) {
            r = new Request(midpoint(lo.pages(), hi.pages()), level, where + "between " + lo.pages() + " and " + hi.pages());
        } else if (hi.count() < REPEATS) {
            r = new Request(hi.pages(), level, where + "re-measure the first point above");
        } else {
            long tol = tolerance(hi.pages());
            for (int i = 1; i <= HOLD && r == null; i++) {
                long from = hi.pages() + (i - 1) * tol;
                long to = hi.pages() + i * tol;
                if (to >= topPages) break;
                boolean measured = range.stream().anyMatch(p -> p.pages() > from && p.pages() <= to);
                if (!measured) r = new Request(to, level, where + "does the step hold at " + to + "?");
            }
        }
        boolean located = r == null;
        String why = located ? "located" : budget ? "refining: " + r.why()
                : "not located: the refinement budget (" + MAX_REFINED_PER_LEVEL + " points) is spent";
        return new Found(new Boundary(t, lo.pages(), hi.pages(), lo.d(), hi.d(), located, why), r);
    }

    private static Boundary unlocated(Boundary b, String why) {
        return new Boundary(b.threshold(), b.lower(), b.upper(), b.dLower(), b.dUpper(), false, why);
    }

    /** The midpoint on the 4-page grid, strictly inside (lo, hi). */
    static long midpoint(long lo, long hi) {
        long m = (lo + hi) / 2 / GRAIN * GRAIN;
        return m > lo && m < hi ? m : lo + (hi - lo) / 2;
    }

    private static Request firstOf(Request... rs) {
        for (Request r : rs) if (r != null) return r;
        return null;
    }

    private static boolean contains(long[] a, long v) {
        for (long x : a) if (x == v) return true;
        return false;
    }
}
