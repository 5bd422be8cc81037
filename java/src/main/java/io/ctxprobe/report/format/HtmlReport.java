package io.ctxprobe.report.format;

import io.ctxprobe.host.Fact;
import io.ctxprobe.host.FactSection;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.CostLadder;
import io.ctxprobe.report.Report;
import io.ctxprobe.report.Status;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.ctxprobe.report.format.Fmt.html;

/**
 * The HTML report: one self-contained file (styles, charts and the few lines of table-sorting
 * script inline; a Content-Security-Policy that forbids every fetch), readable at laptop width and
 * on paper. One report gives the answer first (ladder, claims, what needs attention), then the
 * charts, every case in a sortable table and the host's facts; several reports give one page that
 * sets them side by side (host by host, or run by run).
 */
public final class HtmlReport {

    /** Nothing may be fetched: inline styles and scripts only, images only as data: URLs. */
    static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

    private HtmlReport() {}

    public static String render(Report report) {
        return render(List.of(report));
    }

    public static String render(List<Report> reports) {
        if (reports.isEmpty()) throw new IllegalArgumentException("an HTML report needs at least one report");
        List<String> labels = reports.size() == 1 ? List.of("") : ReportView.labels(reports);
        StringBuilder out = new StringBuilder(64 * 1024);
        String title = reports.size() == 1 ? "ctxprobe — " + reports.getFirst().host().hostname()
                : "ctxprobe — " + reports.size() + " reports, " + ReportView.comparisonKind(reports);
        StringBuilder header = new StringBuilder();
        if (reports.size() == 1) {
            Report r = reports.getFirst();
            header.append("<p class=\"host\">").append(html(ReportView.hostLine(r.host()))).append("</p>\n<p class=\"run\">")
                    .append(html(ReportView.runLine(r.run()))).append(" · host key ").append(html(r.host().hostKey())).append("</p>\n");
        }
        header.append("<nav><a href=\"#answer\">Answer</a> <a href=\"#attention\">Needs attention</a> <a href=\"#charts\">Charts</a> ")
                .append("<a href=\"#cases\">Every case</a> <a href=\"#host\">Host facts</a></nav>");
        if (reports.size() > 1) out.append(reportsTable(reports, labels));
        out.append("<section id=\"answer\"><h2>The answer: cost ladder and claims</h2>\n<div class=\"grid\">");
        for (ChartData.BarChart chart : ChartData.ladders(reports, labels)) out.append(figure(chart.id(), chart.title(), chart.caption(), SvgCharts.bars(chart)));
        out.append("</div>\n").append(claims(reports, labels)).append("</section>\n");
        out.append(attention(reports, labels));
        out.append(charts(reports, labels));
        out.append(HtmlCaseTable.render(reports, labels));
        out.append(hostFacts(reports, labels));
        return page(title, header.toString(), out.toString(), "Made by ctxprobe from " + (reports.size() == 1 ? "one report"
                : reports.size() + " reports") + ". Medians of per-batch values; whiskers span p5–p95 of the batches.");
    }

    /**
     * A whole self-contained page: {@code header} and {@code main} are HTML, {@code footer} text.
     * The page's styles and its sorting script are inlined; the CSP forbids fetching anything.
     */
    public static String page(String title, String header, String main, String footer) {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                + "<meta http-equiv=\"Content-Security-Policy\" content=\"" + CSP + "\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<link rel=\"icon\" href=\"data:,\">\n<title>" + html(title) + "</title>\n<style>\n" + resource("report.css")
                + "</style></head>\n<body>\n<header><h1>" + html(title) + "</h1>\n" + header + "</header>\n<main>\n" + main
                + "</main>\n<footer>" + html(footer) + " Charts are inline SVG drawn by ctxprobe itself; this file loads nothing "
                + "from anywhere.</footer>\n<script>\n" + resource("report.js") + "</script>\n</body></html>\n";
    }

    private static String charts(List<Report> reports, List<String> labels) {
        StringBuilder out = new StringBuilder("<section id=\"charts\"><h2>Charts</h2>\n<div class=\"grid\">");
        int before = out.length();
        for (ChartData.BarChart chart : List.of(ChartData.creation(reports, labels), ChartData.footprint(reports, labels))) {
            if (!chart.rows().isEmpty()) out.append(figure(chart.id(), chart.title(), chart.caption(), SvgCharts.bars(chart)));
        }
        StringBuilder maps = new StringBuilder();
        for (int i = 0; i < reports.size(); i++) {
            for (ChartData.Heatmap map : ChartData.heatmaps(reports.get(i))) {
                String id = reports.size() > 1 ? map.id() + "-" + (i + 1) : map.id();
                String title = (reports.size() > 1 ? labels.get(i) + ": " : "") + map.title();
                maps.append(figure(id, title, "median " + map.unit() + " per CPU pair; darker is cheaper", SvgCharts.heatmap(map)));
            }
        }
        if (!maps.isEmpty()) out.append("</div>\n<h3>All-pairs matrices</h3>\n<div class=\"grid small\">").append(maps).append("</div>\n<div class=\"grid\">");
        List<ChartData.Curve> curves = new ArrayList<>(ChartData.tlbCurves(reports, labels));
        curves.addAll(ChartData.forkVsMemory(reports, labels));
        for (ChartData.Curve curve : curves) out.append(figure(curve.id(), curve.title(), curve.caption(), SvgCharts.curve(curve)));
        for (ChartData.BarChart chart : List.of(ChartData.ipcLatency(reports, labels), ChartData.ipcBandwidth(reports, labels))) {
            if (!chart.rows().isEmpty()) out.append(figure(chart.id(), chart.title(), chart.caption(), SvgCharts.bars(chart)));
        }
        if (out.length() == before) out.append("<p>No case of this run has a chart (run more probes to see some).</p>");
        return out.append("</div></section>\n").toString();
    }

    private static String figure(String id, String title, String caption, String svg) {
        return "<figure data-chart=\"" + html(id) + "\"><figcaption><b>" + html(title) + "</b> <span>" + html(caption)
                + "</span></figcaption>\n" + svg + "</figure>\n";
    }

    private static String reportsTable(List<Report> reports, List<String> labels) {
        StringBuilder out = new StringBuilder("<section id=\"reports\"><h2>The reports, ").append(ReportView.comparisonKind(reports))
                .append("</h2>\n<div class=\"scroll\"><table><thead><tr><th>column</th><th>host</th><th>facts</th><th>run</th></tr></thead><tbody>\n");
        for (int i = 0; i < reports.size(); i++) {
            Report r = reports.get(i);
            out.append("<tr><td><span class=\"key s").append(i % 6).append("\"></span> ").append(html(labels.get(i))).append("</td><td>")
                    .append(html(r.host().hostname())).append(" <code>").append(html(r.host().hostKey())).append("</code></td><td>")
                    .append(html(ReportView.hostLine(r.host()))).append("</td><td>").append(html(ReportView.runLine(r.run())))
                    .append("</td></tr>\n");
        }
        return out.append("</tbody></table></div></section>\n").toString();
    }

    private static String claims(List<Report> reports, List<String> labels) {
        List<List<CostLadder.Claim>> all = reports.stream().map(r -> ReportView.ladder(r).claims()).toList();
        StringBuilder out = new StringBuilder("<h3>The seed's claims on ").append(reports.size() == 1 ? "this host" : "each report")
                .append("</h3>\n<div class=\"scroll\"><table class=\"claims\"><thead><tr><th>claim</th>");
        for (String l : labels) out.append("<th>").append(l.isEmpty() ? "verdict" : html(l)).append("</th>");
        out.append("</tr></thead><tbody>\n");
        for (int c = 0; c < all.getFirst().size(); c++) {
            out.append("<tr><td>").append(html(all.getFirst().get(c).claim())).append("</td>");
            for (List<CostLadder.Claim> claims : all) {
                CostLadder.Claim claim = claims.get(c);
                String verdict = claim.verdict().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
                out.append("<td><span class=\"verdict ").append(claim.verdict().name().toLowerCase(java.util.Locale.ROOT))
                        .append("\">").append(html(verdict)).append("</span><br><small>").append(html(claim.evidence()))
                        .append(claim.figures() == null ? "" : "<br>" + html(String.join("; ",
                                claim.figures().stream().map(ReportView::derivedText).toList())))
                        .append("</small></td>");
            }
            out.append("</tr>\n");
        }
        return out.append("</tbody></table></div>\n").toString();
    }

    private static String attention(List<Report> reports, List<String> labels) {
        StringBuilder rows = new StringBuilder();
        Map<String, List<String>> skipped = new LinkedHashMap<>();
        for (int i = 0; i < reports.size(); i++) {
            for (CaseResult c : reports.get(i).results()) {
                String where = reports.size() > 1 ? labels.get(i) + ": " : "";
                if (c.status() == Status.FAILED || c.status() == Status.FLAGGED) {
                    rows.append("<tr><td>").append(html(where + c.key())).append("</td><td><span class=\"status ")
                            .append(c.status().label()).append("\">").append(c.status().label()).append("</span></td><td>")
                            .append(html(c.reason())).append("</td></tr>\n");
                } else if (c.status() == Status.SKIPPED) {
                    skipped.computeIfAbsent(c.reason() == null ? "no reason given" : c.reason(), k -> new ArrayList<>()).add(where + c.key());
                }
            }
        }
        StringBuilder out = new StringBuilder("<section id=\"attention\"><h2>Needs attention</h2>\n");
        out.append(rows.isEmpty() ? "<p>No case failed or was flagged.</p>\n"
                : "<div class=\"scroll\"><table><thead><tr><th>case</th><th>status</th><th>why</th></tr></thead><tbody>\n" + rows
                        + "</tbody></table></div>\n");
        if (!skipped.isEmpty()) {
            out.append("<details><summary>").append(skipped.values().stream().mapToInt(List::size).sum())
                    .append(" skipped cases, by reason</summary><ul>\n");
            skipped.forEach((reason, keys) -> out.append("<li>").append(html(reason)).append(" <small>(").append(keys.size())
                    .append(": ").append(html(String.join(", ", keys))).append(")</small></li>\n"));
            out.append("</ul></details>\n");
        }
        return out.append("</section>\n").toString();
    }

    private static String hostFacts(List<Report> reports, List<String> labels) {
        StringBuilder out = new StringBuilder("<section id=\"host\"><h2>Host facts</h2>\n");
        for (int i = 0; i < reports.size(); i++) {
            Report r = reports.get(i);
            if (reports.size() > 1) out.append("<h3>").append(html(labels.get(i))).append("</h3>\n");
            for (FactSection section : r.host().sections()) {
                out.append("<details><summary>").append(html(section.name())).append(" (").append(section.facts().size())
                        .append(")</summary><table class=\"facts\"><tbody>\n");
                for (Fact f : section.facts()) {
                    out.append("<tr><td>").append(html(f.name())).append("</td><td>").append(html(f.value() == null ? "—" : f.value()))
                            .append(f.flag() != null ? " <em>(" + html(f.flag()) + ")</em>" : "").append("</td><td><small>")
                            .append(html(f.source())).append("</small></td></tr>\n");
                }
                out.append("</tbody></table></details>\n");
            }
        }
        return out.append("</section>\n").toString();
    }

    static String resource(String name) {
        try (InputStream in = HtmlReport.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing resource " + name + " (a broken build)");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
