package io.ctxprobe.cli;

import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.CostLadder;
import io.ctxprobe.report.Report;
import io.ctxprobe.report.Status;
import io.ctxprobe.report.format.Fmt;
import io.ctxprobe.report.format.ReportView;
import picocli.CommandLine.Help.Ansi;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A run on one screen (at most {@value #MAX_LINES} lines of at most {@value #WIDTH} columns): the run
 * and host lines (the facts that explain most figures: VM, PMU, PTI/PCID, SMT), the case counts, the
 * cost ladders side by side, the seed's claims with their verdicts, one headline per probe family,
 * the failed and flagged cases (counted, the most important listed), skipped cases one line per
 * reason, the interference line and where the report went. What does not fit is cut in that order of
 * importance from the bottom lists up, never from the answer; {@code --details} prints everything.
 */
final class SummaryView {

    static final int MAX_LINES = 40;
    static final int WIDTH = 120;
    /** Failed and flagged cases listed by name, most important first. */
    static final int ATTENTION_LISTED = 5;
    static final int SKIP_REASONS_LISTED = 3;

    private SummaryView() {}

    /** The summary of {@code report}; {@code whereTo} is the last line (where the report went, how to see more). */
    static String render(Report report, String whereTo, Ansi ansi) {
        List<String> head = head(report, ansi);
        List<String> ladder = ladder(ReportView.ladder(report), ansi);
        List<String> families = new ArrayList<>();
        List<String> headlines = FamilyHeadlines.lines(report.results(), WIDTH);
        if (!headlines.isEmpty()) {
            families.add("headlines (! flagged; every case: --details)");
            families.addAll(headlines);
        }
        List<String> tail = new ArrayList<>();
        if (report.interference() != null) tail.add(cut(report.interference().describeShort()));
        tail.add(whereTo);   // a path is never cut: it may be longer than the screen
        int attention = ATTENTION_LISTED;
        int skipReasons = SKIP_REASONS_LISTED;
        List<String> needs = attention(report.results(), attention, ansi);
        List<String> skipped = skipped(report.results(), skipReasons);
        // Shrink the lists at the bottom first: the answer (ladder, claims, headlines) stays whole.
        while (size(head, ladder, families, needs, skipped, tail) > MAX_LINES && (attention > 1 || skipReasons > 1)) {
            if (skipReasons > 1) skipReasons--;
            else attention--;
            needs = attention(report.results(), attention, ansi);
            skipped = skipped(report.results(), skipReasons);
        }
        while (size(head, ladder, families, needs, skipped, tail) > MAX_LINES && families.size() > 2) {
            families.remove(families.size() - 1);
            families.set(0, "headlines (! flagged; more families and every case: --details)");
        }
        StringBuilder out = new StringBuilder();
        for (List<String> part : List.of(head, ladder, families, needs, skipped, tail)) {
            part.forEach(l -> out.append(l).append(System.lineSeparator()));
        }
        return out.toString();
    }

    private static int size(List<?>... parts) {
        int n = 0;
        for (List<?> p : parts) n += p.size();
        return n;
    }

    private static List<String> head(Report report, Ansi ansi) {
        List<String> out = new ArrayList<>();
        out.add(cut(ReportView.runLine(report.run())));
        out.add(cut("host: " + (report.host().hostname() != null ? report.host().hostname() + " · " : "")
                + ReportView.hostLine(report.host())));
        Map<Status, Integer> counts = new LinkedHashMap<>();
        for (Status s : Status.values()) counts.put(s, 0);
        report.results().forEach(r -> counts.merge(r.status(), 1, Integer::sum));
        StringBuilder line = new StringBuilder("cases: " + report.results().size() + " · ");
        line.append(counts.get(Status.OK)).append(" ok · ").append(counts.get(Status.FLAGGED)).append(" flagged · ")
                .append(counts.get(Status.SKIPPED)).append(" skipped · ");
        int failed = counts.get(Status.FAILED);
        line.append(failed > 0 ? ansi.string("@|bold,red " + failed + " failed|@") : "0 failed");
        out.add(line.toString());
        if (report.run() != null && report.run().aborted() != null) {
            out.add(ansi.string("@|bold,red run aborted:|@ ") + cut(report.run().aborted()));
        }
        return out;
    }

    /** The ladders side by side (same-core left, cross-core right), dearest on top; then the claims. */
    static List<String> ladder(CostLadder ladder, Ansi ansi) {
        List<String> out = new ArrayList<>();
        if (!ladder.ladders().isEmpty()) {
            out.add("switch cost ladder (median; xN = over the rung below; ! flagged)");
            List<List<String>> columns = new ArrayList<>();
            for (CostLadder.Ladder l : ladder.ladders()) {
                List<String> col = new ArrayList<>(List.of(l.placement()));
                for (int i = l.rungs().size() - 1; i >= 0; i--) col.add(rung(l.rungs().get(i)));
                columns.add(col);
            }
            int rows = columns.stream().mapToInt(List::size).max().orElse(0);
            for (int i = 0; i < rows; i++) {
                StringBuilder row = new StringBuilder("  ");
                for (int c = 0; c < columns.size(); c++) {
                    String cell = i < columns.get(c).size() ? columns.get(c).get(i) : "";
                    row.append(c < columns.size() - 1 ? String.format("%-" + RUNG_WIDTH + "s  ", cell) : cell);
                }
                out.add(row.toString().stripTrailing());
            }
        }
        boolean anyMeasured = ladder.claims().stream().anyMatch(c -> c.verdict() != CostLadder.Verdict.NOT_MEASURED);
        if (!anyMeasured) {
            out.add("the seed's claims: not measured in this run (they need fiber.switch, vthread.switch, thread.switch"
                    + " and process.switch)");
            return out;
        }
        out.add("the seed's claims (comparisons: bootstrap 95% interval of median(dearer) / median(cheaper) against 1)");
        List<String> unmeasured = new ArrayList<>();
        for (CostLadder.Claim c : ladder.claims()) {
            String claim = c.claim().contains(" (") ? c.claim().substring(0, c.claim().indexOf(" (")) : c.claim();
            if (c.verdict() == CostLadder.Verdict.NOT_MEASURED && c.cheaper() == null) {
                unmeasured.add(claim);   // a figure claim with nothing to show: one line for all of them below
                continue;
            }
            String figure = c.ratio() != null ? String.format(Locale.ROOT, "x%s (%s-%s)", Fmt.short3(c.ratio()),
                    Fmt.short3(c.low()), Fmt.short3(c.high()))
                    : c.figures() != null ? figure(c.figures().getFirst())
                    : "needs " + (c.evidence().startsWith("needs ") ? c.evidence().substring(6) : "");
            int room = WIDTH - 2 - 14 - 2 - figure.length();
            if (claim.length() > room) claim = claim.substring(0, room - 1) + "…";
            String verdict = String.format("%-13s", c.verdict().label());
            out.add("  " + colour(verdict, c.verdict(), ansi) + " " + String.format("%-" + room + "s", claim) + "  " + figure);
        }
        if (!unmeasured.isEmpty()) {
            String line = "  not measured  " + unmeasured.size() + " more (" + String.join("; ", unmeasured) + ")";
            out.add(line.length() > WIDTH ? line.substring(0, WIDTH - 2) + "…)" : line);
        }
        return out;
    }

    /** A claim's first figure: "2.80 ms", "1.2 µs". */
    private static String figure(io.ctxprobe.report.Derived d) {
        return d.value() != null ? FamilyHeadlines.value(d.value(), d.unit(), false)
                : (d.low() == null ? "<" : Fmt.short3(d.low())) + "-" + (d.high() == null ? "+" : Fmt.short3(d.high())) + " " + d.unit();
    }

    private static final int RUNG_WIDTH = 57;

    /** "kernel thread (futex)!           4.02 µs   x1.12" in {@value #RUNG_WIDTH} columns. */
    private static String rung(CostLadder.Rung r) {
        boolean flagged = r.label().endsWith(" [flagged]");
        String label = (flagged ? r.label().substring(0, r.label().length() - " [flagged]".length()) : r.label())
                + (flagged ? "!" : "");
        if (label.length() > 37) label = label.substring(0, 36) + "…";
        String ratio = r.ratioToBelow() == null ? "" : String.format(Locale.ROOT, "x%.3g", r.ratioToBelow());
        return String.format(Locale.ROOT, "%-37s %9s %7s", label, FamilyHeadlines.value(r.medianNs(), r.unit(), false), ratio)
                .stripTrailing();
    }

    private static String colour(String text, CostLadder.Verdict v, Ansi ansi) {
        return switch (v) {
            case CONFIRMED -> ansi.string("@|green " + text + "|@");
            case CONTRADICTED -> ansi.string("@|bold,red " + text + "|@");
            case WITHIN_NOISE -> ansi.string("@|yellow " + text + "|@");
            case MIXED -> ansi.string("@|magenta " + text + "|@");
            case NOT_MEASURED -> text;
        };
    }

    /** Failed and flagged cases: a count line, then the {@code listed} most important (see {@link #importance}). */
    static List<String> attention(List<CaseResult> results, int listed, Ansi ansi) {
        List<CaseResult> bad = results.stream().filter(r -> r.status() == Status.FAILED || r.status() == Status.FLAGGED)
                .sorted(Comparator.comparingInt(SummaryView::importance)).toList();
        List<String> out = new ArrayList<>();
        if (bad.isEmpty()) {
            out.add("needs attention: nothing (no case failed or was flagged)");
            return out;
        }
        Map<String, Integer> kinds = new LinkedHashMap<>();
        int failed = 0;
        for (CaseResult r : bad) {
            if (r.status() == Status.FAILED) failed++;
            else kinds.merge(flagKind(r), 1, Integer::sum);
        }
        List<String> parts = new ArrayList<>();
        if (failed > 0) parts.add(failed + " failed");
        int flagged = bad.size() - failed;
        if (flagged > 0) {
            List<String> k = new ArrayList<>();
            kinds.forEach((kind, n) -> k.add(n + " " + kind));
            parts.add(flagged + " flagged (" + String.join(", ", k) + ")");
        }
        out.add("needs attention: " + String.join(" · ", parts) + (bad.size() > listed ? "; the " + listed
                + " most important:" : ":"));
        for (CaseResult r : bad.subList(0, Math.min(listed, bad.size()))) {
            String word = r.status() == Status.FAILED ? "failed " : "flagged";
            String text = cut("  " + word + " " + r.key() + ": " + (r.reason() == null ? "" : r.reason()));
            out.add("  " + (r.status() == Status.FAILED ? ansi.string("@|bold,red failed |@") : ansi.string("@|yellow flagged|@"))
                    + text.substring(2 + word.length()));
        }
        return out;
    }

    /**
     * Lower is more important: a failure; a flag from a check of the measurement itself (counts that
     * do not fit the case); a flag from the environment (mixed batches, a disturbed CPU) on a case the
     * ladder or a claim reads; other mixtures; other disturbed cases.
     */
    static int importance(CaseResult r) {
        if (r.status() == Status.FAILED) return 0;
        String kind = flagKind(r);
        if (kind.equals("by validation")) return 1;
        if (LADDER_KEYS.contains(r.key())) return 2;
        return kind.equals("mixed") ? 3 : 4;
    }

    private static final Set<String> LADDER_KEYS = Set.of("fiber.switch/asm", "fiber.switch/ucontext",
            "vthread.switch/one-carrier", "thread.switch/futex/same-core", "process.switch/futex/same-core",
            "jthread.switch/park/same-core", "fiber.switch/migrate", "vthread.switch/default-scheduler",
            "jthread.switch/park/cross-core", "thread.switch/futex/cross-core", "process.switch/futex/cross-core");

    /** "by validation" (a check of the figure failed), else "mixed" or "disturbed" (the environment's flags). */
    static String flagKind(CaseResult r) {
        String reason = r.reason() == null ? "" : r.reason();
        boolean mixed = false;
        for (String part : reason.split("; ")) {
            if (part.startsWith("mixed: ")) mixed = true;
            else if (!part.startsWith("disturbed: ")) return "by validation";
        }
        return mixed ? "mixed" : "disturbed";
    }

    /** Skipped cases, one line per reason (most frequent first), at most {@code reasons} lines. */
    static List<String> skipped(List<CaseResult> results, int reasons) {
        Map<String, List<String>> byReason = new LinkedHashMap<>();
        results.stream().filter(r -> r.status() == Status.SKIPPED)
                .forEach(r -> byReason.computeIfAbsent(String.valueOf(r.reason()), k -> new ArrayList<>()).add(r.key()));
        List<Map.Entry<String, List<String>>> sorted = new ArrayList<>(byReason.entrySet());
        sorted.sort(Comparator.comparingInt((Map.Entry<String, List<String>> e) -> -e.getValue().size()));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            if (i == reasons - 1 && sorted.size() > reasons) {
                int cases = sorted.subList(i, sorted.size()).stream().mapToInt(e -> e.getValue().size()).sum();
                out.add(cut("skipped " + cases + " for " + (sorted.size() - i) + " more reasons (--details)"));
                break;
            }
            var e = sorted.get(i);
            TreeSet<String> probes = new TreeSet<>();
            e.getValue().forEach(k -> probes.add(k.substring(0, k.indexOf('/'))));
            out.add(cut("skipped " + e.getValue().size() + " (" + String.join(", ", probes) + "): " + e.getKey()));
        }
        return out;
    }

    /** {@code where} (kept whole) with the first of {@code hints} that fits in {@value #WIDTH} columns, if any. */
    static String whereTo(String where, List<String> hints) {
        for (String hint : hints) {
            if (where.length() + hint.length() <= WIDTH) return where + hint;
        }
        return where;
    }

    /** {@code line} at most {@value #WIDTH} columns, "…" where it was cut. */
    static String cut(String line) {
        return line.length() <= WIDTH ? line : line.substring(0, WIDTH - 1) + "…";
    }
}
