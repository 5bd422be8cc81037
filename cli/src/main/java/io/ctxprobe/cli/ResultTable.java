package io.ctxprobe.cli;

import io.ctxprobe.report.CaseResult;
import io.ctxprobe.measure.Counter;
import io.ctxprobe.report.Derived;
import io.ctxprobe.report.Status;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The console table of a run: probe, case, status, median, p5–p95, unit, counts, notes. Counts are
 * the kernel's context switches (and CPU migrations, where perf gave them) per operation, summed over
 * the tasks of the case; notes refer to numbered lines printed under the table, derived figures among
 * them ("= label: value unit from ..."); skipped cases are one line per reason under the table.
 * This is {@code --details}: the default is {@link SummaryView}.
 */
final class ResultTable {

    private static final String[] HEADER = {"probe", "case", "status", "median", "p5-p95", "unit", "counts/op", "notes"};

    private ResultTable() {}

    static String render(List<CaseResult> results) {
        List<String[]> rows = new ArrayList<>();
        List<String> footnotes = new ArrayList<>();
        int matrixCells = 0;
        Map<String, List<String>> skippedByReason = new LinkedHashMap<>();
        for (CaseResult r : results) {
            // Matrix cells are shown as matrices (MatrixView); here only those that need a word.
            if (r.params().containsKey("matrix") && r.status() == Status.OK) {
                matrixCells++;
                continue;
            }
            // Skipped cases: one line per reason under the table, not a row each.
            if (r.status() == Status.SKIPPED) {
                skippedByReason.computeIfAbsent(String.valueOf(r.reason()), k -> new ArrayList<>()).add(r.key());
                continue;
            }
            List<String> lines = new ArrayList<>();
            if (r.reason() != null) lines.add(r.status().label() + ": " + r.reason());
            lines.addAll(r.notes());
            r.derivedOrEmpty().forEach(d -> lines.add(derived(d)));
            List<String> refs = new ArrayList<>();
            for (String line : lines) {
                int at = footnotes.indexOf(line);   // the same note on many cases is printed once
                if (at < 0) {
                    footnotes.add(line);
                    at = footnotes.size() - 1;
                }
                refs.add(String.valueOf(at + 1));
            }
            rows.add(new String[] {
                    r.probe(), r.caseId(), r.status().label(),
                    r.stats() != null ? number(r.stats().median()) : "-",
                    r.stats() != null ? number(r.stats().p5()) + "-" + number(r.stats().p95()) : "-",
                    r.unit(), counts(r), refs.isEmpty() ? "" : "[" + String.join(",", refs) + "]"});
        }
        StringBuilder out = new StringBuilder(table(rows));
        for (int i = 0; i < footnotes.size(); i++) {
            out.append(String.format("  [%d] %s%n", i + 1, footnotes.get(i)));
        }
        if (matrixCells > 0) out.append(String.format("  (%d matrix cells ok: shown as matrices below)%n", matrixCells));
        skippedByReason.forEach((reason, keys) -> out.append(String.format("skipped %d: %s%n    %s%n", keys.size(), reason,
                String.join(", ", keys))));
        return out.toString();
    }

    /** A derived figure as a footnote: "= net of the mechanism: 2183 ns/switch [64, 96] (from a, b); note". */
    static String derived(Derived d) {
        StringBuilder out = new StringBuilder("= ").append(d.label()).append(':');
        if (d.value() != null) out.append(' ').append(number(d.value()));
        if (d.low() != null || d.high() != null) {
            out.append(" [").append(d.low() == null ? "" : number(d.low())).append(", ")
                    .append(d.high() == null ? "" : number(d.high())).append(']');
        }
        out.append(' ').append(d.unit());
        if (d.reference() != null) {
            out.append(" (").append(d.reference().label()).append(' ').append(number(d.reference().value()))
                    .append(d.reference().verdict() == null ? "" : ": " + d.reference().verdict()).append(')');
        }
        if (!d.from().isEmpty()) out.append(" from ").append(String.join(", ", d.from()));
        if (d.note() != null) out.append("; ").append(d.note());
        return out.toString();
    }

    /**
     * "2.00 cs, 0 mig": context switches per op from getrusage (voluntary + involuntary, kept for the
     * timed batches of every task), summed over tasks; CPU migrations where perf counted them; then
     * the other --counters events.
     */
    static String counts(CaseResult r) {
        if (r.status() == Status.SKIPPED || r.status() == Status.FAILED || r.counters().isEmpty()) return "-";
        double switches = 0;
        double migrations = 0;
        boolean anySwitches = false;
        boolean anyMigrations = false;
        StringBuilder chosen = new StringBuilder();
        for (Counter c : r.counters()) {
            if (io.ctxprobe.measure.CounterReadings.isGroupSource(c.source())
                    && !c.event().equals("context-switches") && !c.event().equals("cpu-migrations")) {
                // other --counters events follow the switch summary
                chosen.append(", ").append(c.event()).append(' ').append(count(c.perOp()));
                continue;
            }
            switch (c.event()) {
                case "voluntary-switches", "involuntary-switches" -> {
                    switches += c.perOp();
                    anySwitches = true;
                }
                case "cpu-migrations" -> {
                    migrations += c.perOp();
                    anyMigrations = true;
                }
                default -> { }
            }
        }
        String summary = !anySwitches ? "-" : count(switches) + " cs" + (anyMigrations ? ", " + count(migrations) + " mig" : "");
        return chosen.isEmpty() ? summary : summary + chosen;
    }

    /** Per-op counts: 2.00, 0.747, 1234, and tiny rates as "<0.001" (the exact value is in the report). */
    static String count(double perOp) {
        if (perOp == 0) return "0";
        if (perOp < 0.001) return "<0.001";
        if (perOp >= 1000) return String.format(Locale.ROOT, "%.0f", perOp);
        return String.format(Locale.ROOT, "%.3g", perOp);
    }

    /** Three significant digits, plain notation: 1.23, 45.6, 789, 12345. */
    static String number(double v) {
        if (Double.isNaN(v)) return "n/a";
        double a = Math.abs(v);
        if (a >= 1000) return String.format(Locale.ROOT, "%.0f", v);
        if (a >= 100) return String.format(Locale.ROOT, "%.1f", v);
        if (a >= 10) return String.format(Locale.ROOT, "%.2f", v);
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static String table(List<String[]> rows) {
        int[] width = new int[HEADER.length];
        for (int i = 0; i < HEADER.length; i++) width[i] = HEADER[i].length();
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) width[i] = Math.max(width[i], row[i].length());
        }
        StringBuilder out = new StringBuilder();
        line(out, HEADER, width);
        String[] rule = new String[HEADER.length];
        for (int i = 0; i < rule.length; i++) rule[i] = "-".repeat(width[i]);
        line(out, rule, width);
        for (String[] row : rows) line(out, row, width);
        return out.toString();
    }

    private static void line(StringBuilder out, String[] cells, int[] width) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            boolean numeric = i == 3 || i == 4;
            String cell = numeric ? " ".repeat(width[i] - cells[i].length()) + cells[i]
                    : cells[i] + " ".repeat(width[i] - cells[i].length());
            l.append(cell).append(i < cells.length - 1 ? "  " : "");
        }
        out.append(l.toString().stripTrailing()).append(System.lineSeparator());
    }
}
