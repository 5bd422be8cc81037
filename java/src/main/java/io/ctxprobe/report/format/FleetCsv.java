package io.ctxprobe.report.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.FleetFailure;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The fleet view as CSV, long format (one row per host and figure, for pandas or a spreadsheet's
 * pivot table): host_key, hostname, group, the facts of {@link FleetFacts}, figure, label, headline
 * (yes/no), unit, status, reason, median, p5, p95, fleet_median, ratio_to_fleet, outlier
 * (high/low/empty), explained_by. A host that gave no report has one row: empty host_key, its
 * inventory name, status = what happened (e.g. unreachable) and the reason. Empty cells are
 * absent values, never 0.
 */
public final class FleetCsv {

    static final List<String> COLUMNS;

    static {
        List<String> c = new ArrayList<>(List.of("host_key", "hostname", "group"));
        FleetFacts.NAMES.forEach(n -> c.add(n.toLowerCase(Locale.ROOT)));
        c.addAll(List.of("figure", "label", "headline", "unit", "status", "reason", "median", "p5", "p95", "fleet_median",
                "ratio_to_fleet", "outlier", "explained_by", "address"));
        COLUMNS = List.copyOf(c);
    }

    private FleetCsv() {}

    public static String render(FleetView v) {
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
        COLUMNS.forEach(schema::addColumn);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (FleetView.Figure f : v.figures()) {
            for (FleetView.Cell c : f.cells()) {
                if (c.result() == null) continue;
                Map<String, Object> row = hostColumns(c.host());
                CaseResult r = c.result();
                row.put("figure", f.key());
                row.put("label", f.label());
                row.put("headline", f.headline() ? "yes" : "no");
                row.put("unit", f.unit());
                row.put("status", r.status().label());
                row.put("reason", r.reason());
                if (r.stats() != null) {
                    row.put("median", r.stats().median());
                    row.put("p5", r.stats().p5());
                    row.put("p95", r.stats().p95());
                }
                row.put("fleet_median", f.fleetMedian());
                row.put("ratio_to_fleet", c.ratio());
                row.put("outlier", c.outlier() ? c.mark().name().toLowerCase(Locale.ROOT) : null);
                row.put("explained_by", c.outlier() ? String.join("; ", c.explainedBy()) : null);
                rows.add(row);
            }
        }
        for (FleetFailure f : v.failures()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("hostname", f.host());
            row.put("status", f.stage());
            row.put("reason", f.reason());
            row.put("address", f.address());
            rows.add(row);
        }
        try {
            return new CsvMapper().writer(schema.build()).writeValueAsString(rows);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> hostColumns(FleetView.Host h) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("host_key", h.key());
        row.put("hostname", h.hostname());
        row.put("group", h.group());
        for (String n : FleetFacts.NAMES) row.put(n.toLowerCase(Locale.ROOT), h.facts().get(n));
        return row;
    }
}
