package io.ctxprobe.measure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The modes of a case's batch values. A clean measurement has one; a case whose batches fall into
 * two or more separate groups (a same-core process ping-pong at 2.5 µs in some batches and 5 µs in
 * others) is a mixture, and its median describes neither group — the report then gives each mode's
 * value and share instead.
 *
 * <p>Method: a Gaussian kernel density estimate of the log values (so the test is scale-free),
 * Silverman's bandwidth with a floor of {@value #MIN_BANDWIDTH} (2%: finer structure is timer and
 * code-placement jitter, not a second regime), split at the density's minima between its maxima.
 * A group is a mode only if it holds at least {@value #MIN_SHARE} of the batches and at least
 * {@value #MIN_COUNT} of them, and only if the density dips between it and its neighbour to below
 * {@value #MAX_VALLEY} of the smaller peak; otherwise it merges into its neighbour (a few preempted
 * batches are a tail, not a mode). Fewer than {@value #MIN_SAMPLES} values are never called mixed.
 *
 * @param modes by value, ascending; each with the median of its batches and its share of them
 */
public record Modes(List<Mode> modes) {

    static final double MIN_BANDWIDTH = 0.02;
    static final double MIN_SHARE = 0.10;
    static final int MIN_COUNT = 3;
    static final double MAX_VALLEY = 0.7;
    static final int MIN_SAMPLES = 8;
    private static final int GRID = 512;

    /** One group of batches: its median value, its share of all batches, how many. */
    public record Mode(double value, double share, int n) {}

    public Modes {
        modes = List.copyOf(modes);
    }

    public boolean multimodal() {
        return modes.size() > 1;
    }

    /** "2 modes: 2.51 (48%), 5.02 (52%)". */
    public String describe() {
        StringBuilder out = new StringBuilder(modes.size() + " modes:");
        for (int i = 0; i < modes.size(); i++) {
            Mode m = modes.get(i);
            out.append(i == 0 ? " " : ", ").append(String.format("%.4g (%.0f%%)", m.value(), 100 * m.share()));
        }
        return out.toString();
    }

    public static Modes of(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        if (sorted.length < MIN_SAMPLES || sorted[0] <= 0) {
            return single(sorted);
        }
        double[] logs = new double[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            logs[i] = Math.log(sorted[i]);
        }
        double h = Math.max(MIN_BANDWIDTH, silverman(logs));
        double lo = logs[0] - 3 * h;
        double step = (logs[logs.length - 1] + 3 * h - lo) / (GRID - 1);
        double[] density = new double[GRID];
        for (int g = 0; g < GRID; g++) {
            density[g] = kde(logs, lo + g * step, h);
        }
        List<Group> groups = groupsBetweenMinima(logs, density, lo, step);
        mergeWeakGroups(groups, logs.length);
        List<Mode> modes = new ArrayList<>();
        for (Group g : groups) {
            double[] members = Arrays.copyOfRange(sorted, g.from, g.to);
            modes.add(new Mode(Stats.percentile(members, 50), (double) members.length / sorted.length, members.length));
        }
        return new Modes(modes);
    }

    private static Modes single(double[] sorted) {
        if (sorted.length == 0) {
            return new Modes(List.of());
        }
        return new Modes(List.of(new Mode(Stats.percentile(sorted, 50), 1.0, sorted.length)));
    }

    /** A run of sorted values [from, to) under one density peak of height {@code peak}. */
    private static final class Group {
        final int from;
        int to;
        double peak;
        /** Density at the valley between this group and the next (unused for the last). */
        double valleyAfter;

        Group(int from, int to, double peak, double valleyAfter) {
            this.from = from;
            this.to = to;
            this.peak = peak;
            this.valleyAfter = valleyAfter;
        }

        int n() {
            return to - from;
        }
    }

    /** Splits the sorted log values at each density minimum that lies between two maxima. */
    private static List<Group> groupsBetweenMinima(double[] logs, double[] density, double lo, double step) {
        List<Group> groups = new ArrayList<>();
        int start = 0;
        double peak = 0;
        boolean rising = true;
        int valley = -1;
        for (int g = 1; g < density.length; g++) {
            if (rising && density[g] < density[g - 1]) {
                peak = Math.max(peak, density[g - 1]);
                rising = false;
            } else if (!rising && density[g] > density[g - 1]) {
                valley = g - 1;
                double cut = lo + valley * step;
                int end = start;
                while (end < logs.length && logs[end] <= cut) end++;
                groups.add(new Group(start, end, peak, density[valley]));
                start = end;
                peak = 0;
                rising = true;
            }
        }
        groups.add(new Group(start, logs.length, Math.max(peak, density[density.length - 1]), 0));
        groups.removeIf(gr -> gr.n() == 0 && groups.size() > 1);
        return groups;
    }

    /** Merges groups that are too small, or not separated by a deep enough valley, into a neighbour. */
    private static void mergeWeakGroups(List<Group> groups, int total) {
        boolean merged = true;
        while (merged && groups.size() > 1) {
            merged = false;
            for (int i = 0; i + 1 < groups.size(); i++) {
                Group a = groups.get(i);
                Group b = groups.get(i + 1);
                boolean shallow = a.valleyAfter >= MAX_VALLEY * Math.min(a.peak, b.peak);
                if (shallow || tooSmall(a, total) || tooSmall(b, total)) {
                    a.to = b.to;
                    a.peak = Math.max(a.peak, b.peak);
                    a.valleyAfter = b.valleyAfter;
                    groups.remove(i + 1);
                    merged = true;
                    break;
                }
            }
        }
    }

    private static boolean tooSmall(Group g, int total) {
        return g.n() < MIN_COUNT || g.n() < MIN_SHARE * total;
    }

    private static double silverman(double[] sortedLogs) {
        int n = sortedLogs.length;
        double mean = Arrays.stream(sortedLogs).average().orElse(0);
        double var = Arrays.stream(sortedLogs).map(x -> (x - mean) * (x - mean)).sum() / (n - 1);
        double iqr = Stats.percentile(sortedLogs, 75) - Stats.percentile(sortedLogs, 25);
        double spread = Math.min(Math.sqrt(var), iqr / 1.34);
        if (spread <= 0) spread = Math.sqrt(var);
        return 0.9 * spread * Math.pow(n, -0.2);
    }

    private static double kde(double[] xs, double at, double h) {
        double sum = 0;
        for (double x : xs) {
            double z = (at - x) / h;
            sum += Math.exp(-0.5 * z * z);
        }
        return sum / (xs.length * h * Math.sqrt(2 * Math.PI));
    }
}
