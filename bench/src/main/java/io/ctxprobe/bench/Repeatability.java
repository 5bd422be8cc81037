package io.ctxprobe.bench;

import io.ctxprobe.measure.RatioEstimate;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.JsonReports;
import io.ctxprobe.report.Report;
import io.ctxprobe.report.Status;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What this measures: how well ctxprobe repeats itself — two reports of the same suite run back to
 * back on one host, compared case by case: the ratio of medians (second / first) with its bootstrap
 * 95% interval ({@link RatioEstimate}, the cost ladder's verdict test), and whether the two runs can
 * be told apart. Repeatability is measured here, never asserted in a test.
 *
 * How to run: {@code make bench} (bench/run-bench.sh runs {@code ./ctxprobe run --quick} twice), or
 * {@code java -cp bench/target/ctxprobe-bench.jar io.ctxprobe.bench.Repeatability FIRST.json SECOND.json}.
 * Prints a Markdown table and a summary line.
 */
public final class Repeatability {

    private Repeatability() {}

    /** One case measured in both runs. */
    record Pair(String key, String unit, CaseResult first, CaseResult second, RatioEstimate ratio) {
        boolean apart() {
            return ratio.against(1.0) != RatioEstimate.Verdict.WITHIN_NOISE;
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: Repeatability FIRST.json SECOND.json");
            System.exit(2);
        }
        Report a = JsonReports.read(Path.of(args[0]));
        Report b = JsonReports.read(Path.of(args[1]));
        System.out.print(render(pairs(a.results(), b.results())));
    }

    static List<Pair> pairs(List<CaseResult> first, List<CaseResult> second) {
        Map<String, CaseResult> byKey = new LinkedHashMap<>();
        for (CaseResult r : second) byKey.putIfAbsent(r.key(), r);
        List<Pair> out = new ArrayList<>();
        for (CaseResult r : first) {
            CaseResult s = byKey.get(r.key());
            if (s == null || !measured(r) || !measured(s) || !r.unit().equals(s.unit())) continue;
            out.add(new Pair(r.key(), r.unit(), r, s, RatioEstimate.of(array(s.samples()), array(r.samples()))));
        }
        return out;
    }

    /** Measured, with a positive median: a ratio of two figures near or below zero (a difference) means nothing. */
    private static boolean measured(CaseResult r) {
        return (r.status() == Status.OK || r.status() == Status.FLAGGED) && r.samples() != null && !r.samples().isEmpty()
                && r.stats() != null && r.stats().median() > 0;
    }

    static String render(List<Pair> pairs) {
        StringBuilder out = new StringBuilder();
        out.append("| case | unit | first | second | second/first | 95% interval | told apart | flags |\n");
        out.append("|---|---|---:|---:|---:|---|---|---|\n");
        List<Double> deviations = new ArrayList<>();
        int apart = 0;
        int within10 = 0;
        int clean = 0;
        List<Double> cleanDeviations = new ArrayList<>();
        for (Pair p : pairs) {
            double dev = Math.abs(Math.log(p.ratio().ratio()));
            deviations.add(dev);
            if (p.apart()) apart++;
            if (Math.abs(p.ratio().ratio() - 1) <= 0.10) within10++;
            boolean bothOk = p.first().status() == Status.OK && p.second().status() == Status.OK;
            if (bothOk) {
                clean++;
                cleanDeviations.add(dev);
            }
            out.append(String.format(Locale.ROOT, "| %s | %s | %.4g | %.4g | %.3f | %.3f-%.3f | %s | %s |%n", p.key(), p.unit(),
                    p.first().stats().median(), p.second().stats().median(), p.ratio().ratio(), p.ratio().low(), p.ratio().high(),
                    p.apart() ? "yes" : "no", flags(p)));
        }
        out.append(String.format(Locale.ROOT, "%n%d cases in both runs: median |second/first - 1| %.1f%%, worst %.1f%%; "
                        + "%d within +-10%%; %d told apart by the bootstrap test; both runs ok (no flag) in %d, median deviation "
                        + "there %.1f%%%n", pairs.size(), 100 * (Math.exp(median(deviations)) - 1),
                100 * (Math.exp(max(deviations)) - 1), within10, apart, clean, 100 * (Math.exp(median(cleanDeviations)) - 1)));
        return out.toString();
    }

    private static String flags(Pair p) {
        List<String> out = new ArrayList<>();
        for (CaseResult r : List.of(p.first(), p.second())) {
            String tag = r == p.first() ? "1:" : "2:";
            if (r.disturbed()) out.add(tag + "disturbed");
            if (r.modes() != null) out.add(tag + r.modes().size() + " modes");
            if (r.status() == Status.FLAGGED && !r.disturbed() && r.modes() == null) out.add(tag + "flagged");
        }
        return String.join(" ", out);
    }

    private static double median(List<Double> values) {
        if (values.isEmpty()) return 0;
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }

    private static double[] array(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
