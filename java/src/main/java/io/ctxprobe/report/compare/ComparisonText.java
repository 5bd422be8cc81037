package io.ctxprobe.report.compare;

import io.ctxprobe.report.compare.Comparison.HostDifference;
import io.ctxprobe.report.compare.Comparison.Outcome;
import io.ctxprobe.report.compare.Comparison.Row;
import io.ctxprobe.report.format.Fmt;
import io.ctxprobe.report.format.ReportView;
import io.ctxprobe.report.Report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.ctxprobe.report.format.Fmt.md;

/** A comparison as console text and as Markdown (a pull-request comment). */
public final class ComparisonText {

    private static final String NL = System.lineSeparator();

    private ComparisonText() {}

    /** The console form: host differences (if any), every compared case, the summary, the verdict last. */
    public static String text(Comparison c, String baseName, String newName) {
        StringBuilder out = new StringBuilder();
        out.append("BASE ").append(baseName).append(" (").append(describe(c.base())).append(')').append(NL)
                .append("NEW  ").append(newName).append(" (").append(describe(c.next())).append(')').append(NL);
        if (!c.sameHost()) {
            out.append("host differences (--cross-host: the figures compare two machines, not two builds):").append(NL);
            for (HostDifference d : c.hostDifferences()) {
                out.append(String.format(Locale.ROOT, "  %-40s %s  ->  %s%n", d.what(), d.base(), d.next()));
            }
        }
        out.append("method: ").append(Comparison.METHOD).append("; threshold ").append(percent(c.threshold())).append(NL);
        List<Row> rows = sorted(c.rows());
        int keyW = Math.max(20, rows.stream().mapToInt(r -> r.key().length()).max().orElse(0));
        out.append(String.format(Locale.ROOT, "%-" + keyW + "s %10s %10s %-12s %-8s %-15s %s%n", "case", "BASE", "NEW", "unit", "ratio",
                "95% interval", "outcome"));
        for (Row r : rows) {
            out.append(String.format(Locale.ROOT, "%-" + keyW + "s %10s %10s %-12s %-8s %-15s %s%n", r.key(), Fmt.num(r.baseMedian()),
                    Fmt.num(r.newMedian()), r.unit(), Fmt.ratio(r.estimate().ratio()), interval(r), r.outcome().words()));
        }
        out.append(summary(c)).append(NL);
        notCompared(c).forEach((why, n) -> out.append("  not compared: ").append(n).append(" × ").append(why).append(NL));
        out.append(verdict(c)).append(NL);
        return out.toString();
    }

    /** The verdict line: names the regressed cases, or says there is none. */
    public static String verdict(Comparison c) {
        List<Row> reg = c.regressions();
        if (reg.isEmpty()) return headline(c);
        return headline(c) + ": " + String.join(", ", reg.stream().map(r -> r.key() + " " + Fmt.ratio(r.estimate().ratio())).toList());
    }

    /** The verdict without the names: "REGRESSION: 3 cases slower than BASE by more than 10% with 95% confidence". */
    public static String headline(Comparison c) {
        List<Row> reg = c.regressions();
        if (reg.isEmpty()) {
            long noise = c.rows().stream().filter(r -> r.outcome() == Outcome.SLOWER_WITHIN_NOISE).count();
            return "no regression beyond " + percent(c.threshold()) + " with 95% confidence"
                    + (noise > 0 ? " (" + noise + " slower past the threshold but within noise)" : "");
        }
        return "REGRESSION: " + reg.size() + " case" + (reg.size() == 1 ? "" : "s") + " slower than BASE by more than "
                + percent(c.threshold()) + " with 95% confidence";
    }

    public static String markdown(Comparison c, String baseName, String newName) {
        StringBuilder out = new StringBuilder("## ctxprobe compare\n\n");
        out.append("**BASE** `").append(baseName).append("` — ").append(md(describe(c.base()))).append("  \n**NEW** `").append(newName)
                .append("` — ").append(md(describe(c.next()))).append("\n\n");
        out.append(c.regressions().isEmpty() ? "✅ " : "❌ ").append(md(verdict(c))).append("\n\n");
        if (!c.sameHost()) {
            out.append("**Different hosts** (--cross-host): the figures compare two machines, not two builds.\n\n")
                    .append("| host fact | BASE | NEW |\n|---|---|---|\n");
            c.hostDifferences().forEach(d -> out.append("| ").append(md(d.what())).append(" | ").append(md(d.base())).append(" | ")
                    .append(md(d.next())).append(" |\n"));
            out.append('\n');
        }
        out.append("_Method: ").append(md(Comparison.METHOD)).append("; threshold ").append(percent(c.threshold())).append("._\n\n");
        out.append(summary(c)).append("\n\n");
        List<Row> notable = sorted(c.rows()).stream().filter(r -> r.outcome() != Outcome.UNCHANGED).toList();
        if (!notable.isEmpty()) out.append(table(notable)).append('\n');
        out.append("<details><summary>Every compared case (").append(c.rows().size()).append(")</summary>\n\n")
                .append(table(sorted(c.rows()))).append("\n</details>\n");
        Map<String, Integer> skipped = notCompared(c);
        if (!skipped.isEmpty()) {
            out.append("\n<details><summary>Not compared</summary>\n\n");
            skipped.forEach((why, n) -> out.append("- ").append(n).append(" × ").append(md(why)).append('\n'));
            out.append("\n</details>\n");
        }
        return out.toString();
    }

    private static String table(List<Row> rows) {
        StringBuilder out = new StringBuilder("| case | BASE | NEW | unit | ratio | 95% interval | outcome |\n|---|---:|---:|---|---:|---|---|\n");
        for (Row r : rows) {
            out.append("| `").append(r.key()).append("` | ").append(Fmt.num(r.baseMedian())).append(" | ").append(Fmt.num(r.newMedian()))
                    .append(" | ").append(md(r.unit())).append(" | ").append(Fmt.ratio(r.estimate().ratio())).append(" | ")
                    .append(interval(r)).append(" | ").append(r.outcome() == Outcome.REGRESSION ? "**" + r.outcome().words() + "**"
                            : r.outcome().words()).append(" |\n");
        }
        return out.toString();
    }

    /** "170 cases compared: 0 slower (regression), 2 slower within noise, ...; 12 not compared". */
    static String summary(Comparison c) {
        Map<Outcome, Integer> n = new EnumMap<>(Outcome.class);
        c.rows().forEach(r -> n.merge(r.outcome(), 1, Integer::sum));
        List<String> parts = new ArrayList<>();
        for (Outcome o : Outcome.values()) parts.add(n.getOrDefault(o, 0) + " " + o.words());
        return c.rows().size() + " cases compared: " + String.join(", ", parts) + "; " + c.notCompared().size() + " not compared";
    }

    /** Reasons a case was not compared, with counts ("skipped in NEW" × 3). */
    static Map<String, Integer> notCompared(Comparison c) {
        Map<String, Integer> out = new LinkedHashMap<>();
        c.notCompared().forEach(s -> out.merge(s.why(), 1, Integer::sum));
        return out;
    }

    /** Regressions first, then slower within noise, then the rest; worst ratio first within each. */
    static List<Row> sorted(List<Row> rows) {
        return rows.stream().sorted(Comparator.comparing(Row::outcome)
                .thenComparing(Comparator.comparingDouble((Row r) -> r.estimate().ratio()).reversed())).toList();
    }

    static String interval(Row r) {
        return String.format(Locale.ROOT, "%.3g–%.3g", r.estimate().low(), r.estimate().high());
    }

    static String describe(Report r) {
        return r.host().hostname() + " " + r.host().hostKey() + ", " + ReportView.startMinute(r.run()) + " UTC"
                + (r.run() != null && r.run().interrupted() ? ", PARTIAL (interrupted run)" : "");
    }

    public static String percent(double threshold) {
        return Fmt.short3(threshold * 100) + "%";
    }
}
