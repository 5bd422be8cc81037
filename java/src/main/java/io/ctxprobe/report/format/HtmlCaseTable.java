package io.ctxprobe.report.format;

import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.Report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static io.ctxprobe.report.format.Fmt.html;

/**
 * The HTML report's table of every case, sortable by any column (report.js sorts on each cell's
 * {@code data-v}, numerically where the header says {@code data-type="num"}). One report: its
 * figures per case; several: one median column per report and the last report's over the first's.
 */
final class HtmlCaseTable {

    private HtmlCaseTable() {}

    static String render(List<Report> reports, List<String> labels) {
        StringBuilder out = new StringBuilder("<section id=\"cases\"><h2>Every case</h2>\n")
                .append("<p class=\"hint\">Click a column's header to sort by it; again to reverse.</p>\n")
                .append("<div class=\"scroll\"><table class=\"sortable cases\"><thead><tr>");
        if (reports.size() == 1) {
            header(out, List.of("probe", "case", "status"), "text");
            header(out, List.of("median", "p5", "p95"), "num");
            header(out, List.of("unit"), "text");
            header(out, List.of("n", "switches/op"), "num");
            header(out, List.of("derived", "reason, notes"), "text");
            out.append("</tr></thead><tbody>\n");
            for (CaseResult c : reports.getFirst().results()) single(out, c);
        } else {
            header(out, List.of("probe", "case", "unit"), "text");
            header(out, labels, "num");
            header(out, List.of("last / first"), "num");
            out.append("</tr></thead><tbody>\n");
            for (String key : ReportView.caseKeys(reports)) multi(out, key, reports);
        }
        return out.append("</tbody></table></div></section>\n").toString();
    }

    private static void header(StringBuilder out, List<String> names, String type) {
        for (String n : names) {
            out.append("<th data-type=\"").append(type).append("\" tabindex=\"0\">").append(html(n)).append("</th>");
        }
    }

    private static void single(StringBuilder out, CaseResult c) {
        out.append("<tr class=\"").append(c.status().label()).append("\">");
        text(out, c.probe());
        text(out, c.caseId());
        out.append("<td data-v=\"").append(c.status().label()).append("\"><span class=\"status ").append(c.status().label())
                .append("\">").append(c.status().label()).append("</span></td>");
        if (c.stats() != null) {
            num(out, c.stats().median());
            num(out, c.stats().p5());
            num(out, c.stats().p95());
        } else {
            out.append("<td data-v=\"\">–</td><td data-v=\"\">–</td><td data-v=\"\">–</td>");
        }
        out.append("<td class=\"unit\" data-v=\"").append(html(c.unit())).append("\">").append(html(c.unit())).append("</td>");
        if (c.stats() != null) {
            out.append("<td class=\"num\" data-v=\"").append(c.stats().n()).append("\">").append(c.stats().n()).append("</td>");
        } else {
            out.append("<td data-v=\"\">–</td>");
        }
        Map<String, Double> counts = ReportView.countersPerOp(c);
        if (counts.containsKey("voluntary-switches") || counts.containsKey("involuntary-switches")) {
            num(out, counts.getOrDefault("voluntary-switches", 0.0) + counts.getOrDefault("involuntary-switches", 0.0));
        } else {
            out.append("<td data-v=\"\">–</td>");
        }
        String derived = ReportView.derivedText(c);
        out.append("<td class=\"derived\" data-v=\"").append(html(derived)).append("\">")
                .append(html(String.join("\n", c.derivedOrEmpty().stream().map(ReportView::derivedText).toList())).replace("\n", "<br>"))
                .append("</td>");
        List<String> lines = new ArrayList<>();
        if (c.reason() != null) lines.add(c.reason());
        lines.addAll(c.notes());
        String all = String.join(" · ", lines);
        out.append("<td class=\"note\" data-v=\"").append(html(all)).append("\" title=\"").append(html(all)).append("\">")
                .append(html(all)).append("</td></tr>\n");
    }

    private static void multi(StringBuilder out, String key, List<Report> reports) {
        String probe = key.substring(0, key.indexOf('/'));
        String unit = null;
        List<Double> medians = new ArrayList<>();
        for (Report r : reports) {
            Optional<CaseResult> c = ReportView.find(r, key);
            if (unit == null && c.isPresent()) unit = c.get().unit();
            medians.add(c.filter(ReportView::measured).map(x -> x.stats().median()).orElse(null));
        }
        out.append("<tr>");
        text(out, probe);
        text(out, key.substring(probe.length() + 1));
        text(out, unit);
        for (Double m : medians) {
            if (m != null) num(out, m); else out.append("<td data-v=\"\">–</td>");
        }
        Double first = medians.getFirst();
        Double last = medians.getLast();
        if (first != null && last != null && first > 0) {
            double ratio = last / first;
            out.append("<td data-v=\"").append(String.format(Locale.ROOT, "%.6g", ratio)).append("\">").append(Fmt.ratio(ratio)).append("</td>");
        } else {
            out.append("<td data-v=\"\">–</td>");
        }
        out.append("</tr>\n");
    }

    private static void text(StringBuilder out, String s) {
        out.append("<td data-v=\"").append(html(s)).append("\">").append(html(s)).append("</td>");
    }

    private static void num(StringBuilder out, double v) {
        out.append("<td class=\"num\" data-v=\"").append(String.format(Locale.ROOT, "%.9g", v)).append("\">").append(Fmt.num(v)).append("</td>");
    }
}
