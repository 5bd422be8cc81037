package io.ctxprobe.report.format;

import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.CostLadder;
import io.ctxprobe.report.Report;
import io.ctxprobe.report.Status;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which cases each chart of the HTML report shows, as chart-ready data: one series per report (a
 * page of one report has one series). Every point keeps the key of the case it comes from, so a
 * chart's marks can be counted against the cases that should be there.
 */
public final class ChartData {

    /** How an axis formats its values. */
    public enum Axis { TIME_NS, KIB, RATE, PAGES, PLAIN }

    /** One measured value in the chart's unit, with the case's p5–p95 and status. */
    public record Point(String key, double value, double p5, double p95, Status status) {}

    /** One row of a bar chart: a point per series, null where that report lacks the case. */
    public record BarRow(String label, List<Point> points) {}

    public record BarChart(String id, String title, String caption, Axis axis, boolean log, List<String> series, List<BarRow> rows) {}

    /** A matrix cell: CPUs a and b (a measured once per pair). */
    public record Cell(String key, int a, int b, double value, Status status) {}

    public record Heatmap(String id, String title, String unit, List<Integer> cpus, List<Cell> cells) {}

    public record XY(String key, double x, double y) {}

    public record Series(String name, List<XY> points) {}

    /** A vertical line at {@code x}: a located step ("measured") or the CPUID figure ("cpuid"). */
    public record Marker(double x, String label, String kind) {}

    public record Curve(String id, String title, String caption, Axis xAxis, String xTitle, Axis yAxis, String yTitle,
                        boolean logX, List<Series> series, List<Marker> markers) {}

    private static final Pattern TLB_POINT = Pattern.compile("([A-Za-z0-9-]+)/(sparse|packed)/(\\d+)");
    private static final Pattern FORK_TOUCHED = Pattern.compile("fork/helper-touched-(\\d+)MiB");

    private ChartData() {}

    /** One chart per placement: the ladder's rungs, most expensive on top, p5–p95 whiskers. */
    public static List<BarChart> ladders(List<Report> reports, List<String> labels) {
        Map<String, List<String>> rungKeys = new LinkedHashMap<>();   // placement -> keys, dearest first
        Map<String, String> rungLabel = new LinkedHashMap<>();
        for (Report r : reports) {
            for (CostLadder.Ladder l : ReportView.ladder(r).ladders()) {
                List<String> keys = rungKeys.computeIfAbsent(l.placement(), p -> new ArrayList<>());
                for (int i = l.rungs().size() - 1; i >= 0; i--) {
                    CostLadder.Rung rung = l.rungs().get(i);
                    if (!keys.contains(rung.key())) keys.add(rung.key());
                    rungLabel.putIfAbsent(rung.key(), rung.label().replace(" [flagged]", ""));
                }
            }
        }
        List<BarChart> charts = new ArrayList<>();
        for (var e : rungKeys.entrySet()) {
            List<BarRow> rows = e.getValue().stream().map(k -> row(rungLabel.get(k), k, reports, Double.NaN)).toList();
            charts.add(new BarChart("ladder-" + e.getKey(), "Cost ladder, " + e.getKey(),
                    "median per switch (log scale), whiskers p5–p95; sorted by what was measured", Axis.TIME_NS, true, labels, rows));
        }
        return charts;
    }

    public static BarChart creation(List<Report> reports, List<String> labels) {
        return bars("creation", "Creation cost per unit", "create, run and reap/join one unit (log scale), whiskers p5–p95",
                Axis.TIME_NS, true, reports, labels,
                r -> (r.probe().equals("thread.create") || r.probe().equals("fiber.create") || r.probe().equals("process.create"))
                        && !FORK_TOUCHED.matcher(r.caseId()).matches());
    }

    public static BarChart footprint(List<Report> reports, List<String> labels) {
        return bars("footprint", "Memory footprint per unit", "KiB per idle unit (log scale), whiskers p5–p95",
                Axis.KIB, true, reports, labels, r -> r.probe().equals("footprint"));
    }

    public static BarChart ipcLatency(List<Report> reports, List<String> labels) {
        return bars("ipc-latency", "IPC latency by channel", "one-way message latency (log scale), whiskers p5–p95",
                Axis.TIME_NS, true, reports, labels, r -> r.probe().equals("ipc.latency"));
    }

    public static BarChart ipcBandwidth(List<Report> reports, List<String> labels) {
        return bars("ipc-bandwidth", "IPC bandwidth by channel", "MB/s in 64 KiB messages, data verified (higher is better), whiskers p5–p95",
                Axis.RATE, false, reports, labels, r -> r.probe().equals("ipc.bandwidth"));
    }

    private static BarChart bars(String id, String title, String caption, Axis axis, boolean log, List<Report> reports,
            List<String> labels, Predicate<CaseResult> select) {
        List<String> keys = new ArrayList<>();
        for (Report rep : reports) {
            for (CaseResult c : rep.results()) {
                if (select.test(c) && ReportView.measured(c) && !ReportView.isLegacyDerivedCase(c) && !keys.contains(c.key())) keys.add(c.key());
            }
        }
        double scale = axis == Axis.TIME_NS ? Double.NaN : 1; // NaN: scale each case by its own unit
        boolean oneProbe = keys.stream().map(k -> k.substring(0, k.indexOf('/'))).distinct().count() <= 1;
        List<BarRow> rows = keys.stream().map(k -> row(oneProbe ? k.substring(k.indexOf('/') + 1) : k, k, reports, scale)).toList();
        return new BarChart(id, title, caption, axis, log, labels, rows);
    }

    private static BarRow row(String label, String key, List<Report> reports, double fixedScale) {
        List<Point> points = new ArrayList<>();
        for (Report r : reports) {
            points.add(ReportView.find(r, key).filter(ReportView::measured).map(c -> {
                double f = Double.isNaN(fixedScale) ? UnitScale.nsFactor(c.unit()) : fixedScale;
                if (Double.isNaN(f)) f = 1;
                return new Point(key, c.stats().median() * f, c.stats().p5() * f, c.stats().p95() * f, c.status());
            }).orElse(null));
        }
        return new BarRow(label, points);
    }

    /** All-pairs matrices of one report: every case with params matrix, cpuA and cpuB, by probe and matrix. */
    public static List<Heatmap> heatmaps(Report report) {
        Map<String, List<CaseResult>> groups = new LinkedHashMap<>();
        for (CaseResult r : report.results()) {
            if (r.params().containsKey("matrix") && r.params().containsKey("cpuA") && r.params().containsKey("cpuB")
                    && ReportView.measured(r)) {
                groups.computeIfAbsent(r.probe() + " " + r.params().get("matrix"), k -> new ArrayList<>()).add(r);
            }
        }
        List<Heatmap> maps = new ArrayList<>();
        for (var g : groups.entrySet()) {
            TreeSet<Integer> cpus = new TreeSet<>();
            List<Cell> cells = new ArrayList<>();
            for (CaseResult r : g.getValue()) {
                int a = Integer.parseInt(r.params().get("cpuA"));
                int b = Integer.parseInt(r.params().get("cpuB"));
                cpus.add(a);
                cpus.add(b);
                cells.add(new Cell(r.key(), Math.min(a, b), Math.max(a, b), r.stats().median(), r.status()));
            }
            String probe = g.getValue().getFirst().probe();
            String title = probe.equals("cache.c2c") ? "Cache line one-way latency, CPU by CPU"
                    : probe + " " + g.getValue().getFirst().params().get("matrix") + ", all pairs";
            maps.add(new Heatmap("matrix-" + g.getKey().replace(' ', '-').replace('.', '-'), title,
                    g.getValue().getFirst().unit(), new ArrayList<>(cpus), cells));
        }
        return maps;
    }

    /** TLB reach curves, one chart per page kind (4k, thp, ...): sparse and packed ns/load against pages. */
    public static List<Curve> tlbCurves(List<Report> reports, List<String> labels) {
        Map<String, Map<String, List<XY>>> byKind = new LinkedHashMap<>();   // kind -> series name -> points
        Map<String, List<Marker>> markers = new LinkedHashMap<>();
        for (int i = 0; i < reports.size(); i++) {
            String prefix = reports.size() > 1 ? labels.get(i) + " " : "";
            for (CaseResult c : reports.get(i).results()) {
                if (!c.probe().equals("tlb.reach") || !ReportView.measured(c)) continue;
                Matcher m = TLB_POINT.matcher(c.caseId());
                if (m.matches()) {
                    byKind.computeIfAbsent(m.group(1), k -> new LinkedHashMap<>())
                            .computeIfAbsent(prefix + m.group(2), s -> new ArrayList<>())
                            .add(new XY(c.key(), Double.parseDouble(m.group(3)), c.stats().median()));
                }
            }
            for (ReportView.TlbMark mark : ReportView.tlbMarks(reports.get(i))) {
                List<Marker> list = markers.computeIfAbsent(mark.kind(), k -> new ArrayList<>());
                String level = "L" + mark.level();
                list.add(mark.cpuid() ? new Marker(mark.pages(), prefix + "CPUID " + level + " " + Fmt.count(mark.pages()), "cpuid")
                        : new Marker(mark.pages(), prefix + level + " reach " + Fmt.count(mark.pages()), "measured"));
            }
        }
        List<Curve> curves = new ArrayList<>();
        for (var e : byKind.entrySet()) {
            List<Series> series = e.getValue().entrySet().stream().map(s -> new Series(s.getKey(),
                    s.getValue().stream().sorted(Comparator.comparingDouble(XY::x)).toList())).toList();
            curves.add(new Curve("tlb-" + e.getKey(), "TLB reach, " + e.getKey() + " pages",
                    "pointer chase, one line per page (sparse) vs the same lines packed; lines: located steps and CPUID's entries",
                    Axis.PAGES, "pages in the working set (log scale)", Axis.TIME_NS, "per load", true, series, markers.getOrDefault(e.getKey(), List.of())));
        }
        return curves;
    }

    /** fork from the small helper against the memory its parent touched first; empty when not measured. */
    public static List<Curve> forkVsMemory(List<Report> reports, List<String> labels) {
        List<Series> series = new ArrayList<>();
        for (int i = 0; i < reports.size(); i++) {
            List<XY> points = new ArrayList<>();
            for (CaseResult c : reports.get(i).results()) {
                Matcher m = FORK_TOUCHED.matcher(c.caseId());
                if (c.probe().equals("process.create") && m.matches() && ReportView.measured(c)) {
                    double f = UnitScale.isTime(c.unit()) ? UnitScale.nsFactor(c.unit()) : 1;
                    points.add(new XY(c.key(), Double.parseDouble(m.group(1)), c.stats().median() * f));
                }
            }
            points.sort(Comparator.comparingDouble(XY::x));
            if (!points.isEmpty()) series.add(new Series(reports.size() > 1 ? labels.get(i) : "fork", points));
        }
        if (series.isEmpty()) return List.of();
        return List.of(new Curve("fork-memory", "fork cost against parent memory",
                "fork + reap from the small helper after it wrote every page of M MiB (4 KiB pages)",
                Axis.PLAIN, "MiB written by the parent before forking", Axis.TIME_NS, "per fork", false, series, List.of()));
    }
}
