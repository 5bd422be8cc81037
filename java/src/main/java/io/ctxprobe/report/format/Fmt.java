package io.ctxprobe.report.format;

import java.util.Locale;

/**
 * Number and text formatting shared by the file formats: three significant digits in plain
 * notation, times scaled to ns/µs/ms/s, sizes to KiB/MiB/GiB, and escaping for HTML and Markdown.
 */
public final class Fmt {

    private Fmt() {}

    /** Three significant digits, plain notation: 1.23, 45.6, 789, 12345; "n/a" for NaN. */
    public static String num(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return "n/a";
        double a = Math.abs(v);
        if (a >= 1000) return String.format(Locale.ROOT, "%.0f", v);
        if (a >= 100) return String.format(Locale.ROOT, "%.1f", v);
        if (a >= 10) return String.format(Locale.ROOT, "%.2f", v);
        return String.format(Locale.ROOT, "%.3f", v);
    }

    /** A ratio as "x1.23". */
    public static String ratio(double r) {
        return String.format(Locale.ROOT, "x%.3g", r);
    }

    /** Nanoseconds in the largest unit that keeps the figure at 1 or more: "870 ns", "12.2 µs", "1.05 ms". */
    public static String time(double ns) {
        double a = Math.abs(ns);
        if (a >= 1e9) return short3(ns / 1e9) + " s";
        if (a >= 1e6) return short3(ns / 1e6) + " ms";
        if (a >= 1e3) return short3(ns / 1e3) + " µs";
        return short3(ns) + " ns";
    }

    /** KiB in the largest binary unit that keeps the figure at 1 or more: "3 KiB", "6.4 MiB". */
    public static String kib(double kib) {
        double a = Math.abs(kib);
        if (a >= 1024 * 1024) return short3(kib / (1024 * 1024)) + " GiB";
        if (a >= 1024) return short3(kib / 1024) + " MiB";
        return short3(kib) + " KiB";
    }

    /** A count: whole numbers in full ("1024", "16384"), others to three significant digits. */
    public static String count(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.format(Locale.ROOT, "%.0f", v) : short3(v);
    }

    /** Up to three significant digits, no trailing zeros: 1, 2.5, 12.3, 870, 12300. */
    public static String short3(double v) {
        if (v == 0) return "0";
        return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
    }

    /** Text safe inside HTML elements and double-quoted attributes. */
    public static String html(String text) {
        if (text == null) return "";
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** Text safe in a Markdown table cell: pipes escaped, line breaks and HTML brackets neutralised. */
    public static String md(String text) {
        if (text == null) return "";
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\r", " ").replace("\n", " ").replace("*", "\\*").replace("_", "\\_").replace("`", "\\`");
    }
}
