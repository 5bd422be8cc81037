package io.ctxprobe.report.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.ctxprobe.measure.Stats;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.Derived;
import io.ctxprobe.report.Report;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The CSV report, for spreadsheets and pandas: one row per case, flat columns, a header line.
 * Columns: host_key, hostname, run_start, probe, case, status, reason, unit, median, p5, p95, min,
 * max, mean, mad, n, derived (the case's derived figures, "label=value unit" joined by "; ": a point
 * "net of the mechanism=812.5 ns/switch", an interval "L1 reach=64..68 pages" with an open end empty
 * "..68", both "12.0 in 10.5..13.1"; a reference after " vs " as "label=value: verdict"), then one
 * {@code param:<name>} column per parameter any case has, then one {@code <event>/op} column per
 * kernel count (per operation, summed over the case's tasks). Absent values are empty cells, never
 * zero. Several reports give one file; host_key and run_start tell their rows apart.
 */
public final class CsvReport {

    private static final List<String> FIXED = List.of("host_key", "hostname", "run_start", "probe", "case", "status",
            "reason", "unit", "median", "p5", "p95", "min", "max", "mean", "mad", "n", "derived");

    private static final CsvMapper MAPPER = new CsvMapper();

    private CsvReport() {}

    public static String render(Report report) {
        return render(List.of(report));
    }

    public static String render(List<Report> reports) {
        Set<String> params = new LinkedHashSet<>();
        Set<String> events = new LinkedHashSet<>();
        for (Report r : reports) {
            for (CaseResult c : r.results()) {
                params.addAll(c.params().keySet());
                events.addAll(ReportView.countersPerOp(c).keySet());
            }
        }
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
        FIXED.forEach(schema::addColumn);
        params.forEach(p -> schema.addColumn("param:" + p));
        events.forEach(e -> schema.addColumn(e + "/op"));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Report r : reports) {
            for (CaseResult c : r.results()) rows.add(row(r, c));
        }
        try {
            return MAPPER.writer(schema.build()).writeValueAsString(rows);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> row(Report report, CaseResult c) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("host_key", report.host().hostKey());
        row.put("hostname", report.host().hostname());
        row.put("run_start", report.run() != null ? report.run().startTime() : null);
        row.put("probe", c.probe());
        row.put("case", c.caseId());
        row.put("status", c.status().label());
        row.put("reason", c.reason());
        row.put("unit", c.unit());
        Stats s = c.stats();
        if (s != null) {
            row.put("median", s.median());
            row.put("p5", s.p5());
            row.put("p95", s.p95());
            row.put("min", s.min());
            row.put("max", s.max());
            row.put("mean", s.mean());
            row.put("mad", s.mad());
            row.put("n", s.n());
        }
        row.put("derived", c.derivedOrEmpty().isEmpty() ? null
                : String.join("; ", c.derivedOrEmpty().stream().map(CsvReport::derived).toList()));
        c.params().forEach((k, v) -> row.put("param:" + k, v));
        ReportView.countersPerOp(c).forEach((e, v) -> row.put(e + "/op", Double.isFinite(v) ? v : null));
        return row;
    }

    /** "label=value unit", full precision (see the class comment). */
    static String derived(Derived d) {
        String interval = d.low() == null && d.high() == null ? ""
                : (d.low() == null ? "" : plain(d.low())) + ".." + (d.high() == null ? "" : plain(d.high()));
        String v = d.value() == null ? interval : plain(d.value()) + (interval.isEmpty() ? "" : " in " + interval);
        Derived.Reference r = d.reference();
        return d.label() + "=" + v + " " + d.unit() + (r == null ? ""
                : " vs " + r.label() + "=" + plain(r.value()) + (r.verdict() == null ? "" : ": " + r.verdict()));
    }

    private static String plain(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
    }
}
