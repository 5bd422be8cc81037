package io.ctxprobe.report.format;

import io.ctxprobe.report.Status;
import io.ctxprobe.report.format.ChartData.Axis;
import io.ctxprobe.report.format.ChartData.BarChart;
import io.ctxprobe.report.format.ChartData.BarRow;
import io.ctxprobe.report.format.ChartData.Cell;
import io.ctxprobe.report.format.ChartData.Curve;
import io.ctxprobe.report.format.ChartData.Heatmap;
import io.ctxprobe.report.format.ChartData.Marker;
import io.ctxprobe.report.format.ChartData.Point;
import io.ctxprobe.report.format.ChartData.Series;
import io.ctxprobe.report.format.ChartData.XY;

import java.util.List;
import java.util.Objects;

import static io.ctxprobe.report.format.Fmt.html;
import static io.ctxprobe.report.format.SvgScale.c;

/**
 * The HTML report's charts as inline SVG, written here in Java: no script library to vet or
 * inline, the same report gives the same bytes, and SVG prints sharp. Each data point is one
 * element of class {@code mark} carrying its case key ({@code data-key}); axes, legends and
 * reference lines are not marks. Colours come from CSS classes ({@code s0..s5} per series).
 */
final class SvgCharts {

    private static final int WIDTH = 620;
    /** Width of one character of an 11.5 px label, generously (DejaVu Sans is wide): labels are never cut. */
    private static final double LABEL_CHAR_W = 6.6;
    private static final int BAR_H = 13;

    private SvgCharts() {}

    static String bars(BarChart chart) {
        int series = chart.series().size();
        int rowH = series * BAR_H + 9;
        int top = series > 1 ? 26 : 8;
        int height = top + chart.rows().size() * rowH + 34;
        double min = Double.MAX_VALUE;
        double max = 0;
        for (BarRow row : chart.rows()) {
            for (Point p : row.points()) {
                if (p == null) continue;
                min = Math.min(min, Math.min(p.p5(), p.value()));
                max = Math.max(max, Math.max(p.p95(), p.value()));
            }
        }
        int labelW = (int) Math.min(320, Math.max(100, 12 + LABEL_CHAR_W
                * chart.rows().stream().mapToInt(r -> r.label().length()).max().orElse(10)));
        SvgScale x = SvgScale.of(min, max, chart.log(), labelW, WIDTH - 70, chart.axis() == Axis.KIB ? 2 : 10);
        StringBuilder s = open(chart.id(), chart.title(), height);
        if (series > 1) legend(s, chart.series(), labelW, 14);
        xAxis(s, x, chart.axis(), top, height - 28);
        int y = top;
        for (BarRow row : chart.rows()) {
            s.append("<text class=\"label\" x=\"").append(labelW - 6).append("\" y=\"").append(c(y + rowH / 2.0))
                    .append("\" text-anchor=\"end\" dominant-baseline=\"middle\">").append(html(row.label())).append("</text>\n");
            for (int i = 0; i < row.points().size(); i++) {
                Point p = row.points().get(i);
                if (p != null) bar(s, x, p, chart.axis(), i, y + i * BAR_H, row.label(), chart.series().get(i));
            }
            y += rowH;
        }
        return close(s);
    }

    private static void bar(StringBuilder s, SvgScale x, Point p, Axis axis, int series, double y, String label, String seriesName) {
        double x0 = x.px(x.log() ? x.lo() : 0);
        double x1 = x.px(p.value());
        double mid = y + BAR_H / 2.0;
        s.append("<g class=\"mark s").append(series % 6).append(p.status() == Status.FLAGGED ? " flagged" : "")
                .append("\" data-key=\"").append(html(p.key())).append("\"><title>").append(html(label))
                .append(seriesName.isEmpty() ? "" : " (" + html(seriesName) + ")").append(": median ")
                .append(html(value(axis, p.value()))).append(", p5–p95 ").append(html(value(axis, p.p5()))).append("–")
                .append(html(value(axis, p.p95()))).append(p.status() == Status.FLAGGED ? " [flagged]" : "").append("</title>");
        s.append("<rect x=\"").append(c(x0)).append("\" y=\"").append(c(y + 1)).append("\" width=\"").append(c(Math.max(1, x1 - x0)))
                .append("\" height=\"").append(BAR_H - 2).append("\"/>");
        double w0 = x.px(p.p5());
        double w1 = x.px(p.p95());
        s.append("<path class=\"whisker\" d=\"M").append(c(w0)).append(' ').append(c(mid)).append("H").append(c(w1))
                .append("M").append(c(w0)).append(' ').append(c(mid - 4)).append("V").append(c(mid + 4))
                .append("M").append(c(w1)).append(' ').append(c(mid - 4)).append("V").append(c(mid + 4)).append("\"/>");
        s.append("<text class=\"value\" x=\"").append(c(Math.max(x1, w1) + 4)).append("\" y=\"").append(c(mid))
                .append("\" dominant-baseline=\"middle\">").append(html(value(axis, p.value())))
                .append(p.status() == Status.FLAGGED ? " ⚑" : "").append("</text></g>\n");
    }

    static String heatmap(Heatmap map) {
        List<Integer> cpus = map.cpus();
        int n = cpus.size();
        double cell = Math.max(8, Math.min(44, 560.0 / n));
        int left = 56;
        int top = 34;
        int height = (int) (top + n * cell + 56);
        int width = (int) Math.max(350, left + n * cell + 16);
        double min = map.cells().stream().mapToDouble(Cell::value).filter(v -> v > 0).min().orElse(1);
        double max = map.cells().stream().mapToDouble(Cell::value).max().orElse(1);
        StringBuilder s = open(map.id(), map.title(), width, height);
        boolean every = n <= 24;
        for (int i = 0; i < n; i++) {
            if (!every && i % Math.max(1, n / 16) != 0) continue;
            s.append("<text class=\"tick\" x=\"").append(c(left + (i + 0.5) * cell)).append("\" y=\"").append(top - 6)
                    .append("\" text-anchor=\"middle\">").append(cpus.get(i)).append("</text>");
            s.append("<text class=\"tick\" x=\"").append(left - 6).append("\" y=\"").append(c(top + (i + 0.5) * cell))
                    .append("\" text-anchor=\"end\" dominant-baseline=\"middle\">").append(cpus.get(i)).append("</text>\n");
        }
        s.append("<text class=\"axis-title\" x=\"").append(left).append("\" y=\"12\">CPU × CPU, each pair once</text>\n");
        for (Cell k : map.cells()) {
            int col = cpus.indexOf(k.b());
            int row = cpus.indexOf(k.a());
            double t = max > min ? (Math.log(Math.max(k.value(), min)) - Math.log(min)) / (Math.log(max) - Math.log(min)) : 0.5;
            String text = Fmt.short3(k.value());
            s.append("<g class=\"mark").append(k.status() == Status.FLAGGED ? " flagged" : "").append("\" data-key=\"")
                    .append(html(k.key())).append("\"><title>CPU ").append(k.a()).append(" ↔ CPU ").append(k.b()).append(": ")
                    .append(html(text + " " + map.unit())).append(k.status() == Status.FLAGGED ? " [flagged]" : "").append("</title>")
                    .append("<rect x=\"").append(c(left + col * cell)).append("\" y=\"").append(c(top + row * cell))
                    .append("\" width=\"").append(c(cell - 1)).append("\" height=\"").append(c(cell - 1))
                    .append("\" fill=\"").append(color(t)).append("\"/>");
            if (cell >= 30) {
                s.append("<text class=\"cell\" x=\"").append(c(left + (col + 0.5) * cell)).append("\" y=\"")
                        .append(c(top + (row + 0.5) * cell)).append("\" text-anchor=\"middle\" dominant-baseline=\"middle\" fill=\"")
                        .append(t > 0.6 ? "#111" : "#fff").append("\">").append(html(text)).append("</text>");
            }
            s.append("</g>\n");
        }
        double ly = top + n * cell + 18;
        for (int i = 0; i < 20; i++) {
            s.append("<rect class=\"legend\" x=\"").append(c(left + i * 10)).append("\" y=\"").append(c(ly))
                    .append("\" width=\"10\" height=\"10\" fill=\"").append(color(i / 19.0)).append("\"/>");
        }
        s.append("<text class=\"tick\" x=\"").append(left).append("\" y=\"").append(c(ly + 24)).append("\">")
                .append(html(Fmt.short3(min))).append("</text><text class=\"tick\" x=\"").append(left + 200)
                .append("\" y=\"").append(c(ly + 24)).append("\" text-anchor=\"end\">").append(html(Fmt.short3(max) + " " + map.unit()))
                .append("</text><text class=\"tick\" x=\"").append(left + 206).append("\" y=\"").append(c(ly + 9))
                .append("\">log colour scale</text>\n");
        return close(s);
    }

    static String curve(Curve curve) {
        int height = 320;
        int left = 70;
        int right = WIDTH - 16;
        int top = curve.series().size() > 1 || !curve.markers().isEmpty() ? 30 : 12;
        int bottom = height - 44;
        double xmin = Double.MAX_VALUE;
        double xmax = 0;
        double ymax = 0;
        for (Series s : curve.series()) {
            for (XY p : s.points()) {
                xmin = Math.min(xmin, p.x());
                xmax = Math.max(xmax, p.x());
                ymax = Math.max(ymax, p.y());
            }
        }
        for (Marker m : curve.markers()) {
            xmin = Math.min(xmin, m.x());
            xmax = Math.max(xmax, m.x());
        }
        SvgScale x = SvgScale.of(xmin, xmax, curve.logX(), left, right, 2);
        SvgScale y = SvgScale.of(0, ymax, false, bottom, top, 10);
        StringBuilder s = open(curve.id(), curve.title(), height);
        if (curve.series().size() > 1 || !curve.markers().isEmpty()) {
            legend(s, curve.series().stream().map(Series::name).toList(), left, 14);
        }
        for (double t : y.ticks()) {
            s.append("<line class=\"gridline\" x1=\"").append(left).append("\" x2=\"").append(right).append("\" y1=\"")
                    .append(c(y.px(t))).append("\" y2=\"").append(c(y.px(t))).append("\"/><text class=\"tick\" x=\"")
                    .append(left - 6).append("\" y=\"").append(c(y.px(t))).append("\" text-anchor=\"end\" dominant-baseline=\"middle\">")
                    .append(html(value(curve.yAxis(), t))).append("</text>\n");
        }
        for (double t : x.ticks()) {
            s.append("<text class=\"tick\" x=\"").append(c(x.px(t))).append("\" y=\"").append(bottom + 16)
                    .append("\" text-anchor=\"middle\">").append(html(Fmt.count(t))).append("</text>");
        }
        s.append("<line class=\"axis\" x1=\"").append(left).append("\" x2=\"").append(right).append("\" y1=\"").append(bottom)
                .append("\" y2=\"").append(bottom).append("\"/>\n<text class=\"axis-title\" x=\"").append((left + right) / 2)
                .append("\" y=\"").append(height - 8).append("\" text-anchor=\"middle\">").append(html(curve.xTitle()))
                .append("</text><text class=\"axis-title\" x=\"14\" y=\"").append((top + bottom) / 2)
                .append("\" transform=\"rotate(-90 14 ").append((top + bottom) / 2).append(")\" text-anchor=\"middle\">")
                .append(html(curve.yTitle())).append("</text>\n");
        int at = 0;
        for (Marker m : curve.markers()) {
            double px = x.px(m.x());
            s.append("<g class=\"ref ").append(m.kind()).append("\"><line x1=\"").append(c(px)).append("\" x2=\"").append(c(px))
                    .append("\" y1=\"").append(top).append("\" y2=\"").append(bottom).append("\"/><text x=\"").append(c(px + 3))
                    .append("\" y=\"").append(top + 10 + (at++ % 4) * 12).append("\">").append(html(m.label())).append("</text></g>\n");
        }
        for (int i = 0; i < curve.series().size(); i++) {
            Series ser = curve.series().get(i);
            StringBuilder d = new StringBuilder();
            for (XY p : ser.points()) d.append(d.isEmpty() ? "M" : "L").append(c(x.px(p.x()))).append(' ').append(c(y.px(p.y())));
            s.append("<path class=\"line s").append(i % 6).append("\" d=\"").append(d).append("\"/>\n");
            for (XY p : ser.points()) {
                s.append("<circle class=\"mark s").append(i % 6).append("\" data-key=\"").append(html(p.key())).append("\" cx=\"")
                        .append(c(x.px(p.x()))).append("\" cy=\"").append(c(y.px(p.y()))).append("\" r=\"3.5\"><title>")
                        .append(html(ser.name() + ": " + Fmt.short3(p.x()) + " → " + value(curve.yAxis(), p.y())))
                        .append("</title></circle>\n");
            }
        }
        return close(s);
    }

    private static StringBuilder open(String id, String title, int height) {
        return open(id, title, WIDTH, height);
    }

    private static StringBuilder open(String id, String title, int width, int height) {
        return new StringBuilder("<svg viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" role=\"img\" aria-label=\"").append(html(title)).append("\" data-id=\"").append(html(id)).append("\">\n");
    }

    private static String close(StringBuilder s) {
        return s.append("</svg>").toString();
    }

    private static void xAxis(StringBuilder s, SvgScale x, Axis axis, int top, int bottom) {
        for (double t : x.ticks()) {
            s.append("<line class=\"gridline\" x1=\"").append(c(x.px(t))).append("\" x2=\"").append(c(x.px(t))).append("\" y1=\"")
                    .append(top).append("\" y2=\"").append(bottom).append("\"/><text class=\"tick\" x=\"").append(c(x.px(t)))
                    .append("\" y=\"").append(bottom + 14).append("\" text-anchor=\"middle\">")
                    .append(html(axis == Axis.RATE ? Fmt.short3(t) : value(axis, t)))
                    .append("</text>\n");
        }
    }

    private static void legend(StringBuilder s, List<String> names, int x, int y) {
        int at = x;
        for (int i = 0; i < names.size(); i++) {
            s.append("<rect class=\"key s").append(i % 6).append("\" x=\"").append(at).append("\" y=\"").append(y - 9)
                    .append("\" width=\"10\" height=\"10\"/><text class=\"tick\" x=\"").append(at + 14).append("\" y=\"").append(y)
                    .append("\">").append(html(names.get(i))).append("</text>");
            at += 24 + 7 * Objects.requireNonNullElse(names.get(i), "").length();
        }
        s.append('\n');
    }

    static String value(Axis axis, double v) {
        return switch (axis) {
            case TIME_NS -> Fmt.time(v);
            case KIB -> Fmt.kib(v);
            case RATE -> Fmt.short3(v) + " MB/s";
            case PAGES -> Fmt.count(v);
            case PLAIN -> Fmt.short3(v);
        };
    }

    /** A sequential colour scale (dark blue → teal → yellow), readable in grey when printed. */
    private static String color(double t) {
        double[][] stops = {{38, 40, 110}, {33, 110, 140}, {40, 160, 120}, {150, 200, 60}, {250, 225, 40}};
        double pos = Math.max(0, Math.min(1, t)) * (stops.length - 1);
        int i = Math.min(stops.length - 2, (int) pos);
        double f = pos - i;
        int[] rgb = new int[3];
        for (int k = 0; k < 3; k++) rgb[k] = (int) Math.round(stops[i][k] + (stops[i + 1][k] - stops[i][k]) * f);
        return String.format("#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
    }
}
