package io.ctxprobe.report.format;

import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.CostLadder;
import io.ctxprobe.report.Report;
import io.ctxprobe.report.Status;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static io.ctxprobe.report.format.Fmt.md;

/**
 * The Markdown report, written to read well as a pull-request comment (GitHub-flavoured tables,
 * long parts folded in {@code <details>}): the host line, the cost ladder, the claims with their
 * verdicts, what needs attention, then the tables per probe. Several reports: one table per part
 * with a column per report.
 */
public final class MarkdownReport {

    private static final String NL = "\n";

    private MarkdownReport() {}

    public static String render(Report report) {
        return render(List.of(report));
    }

    public static String render(List<Report> reports) {
        if (reports.isEmpty()) throw new IllegalArgumentException("a Markdown report needs at least one report");
        return reports.size() == 1 ? single(reports.getFirst()) : several(reports);
    }

    private static String single(Report r) {
        StringBuilder out = new StringBuilder("## ctxprobe report — ").append(md(r.host().hostname())).append(NL + NL);
        out.append("**Host:** ").append(md(ReportView.hostLine(r.host()))).append("  " + NL);
        out.append("**Run:** ").append(md(ReportView.runLine(r.run()))).append(" · host key `").append(r.host().hostKey()).append('`')
                .append("  " + NL).append("**Cases:** ").append(counts(r.results())).append(NL + NL);
        CostLadder ladder = ReportView.ladder(r);
        out.append("### Cost ladder (sorted by what was measured)" + NL + NL);
        if (ladder.ladders().isEmpty()) out.append("_Not enough switch cases in this run for a ladder._" + NL + NL);
        for (CostLadder.Ladder l : ladder.ladders()) {
            out.append("**").append(l.placement()).append("**" + NL + NL)
                    .append("| rung | median | p5–p95 | × the rung below | case |" + NL + "|---|---:|---:|---:|---|" + NL);
            for (int i = l.rungs().size() - 1; i >= 0; i--) {
                CostLadder.Rung rung = l.rungs().get(i);
                Optional<CaseResult> c = ReportView.find(r, rung.key());
                out.append("| ").append(md(rung.label())).append(" | ").append(Fmt.num(rung.medianNs())).append(' ').append(md(rung.unit()))
                        .append(" | ").append(c.map(x -> Fmt.num(x.stats().p5()) + "–" + Fmt.num(x.stats().p95())).orElse(""))
                        .append(" | ").append(rung.ratioToBelow() == null ? "" : Fmt.ratio(rung.ratioToBelow())).append(" | `")
                        .append(rung.key()).append("` |" + NL);
            }
            out.append(NL);
        }
        out.append("### The seed's claims on this host" + NL + NL);
        for (CostLadder.Claim c : ladder.claims()) {
            out.append("- **").append(verdict(c.verdict())).append("** — ").append(md(c.claim())).append("  " + NL + "  _")
                    .append(md(c.evidence())).append('_' + NL);
            if (c.figures() != null) {
                out.append("  figures: ").append(md(String.join("; ", c.figures().stream().map(ReportView::derivedText).toList())))
                        .append(NL);
            }
        }
        out.append(NL).append(attention(List.of(r), List.of(""))).append("### Results by probe" + NL + NL);
        Map<String, List<CaseResult>> byProbe = new LinkedHashMap<>();
        r.results().forEach(c -> byProbe.computeIfAbsent(c.probe(), p -> new ArrayList<>()).add(c));
        byProbe.forEach((probe, cases) -> {
            out.append("<details><summary><b>").append(probe).append("</b> — ").append(counts(cases)).append("</summary>" + NL + NL)
                    .append("| case | status | median | p5–p95 | unit | switches/op | derived |" + NL + "|---|---|---:|---:|---|---:|---|" + NL);
            for (CaseResult c : cases) {
                out.append("| ").append(md(c.caseId())).append(" | ").append(c.status().label()).append(" | ")
                        .append(c.stats() != null ? Fmt.num(c.stats().median()) : "–").append(" | ")
                        .append(c.stats() != null ? Fmt.num(c.stats().p5()) + "–" + Fmt.num(c.stats().p95()) : "–").append(" | ")
                        .append(md(c.unit())).append(" | ").append(switches(c)).append(" | ")
                        .append(c.derivedOrEmpty().isEmpty() ? "" : md(ReportView.derivedText(c))).append(" |" + NL);
            }
            out.append(NL + "</details>" + NL + NL);
        });
        return out.toString();
    }

    private static String several(List<Report> reports) {
        List<String> labels = ReportView.labels(reports);
        StringBuilder out = new StringBuilder("## ctxprobe: ").append(reports.size()).append(" reports, ")
                .append(ReportView.comparisonKind(reports)).append(NL + NL + "| column | host | facts | run | cases |" + NL + "|---|---|---|---|---|" + NL);
        for (int i = 0; i < reports.size(); i++) {
            Report r = reports.get(i);
            out.append("| ").append(md(labels.get(i))).append(" | ").append(md(r.host().hostname())).append(" `").append(r.host().hostKey())
                    .append("` | ").append(md(ReportView.hostLine(r.host()))).append(" | ").append(md(ReportView.runLine(r.run())))
                    .append(" | ").append(counts(r.results())).append(" |" + NL);
        }
        out.append(NL + "### Cost ladder" + NL + NL);
        for (ChartData.BarChart chart : ChartData.ladders(reports, labels)) {
            out.append("**").append(chart.id().substring("ladder-".length())).append("** (median)" + NL + NL + "| rung |");
            labels.forEach(l -> out.append(' ').append(md(l)).append(" |"));
            out.append(NL + "|---|").append("---:|".repeat(labels.size())).append(NL);
            for (ChartData.BarRow row : chart.rows()) {
                out.append("| ").append(md(row.label())).append(" |");
                row.points().forEach(p -> out.append(' ').append(p == null ? "–" : Fmt.time(p.value())).append(" |"));
                out.append(NL);
            }
            out.append(NL);
        }
        out.append("### The seed's claims" + NL + NL + "| claim |");
        labels.forEach(l -> out.append(' ').append(md(l)).append(" |"));
        out.append(NL + "|---|").append("---|".repeat(labels.size())).append(NL);
        List<List<CostLadder.Claim>> claims = reports.stream().map(r -> ReportView.ladder(r).claims()).toList();
        for (int c = 0; c < claims.getFirst().size(); c++) {
            out.append("| ").append(md(claims.getFirst().get(c).claim())).append(" |");
            for (List<CostLadder.Claim> list : claims) out.append(' ').append(verdict(list.get(c).verdict())).append(" |");
            out.append(NL);
        }
        out.append(NL).append(attention(reports, labels));
        out.append("<details><summary><b>Every case</b>, median per report</summary>" + NL + NL + "| case | unit |");
        labels.forEach(l -> out.append(' ').append(md(l)).append(" |"));
        out.append(" last / first |" + NL + "|---|---|").append("---:|".repeat(labels.size() + 1)).append(NL);
        for (String key : ReportView.caseKeys(reports)) {
            List<Double> medians = reports.stream().map(r -> ReportView.find(r, key).filter(ReportView::measured)
                    .map(c -> c.stats().median()).orElse(null)).toList();
            String unit = reports.stream().map(r -> ReportView.find(r, key)).flatMap(Optional::stream).findFirst()
                    .map(CaseResult::unit).orElse("");
            out.append("| `").append(key).append("` | ").append(md(unit)).append(" |");
            medians.forEach(m -> out.append(' ').append(m == null ? "–" : Fmt.num(m)).append(" |"));
            Double first = medians.getFirst();
            Double last = medians.getLast();
            out.append(' ').append(first != null && last != null && first > 0 ? Fmt.ratio(last / first) : "–").append(" |" + NL);
        }
        return out.append(NL + "</details>" + NL).toString();
    }

    /** Failed and flagged cases with their reasons; skipped ones folded, one line per reason. */
    private static String attention(List<Report> reports, List<String> labels) {
        StringBuilder rows = new StringBuilder();
        Map<String, Integer> skipped = new LinkedHashMap<>();
        for (int i = 0; i < reports.size(); i++) {
            String where = labels.get(i).isEmpty() ? "" : labels.get(i) + ": ";
            for (CaseResult c : reports.get(i).results()) {
                if (c.status() == Status.FAILED || c.status() == Status.FLAGGED) {
                    rows.append("| ").append(md(where)).append('`').append(c.key()).append("` | **").append(c.status().label())
                            .append("** | ").append(md(c.reason())).append(" |" + NL);
                } else if (c.status() == Status.SKIPPED) {
                    skipped.merge(c.reason() == null ? "no reason given" : c.reason(), 1, Integer::sum);
                }
            }
        }
        StringBuilder out = new StringBuilder("### Needs attention" + NL + NL);
        out.append(rows.isEmpty() ? "No case failed or was flagged." + NL : "| case | status | why |" + NL + "|---|---|---|" + NL + rows);
        if (!skipped.isEmpty()) {
            out.append(NL + "<details><summary>").append(skipped.values().stream().mapToInt(Integer::intValue).sum())
                    .append(" skipped cases, by reason</summary>" + NL + NL);
            skipped.forEach((reason, n) -> out.append("- ").append(n).append(" × ").append(md(reason)).append(NL));
            out.append(NL + "</details>" + NL);
        }
        return out.append(NL).toString();
    }

    static String counts(List<CaseResult> cases) {
        Map<Status, Integer> n = new LinkedHashMap<>();
        for (Status s : Status.values()) n.put(s, 0);
        cases.forEach(c -> n.merge(c.status(), 1, Integer::sum));
        List<String> parts = new ArrayList<>();
        n.forEach((s, k) -> {
            if (k > 0) parts.add(k + " " + s.label());
        });
        return cases.size() + " (" + String.join(", ", parts) + ")";
    }

    private static String switches(CaseResult c) {
        Map<String, Double> counts = ReportView.countersPerOp(c);
        if (!counts.containsKey("voluntary-switches") && !counts.containsKey("involuntary-switches")) return "–";
        return Fmt.short3(counts.getOrDefault("voluntary-switches", 0.0) + counts.getOrDefault("involuntary-switches", 0.0));
    }

    private static String verdict(CostLadder.Verdict v) {
        return v.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
