package io.ctxprobe.report.format;

import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.FleetFailure;
import io.ctxprobe.report.Status;

import java.util.List;
import java.util.Locale;

import static io.ctxprobe.report.format.Fmt.html;
import static io.ctxprobe.report.format.Fmt.md;

/**
 * The fleet view as HTML (one self-contained page, like the report's) and Markdown: the hosts
 * keyed by host key and grouped by the facts that explain differences, the hosts that gave no
 * report and why, each headline figure as a row across hosts with outliers marked and the fact
 * that explains each named where one does, then every other case folded. The CSV is
 * {@link FleetCsv}; what counts as an outlier is {@link FleetView}'s.
 */
public final class FleetReport {

    private static final String NL = "\n";
    private static final String STYLE = "<style>td.outlier.high { background: #fbe3e3; } td.outlier.low { background: #e3ecfb; }"
            + " td.differs { font-weight: 600; } td.num small { display: block; } tr.group th { text-align: center; }</style>\n";

    private FleetReport() {}

    /** "3 hosts measured (3 host keys, 1 group) · 1 not measured". */
    public static String countsLine(FleetView v) {
        String line = v.hosts().size() + (v.hosts().size() == 1 ? " host" : " hosts") + " measured (" + v.hosts().size()
                + (v.hosts().size() == 1 ? " host key, " : " host keys, ") + v.groups().size() + (v.groups().size() == 1 ? " group)" : " groups)");
        return line + " · " + v.failures().size() + " not measured";
    }

    /** "kernel, mitigations", or a sentence saying every host shares every fact. */
    static String differingLine(FleetView v) {
        List<String> d = v.differingFacts();
        return d.isEmpty() ? "every host shares " + String.join(", ", FleetFacts.NAMES) : String.join(", ", d);
    }

    public static String renderHtml(FleetView v) {
        String title = "ctxprobe fleet — " + v.hosts().size() + (v.hosts().size() == 1 ? " host" : " hosts");
        String header = "<p class=\"host\">" + html(countsLine(v)) + "</p>\n<p class=\"run\">Facts that differ across the fleet: "
                + html(differingLine(v)) + " · outlier: at least x" + Fmt.short3(1 + v.threshold()) + " or at most x"
                + Fmt.short3(1 / (1 + v.threshold())) + " the fleet's median, its own p5–p95 not reaching it</p>\n"
                + "<nav><a href=\"#hosts\">Hosts by group</a> <a href=\"#missing\">Not measured</a> <a href=\"#headline\">Headline figures</a> "
                + "<a href=\"#outliers\">Outliers</a> <a href=\"#every\">Every other case</a></nav>";
        StringBuilder main = new StringBuilder(STYLE);
        main.append(hostsHtml(v)).append(missingHtml(v));
        main.append("<section id=\"headline\"><h2>Headline figures, host by host</h2>\n")
                .append(figuresHtml(v, v.headlines())).append("</section>\n");
        main.append(outliersHtml(v));
        List<FleetView.Figure> rest = v.figures().stream().filter(f -> !f.headline()).toList();
        main.append("<section id=\"every\"><h2>Every other case</h2>\n<details><summary>").append(rest.size())
                .append(" more figures</summary>\n").append(figuresHtml(v, rest)).append("</details></section>\n");
        return HtmlReport.page(title, header, main.toString(), "Made by ctxprobe fleet from " + v.hosts().size() + " reports and "
                + v.failures().size() + " failure records. Medians of per-batch values.");
    }

    private static String hostsHtml(FleetView v) {
        List<String> differ = v.differingFacts();
        StringBuilder out = new StringBuilder("<section id=\"hosts\"><h2>Hosts, grouped by the facts that explain differences</h2>\n")
                .append("<div class=\"scroll\"><table><thead><tr><th>group</th><th>host</th><th>host key</th>");
        FleetFacts.NAMES.forEach(n -> out.append("<th>").append(html(n)).append("</th>"));
        out.append("<th>started (UTC)</th><th>cases</th></tr></thead><tbody>\n");
        for (FleetView.Host h : v.hosts()) {
            out.append("<tr><td>").append(h.group()).append("</td><td title=\"").append(html(ReportView.runLine(h.report().run())))
                    .append("\">").append(html(h.hostname())).append("</td><td><code>")
                    .append(html(h.key())).append("</code></td>");
            for (String n : FleetFacts.NAMES) {
                out.append(differ.contains(n) ? "<td class=\"differs\">" : "<td>").append(html(h.facts().get(n))).append("</td>");
            }
            out.append("<td>").append(html(started(h))).append("</td><td>")
                    .append(MarkdownReport.counts(h.report().results())).append("</td></tr>\n");
        }
        out.append("</tbody></table></div>\n");
        for (FleetView.Host h : v.hosts()) {
            if (!h.olderRuns().isEmpty()) {
                out.append("<p class=\"hint\">").append(html(h.hostname())).append(": ").append(h.olderRuns().size())
                        .append(" older run(s) of the same host key not shown (the latest is).</p>\n");
            }
        }
        return out.append("</section>\n").toString();
    }

    private static String missingHtml(FleetView v) {
        StringBuilder out = new StringBuilder("<section id=\"missing\"><h2>Not measured</h2>\n");
        if (v.failures().isEmpty()) return out.append("<p>Every host gave a report.</p></section>\n").toString();
        out.append("<div class=\"scroll\"><table><thead><tr><th>host</th><th>address</th><th>what happened</th><th>reason</th></tr></thead><tbody>\n");
        for (FleetFailure f : v.failures()) {
            out.append("<tr><td>").append(html(f.host())).append("</td><td>").append(html(f.address())).append("</td><td><span class=\"status failed\">")
                    .append(html(f.stage())).append("</span></td><td>").append(html(f.reason())).append("</td></tr>\n");
        }
        return out.append("</tbody></table></div></section>\n").toString();
    }

    private static String figuresHtml(FleetView v, List<FleetView.Figure> figures) {
        if (figures.isEmpty()) return "<p>No figure.</p>\n";
        StringBuilder out = new StringBuilder("<div class=\"scroll\"><table><thead><tr class=\"group\"><th></th><th></th>");
        for (FleetView.Group g : v.groups()) {
            out.append("<th colspan=\"").append(g.hosts().size()).append("\" title=\"").append(html(FleetView.factsLine(g.facts())))
                    .append("\">").append(html(groupHeading(v, g))).append("</th>");
        }
        out.append("<th></th></tr><tr><th>figure</th><th>unit</th>");
        for (FleetView.Host h : v.hosts()) {
            out.append("<th>").append(html(h.hostname())).append("<br><small>").append(html(h.key())).append("</small></th>");
        }
        out.append("<th>fleet median</th></tr></thead><tbody>\n");
        for (FleetView.Figure f : figures) {
            out.append("<tr><td>").append(html(f.label()));
            if (!f.label().equals(f.key())) out.append("<br><small>").append(html(f.key())).append("</small>");
            out.append("</td><td class=\"unit\">").append(html(f.unit())).append("</td>");
            for (FleetView.Cell c : f.cells()) out.append(cellHtml(c));
            out.append("<td class=\"num\">").append(f.fleetMedian() == null ? "–" : Fmt.num(f.fleetMedian())).append("</td></tr>\n");
        }
        return out.append("</tbody></table></div>\n").toString();
    }

    private static String cellHtml(FleetView.Cell c) {
        CaseResult r = c.result();
        if (r == null) return "<td class=\"num\" title=\"not in this host's run\">–</td>";
        if (c.median() == null) {
            return "<td class=\"num\" title=\"" + html(ReportView.statusText(r)) + "\"><span class=\"status " + r.status().label() + "\">"
                    + r.status().label() + "</span></td>";
        }
        StringBuilder out = new StringBuilder("<td class=\"num").append(c.outlier() ? " outlier " + mark(c) : "").append("\"");
        if (c.outlier()) out.append(" title=\"").append(html(explanation(c))).append("\"");
        out.append(">").append(Fmt.num(c.median()));
        if (c.outlier()) out.append("<small>").append(arrow(c)).append(' ').append(Fmt.ratio(c.ratio())).append("</small>");
        if (r.status() == Status.FLAGGED) out.append("<small><span class=\"status flagged\" title=\"").append(html(r.reason())).append("\">flagged</span></small>");
        return out.append("</td>").toString();
    }

    private static String outliersHtml(FleetView v) {
        StringBuilder out = new StringBuilder("<section id=\"outliers\"><h2>Outliers and the facts that explain them</h2>\n");
        StringBuilder items = new StringBuilder();
        for (FleetView.Figure f : v.headlines()) {
            for (FleetView.Cell c : f.outliers()) {
                items.append("<li><b>").append(html(c.host().hostname())).append("</b> ").append(html(f.label())).append(": ")
                        .append(Fmt.num(c.median())).append(' ').append(html(f.unit())).append(", ").append(Fmt.ratio(c.ratio()))
                        .append(" the fleet's median — ").append(html(explanation(c))).append("</li>\n");
            }
        }
        if (items.isEmpty()) {
            out.append("<p>No headline figure has an outlier").append(v.hosts().size() < FleetView.MIN_HOSTS_FOR_OUTLIERS
                    ? " (it takes " + FleetView.MIN_HOSTS_FOR_OUTLIERS + " measured hosts to call one host odd)." : ".").append("</p>\n");
        } else {
            out.append("<ul>\n").append(items).append("</ul>\n");
        }
        return out.append("</section>\n").toString();
    }

    /** "group A: PTI on, no PCID" — the group's values of the facts that differ across the fleet. */
    static String groupHeading(FleetView v, FleetView.Group g) {
        List<String> differ = v.differingFacts();
        return "group " + g.label() + (differ.isEmpty() ? "" : ": " + String.join(" · ", differ.stream().map(n -> g.facts().get(n)).toList()));
    }

    /** "2026-11-30 07:43", with "partial" when the run was interrupted (a deadline) or aborted. */
    static String started(FleetView.Host h) {
        var run = h.report().run();
        boolean partial = run != null && (run.interrupted() || run.aborted() != null);
        return ReportView.startMinute(run) + (partial ? " · partial" : "");
    }

    /** "explained by mitigations: PTI on, no PCID (the others: PTI off)", or that no listed fact does. */
    static String explanation(FleetView.Cell c) {
        String facts = c.explainedBy().isEmpty() ? "no fact of " + String.join(", ", FleetFacts.NAMES) + " sets it apart from the others"
                : "explained by " + String.join("; or ", c.explainedBy());
        // A flagged case (disturbed by other work, a mixture of modes...) says why its own figure may be off.
        return c.result() != null && c.result().status() == Status.FLAGGED ? facts + "; its case is flagged: " + c.result().reason() : facts;
    }

    private static String mark(FleetView.Cell c) {
        return c.mark().name().toLowerCase(Locale.ROOT);
    }

    private static String arrow(FleetView.Cell c) {
        return c.mark() == FleetView.Mark.HIGH ? "▲" : "▼";
    }

    public static String renderMarkdown(FleetView v) {
        StringBuilder out = new StringBuilder("## ctxprobe fleet — ").append(md(countsLine(v))).append(NL + NL)
                .append("**Facts that differ across the fleet:** ").append(md(differingLine(v))).append(NL + NL)
                .append("### Hosts, grouped by the facts that explain differences" + NL + NL + "| group | host | host key |");
        FleetFacts.NAMES.forEach(n -> out.append(' ').append(n).append(" |"));
        out.append(" started (UTC) | cases |" + NL + "|---|---|---|").append("---|".repeat(FleetFacts.NAMES.size())).append("---|---|" + NL);
        for (FleetView.Host h : v.hosts()) {
            out.append("| ").append(h.group()).append(" | ").append(md(h.hostname())).append(" | `").append(h.key()).append("` |");
            h.facts().values().forEach(f -> out.append(' ').append(md(f)).append(" |"));
            out.append(' ').append(md(started(h))).append(" | ").append(MarkdownReport.counts(h.report().results())).append(" |" + NL);
        }
        out.append(NL + "### Not measured" + NL + NL);
        if (v.failures().isEmpty()) {
            out.append("Every host gave a report." + NL);
        } else {
            out.append("| host | address | what happened | reason |" + NL + "|---|---|---|---|" + NL);
            v.failures().forEach(f -> out.append("| ").append(md(f.host())).append(" | ").append(md(f.address())).append(" | **")
                    .append(md(f.stage())).append("** | ").append(md(f.reason())).append(" |" + NL));
        }
        out.append(NL + "### Headline figures, host by host" + NL + NL).append(figuresMd(v, v.headlines()));
        out.append(NL + "### Outliers and the facts that explain them" + NL + NL);
        boolean any = false;
        for (FleetView.Figure f : v.headlines()) {
            for (FleetView.Cell c : f.outliers()) {
                any = true;
                out.append("- **").append(md(c.host().hostname())).append("** ").append(md(f.label())).append(": ").append(Fmt.num(c.median()))
                        .append(' ').append(md(f.unit())).append(", ").append(Fmt.ratio(c.ratio())).append(" the fleet's median — ")
                        .append(md(explanation(c))).append(NL);
            }
        }
        if (!any) out.append("No headline figure has an outlier." + NL);
        List<FleetView.Figure> rest = v.figures().stream().filter(f -> !f.headline()).toList();
        out.append(NL + "<details><summary><b>Every other case</b> (").append(rest.size()).append(")</summary>" + NL + NL)
                .append(figuresMd(v, rest)).append(NL + "</details>" + NL);
        return out.toString();
    }

    private static String figuresMd(FleetView v, List<FleetView.Figure> figures) {
        if (figures.isEmpty()) return "No figure." + NL;
        StringBuilder out = new StringBuilder("| figure | unit |");
        v.hosts().forEach(h -> out.append(' ').append(md(h.hostname())).append(" (").append(h.group()).append(") |"));
        out.append(" fleet median |" + NL + "|---|---|").append("---:|".repeat(v.hosts().size() + 1)).append(NL);
        for (FleetView.Figure f : figures) {
            out.append("| ").append(md(f.label())).append(" | ").append(md(f.unit())).append(" |");
            for (FleetView.Cell c : f.cells()) {
                String text;
                if (c.result() == null) text = "–";
                else if (c.median() == null) text = c.result().status().label();
                else text = (c.outlier() ? "**" + Fmt.num(c.median()) + " " + arrow(c) + " " + Fmt.ratio(c.ratio()) + "**" : Fmt.num(c.median()))
                        + (c.result().status() == Status.FLAGGED ? " (flagged)" : "");
                out.append(' ').append(text).append(" |");
            }
            out.append(' ').append(f.fleetMedian() == null ? "–" : Fmt.num(f.fleetMedian())).append(" |" + NL);
        }
        return out.toString();
    }
}
