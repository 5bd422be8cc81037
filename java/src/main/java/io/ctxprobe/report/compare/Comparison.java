package io.ctxprobe.report.compare;

import io.ctxprobe.host.Fact;
import io.ctxprobe.host.FactSection;
import io.ctxprobe.host.HostFacts;
import io.ctxprobe.measure.RatioEstimate;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.Report;
import io.ctxprobe.report.Status;
import io.ctxprobe.report.format.ReportView;
import io.ctxprobe.report.format.UnitScale;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * BASE against NEW, case by case: for every case measured in both, the medians, the cost ratio and
 * its bootstrap interval ({@link RatioEstimate}) from the raw batch samples, and what that interval
 * says against the threshold. The cost ratio is NEW/BASE for times and sizes and BASE/NEW for rates
 * (MB/s), so above 1 is always worse. A case is a regression only when its whole 95% interval lies
 * above 1 + threshold: a median past the threshold whose interval still reaches below it is
 * "within noise", not a regression.
 */
public record Comparison(Report base, Report next, double threshold, List<HostDifference> hostDifferences,
                         List<Row> rows, List<Skipped> notCompared) {

    /** Fewer batches than this on either side give no interval worth a verdict. */
    public static final int MIN_SAMPLES = 3;

    public static final String METHOD = "cost ratio NEW/BASE (BASE/NEW for rates; above 1 is worse) with a "
            + RatioEstimate.METHOD + "; a regression is a case whose whole interval lies above 1 + threshold";

    public enum Outcome {
        REGRESSION("slower (regression)"),
        SLOWER_WITHIN_NOISE("slower, within noise"),
        UNCHANGED("unchanged"),
        FASTER_WITHIN_NOISE("faster, within noise"),
        IMPROVED("faster");

        private final String words;

        Outcome(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }
    }

    public record Row(String key, String unit, double baseMedian, double newMedian, int baseN, int newN,
                      RatioEstimate estimate, Outcome outcome) {}

    public record Skipped(String key, String why) {}

    /** A host fact that differs: "summary/kernel", "cpu/model name", ... */
    public record HostDifference(String what, String base, String next) {}

    public Comparison {
        hostDifferences = List.copyOf(hostDifferences);
        rows = List.copyOf(rows);
        notCompared = List.copyOf(notCompared);
    }

    public static Comparison of(Report base, Report next, double threshold) {
        if (!(threshold > 0)) throw new IllegalArgumentException("the threshold must be above 0, got " + threshold);
        Map<String, CaseResult> newByKey = new LinkedHashMap<>();
        next.results().forEach(c -> newByKey.putIfAbsent(c.key(), c));
        List<Row> rows = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        Map<String, Boolean> seen = new LinkedHashMap<>();
        for (CaseResult b : base.results()) {
            if (seen.put(b.key(), true) != null) continue;
            CaseResult n = newByKey.get(b.key());
            if (n == null) {
                skipped.add(new Skipped(b.key(), "only in BASE"));
                continue;
            }
            String why = whyNot(b, n);
            if (why != null) {
                skipped.add(new Skipped(b.key(), why));
                continue;
            }
            rows.add(row(b, n, threshold));
        }
        newByKey.keySet().stream().filter(k -> !seen.containsKey(k)).forEach(k -> skipped.add(new Skipped(k, "only in NEW")));
        return new Comparison(base, next, threshold, hostDifferences(base.host(), next.host()), rows, skipped);
    }

    private static String whyNot(CaseResult b, CaseResult n) {
        if (ReportView.isLegacyDerivedCase(b)) return "a derived figure: compared through the cases it derives from";
        for (var side : List.of(Map.entry("BASE", b), Map.entry("NEW", n))) {
            CaseResult c = side.getValue();
            if (c.status() == Status.SKIPPED || c.status() == Status.FAILED) return c.status().label() + " in " + side.getKey();
            if (c.samples() == null || c.samples().size() < MIN_SAMPLES) {
                return (c.samples() == null ? "no" : String.valueOf(c.samples().size())) + " batch samples in " + side.getKey()
                        + " (an interval needs " + MIN_SAMPLES + " or more)";
            }
        }
        if (!Objects.equals(b.unit(), n.unit())) return "units differ: " + b.unit() + " vs " + n.unit();
        if (median(b) <= 0 || median(n) <= 0) return "a median at or below zero has no ratio";
        return null;
    }

    private static Row row(CaseResult b, CaseResult n, double threshold) {
        double[] bs = b.samples().stream().mapToDouble(Double::doubleValue).toArray();
        double[] ns = n.samples().stream().mapToDouble(Double::doubleValue).toArray();
        RatioEstimate est = UnitScale.higherIsBetter(b.unit()) ? RatioEstimate.of(bs, ns) : RatioEstimate.of(ns, bs);
        double bound = 1 + threshold;
        Outcome outcome;
        if (est.against(bound) == RatioEstimate.Verdict.ABOVE) outcome = Outcome.REGRESSION;
        else if (est.ratio() > bound) outcome = Outcome.SLOWER_WITHIN_NOISE;
        else if (est.against(1 / bound) == RatioEstimate.Verdict.BELOW) outcome = Outcome.IMPROVED;
        else if (est.ratio() < 1 / bound) outcome = Outcome.FASTER_WITHIN_NOISE;
        else outcome = Outcome.UNCHANGED;
        return new Row(b.key(), b.unit(), median(b), median(n), bs.length, ns.length, est, outcome);
    }

    /** The median the report states, or of the samples when it states none. */
    private static double median(CaseResult c) {
        if (c.stats() != null) return c.stats().median();
        return io.ctxprobe.measure.Stats.of(c.samples().stream().mapToDouble(Double::doubleValue).toArray()).median();
    }

    public List<Row> regressions() {
        return rows.stream().filter(r -> r.outcome() == Outcome.REGRESSION).toList();
    }

    public boolean sameHost() {
        return base.host().hostKey().equals(next.host().hostKey());
    }

    /** Headline facts first, then every named fact whose value differs (a fact on one side only included). */
    static List<HostDifference> hostDifferences(HostFacts a, HostFacts b) {
        List<HostDifference> out = new ArrayList<>();
        add(out, "host key", a.hostKey(), b.hostKey());
        add(out, "hostname", a.hostname(), b.hostname());
        add(out, "summary", ReportView.hostLine(a), ReportView.hostLine(b));
        Map<String, String> fa = facts(a);
        Map<String, String> fb = facts(b);
        fa.forEach((k, v) -> add(out, k, v, fb.get(k)));
        fb.forEach((k, v) -> {
            if (!fa.containsKey(k)) add(out, k, null, v);
        });
        return out;
    }

    private static Map<String, String> facts(HostFacts h) {
        Map<String, String> out = new LinkedHashMap<>();
        for (FactSection s : h.sections()) {
            for (Fact f : s.facts()) out.putIfAbsent(s.name() + "/" + f.name(), f.value());
        }
        return out;
    }

    private static void add(List<HostDifference> out, String what, String a, String b) {
        if (!Objects.equals(a, b)) out.add(new HostDifference(what, a == null ? "(absent)" : a, b == null ? "(absent)" : b));
    }
}
