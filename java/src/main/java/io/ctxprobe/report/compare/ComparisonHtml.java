package io.ctxprobe.report.compare;

import io.ctxprobe.report.compare.Comparison.HostDifference;
import io.ctxprobe.report.compare.Comparison.Outcome;
import io.ctxprobe.report.compare.Comparison.Row;
import io.ctxprobe.report.format.Fmt;
import io.ctxprobe.report.format.HtmlReport;

import java.util.Locale;
import java.util.Map;

import static io.ctxprobe.report.format.Fmt.html;

/**
 * A comparison as one self-contained HTML page: the verdict, host differences when the hosts
 * differ, and a sortable table whose every row draws its ratio and 95% interval on a shared log
 * axis (0.5 to 2, clipped) beside the threshold, so noise and regressions are told apart at a glance.
 */
public final class ComparisonHtml {

    private static final double AXIS_LO = 0.5;
    private static final double AXIS_HI = 2.0;
    private static final int W = 160;

    private ComparisonHtml() {}

    public static String render(Comparison c, String baseName, String newName) {
        String header = "<p class=\"host\">BASE " + html(baseName) + " — " + html(ComparisonText.describe(c.base())) + "<br>NEW "
                + html(newName) + " — " + html(ComparisonText.describe(c.next())) + "</p>\n<p class=\"run\">"
                + html("Method: " + Comparison.METHOD + "; threshold " + ComparisonText.percent(c.threshold()) + ".") + "</p>\n";
        StringBuilder main = new StringBuilder("<section id=\"verdict\"><h2 class=\"")
                .append(c.regressions().isEmpty() ? "improved" : "regression").append("\">").append(html(ComparisonText.headline(c)))
                .append("</h2>\n<p>").append(html(ComparisonText.summary(c))).append("</p></section>\n");
        if (!c.sameHost()) {
            main.append("<section id=\"hosts\"><h2>Different hosts</h2><p>The figures compare two machines, not two builds.</p>")
                    .append("<div class=\"scroll\"><table><thead><tr><th>host fact</th><th>BASE</th><th>NEW</th></tr></thead><tbody>\n");
            for (HostDifference d : c.hostDifferences()) {
                main.append("<tr><td>").append(html(d.what())).append("</td><td>").append(html(d.base())).append("</td><td>")
                        .append(html(d.next())).append("</td></tr>\n");
            }
            main.append("</tbody></table></div></section>\n");
        }
        main.append("<section id=\"cases\"><h2>Every compared case</h2><p class=\"hint\">Bars: the 95% interval of the cost ratio, ")
                .append("dot: the ratio of medians, on a log axis from ×0.5 to ×2; the dashed line is 1 + threshold. ")
                .append("Click a header to sort.</p>\n<div class=\"scroll\"><table class=\"sortable cases\"><thead><tr>")
                .append("<th data-type=\"text\">case</th><th data-type=\"num\">BASE</th><th data-type=\"num\">NEW</th>")
                .append("<th data-type=\"text\">unit</th><th data-type=\"num\">ratio</th><th data-type=\"num\">interval</th>")
                .append("<th data-type=\"text\">outcome</th></tr></thead><tbody>\n");
        for (Row r : ComparisonText.sorted(c.rows())) row(main, r, c.threshold());
        main.append("</tbody></table></div></section>\n");
        Map<String, Integer> skipped = ComparisonText.notCompared(c);
        if (!skipped.isEmpty()) {
            main.append("<section><details><summary>").append(c.notCompared().size()).append(" cases not compared</summary><ul>\n");
            skipped.forEach((why, n) -> main.append("<li>").append(n).append(" × ").append(html(why)).append("</li>\n"));
            main.append("</ul></details></section>\n");
        }
        return HtmlReport.page("ctxprobe compare — " + c.base().host().hostname() + " vs " + c.next().host().hostname(),
                header, main.toString(), "Made by ctxprobe compare.");
    }

    private static void row(StringBuilder out, Row r, double threshold) {
        String cls = switch (r.outcome()) {
            case REGRESSION -> "regression";
            case SLOWER_WITHIN_NOISE, FASTER_WITHIN_NOISE -> "noise";
            case IMPROVED -> "improved";
            case UNCHANGED -> "";
        };
        out.append("<tr><td data-v=\"").append(html(r.key())).append("\"><code>").append(html(r.key())).append("</code></td>");
        num(out, r.baseMedian(), Fmt.num(r.baseMedian()));
        num(out, r.newMedian(), Fmt.num(r.newMedian()));
        out.append("<td data-v=\"").append(html(r.unit())).append("\">").append(html(r.unit())).append("</td>");
        num(out, r.estimate().ratio(), Fmt.ratio(r.estimate().ratio()));
        out.append("<td data-v=\"").append(String.format(Locale.ROOT, "%.6g", r.estimate().low())).append("\">")
                .append(interval(r, threshold)).append(' ').append(ComparisonText.interval(r)).append("</td><td data-v=\"")
                .append(r.outcome().ordinal()).append("\" class=\"").append(cls).append("\">").append(html(r.outcome().words()))
                .append("</td></tr>\n");
    }

    private static void num(StringBuilder out, double v, String shown) {
        out.append("<td class=\"num\" data-v=\"").append(String.format(Locale.ROOT, "%.9g", v)).append("\">").append(html(shown)).append("</td>");
    }

    /** A small SVG: the interval as a bar, the ratio as a dot, 1 and 1 + threshold as lines. */
    private static String interval(Row r, double threshold) {
        String cls = r.outcome() == Outcome.REGRESSION ? "s4" : r.outcome() == Outcome.IMPROVED ? "s2" : "s0";
        return "<svg class=\"interval\" viewBox=\"0 0 " + W + " 14\" width=\"" + W + "\" height=\"14\" style=\"display:inline;width:"
                + W + "px;vertical-align:middle\"><line x1=\"" + x(1) + "\" x2=\"" + x(1) + "\" y1=\"0\" y2=\"14\" stroke=\"#999\"/>"
                + "<line x1=\"" + x(1 + threshold) + "\" x2=\"" + x(1 + threshold) + "\" y1=\"0\" y2=\"14\" stroke=\"#c44e52\" "
                + "stroke-dasharray=\"3 2\"/><g class=\"mark " + cls + "\" data-key=\"" + html(r.key()) + "\"><rect x=\""
                + x(r.estimate().low()) + "\" y=\"5\" height=\"4\" width=\"" + Math.max(1, x(r.estimate().high()) - x(r.estimate().low()))
                + "\" opacity=\".5\"/><circle cx=\"" + x(r.estimate().ratio()) + "\" cy=\"7\" r=\"3\"/></g></svg>";
    }

    private static int x(double ratio) {
        double v = Math.max(AXIS_LO, Math.min(AXIS_HI, ratio));
        return (int) Math.round((Math.log(v) - Math.log(AXIS_LO)) / (Math.log(AXIS_HI) - Math.log(AXIS_LO)) * (W - 2)) + 1;
    }
}
