package io.ctxprobe.report.format;

import io.ctxprobe.host.HostFacts;
import io.ctxprobe.host.Summary;
import io.ctxprobe.measure.Counter;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.CostLadder;
import io.ctxprobe.report.Derived;
import io.ctxprobe.report.Report;
import io.ctxprobe.report.RunInfo;
import io.ctxprobe.report.Status;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the file formats read from a report, each in one place: the host line, the ladder and the
 * claims, the derived figures as text, the located TLB steps and CPUID's figures beside them, the
 * counters per operation. The ladder is recomputed from the cases (any report can be re-laddered);
 * everything else is read from the cases' typed fields, never from notes.
 */
public final class ReportView {

    private ReportView() {}

    /** The ladder and the seed's claims: derived from the cases (every report can be re-laddered). */
    public static CostLadder ladder(Report report) {
        return CostLadder.of(report.results());
    }

    /**
     * A figure stored as a case of its own by reports written before derived figures were typed
     * ({@code /1}, and early {@code /2} tlb.reach and tlb.flush cases with the param {@code derived}):
     * no measurement, so neither compared nor charted. Current reports carry such figures as
     * {@link CaseResult#derived()} on the case they describe.
     */
    public static boolean isLegacyDerivedCase(CaseResult r) {
        return r.params().containsKey("derived");
    }

    /** Measured: has a summary of batches (ok or flagged). */
    public static boolean measured(CaseResult r) {
        return r.stats() != null && (r.status() == Status.OK || r.status() == Status.FLAGGED);
    }

    /** A point on a TLB curve marked where a step was located or where CPUID puts it. */
    public record TlbMark(String kind, int level, double pages, boolean cpuid) {}

    /**
     * tlb.reach's located steps and CPUID's figures, per page kind ("4k", "thp", ...): each "L1/L2
     * reach" derived figure at its point value, else the lower end of its interval (the last N at the
     * plateau; the upper end where only that is known), and its reference's entry count.
     */
    public static List<TlbMark> tlbMarks(Report report) {
        List<TlbMark> out = new ArrayList<>();
        for (CaseResult c : report.results()) {
            if (!c.probe().equals("tlb.reach") || c.caseId().indexOf('/') < 0) continue;
            String kind = c.caseId().substring(0, c.caseId().indexOf('/'));
            for (Derived d : c.derivedOrEmpty()) {
                Matcher m = REACH_LABEL.matcher(d.label());
                if (!m.matches()) continue;
                int level = Integer.parseInt(m.group(1));
                Double at = d.value() != null ? d.value() : d.low() != null ? d.low() : d.high();
                out.add(new TlbMark(kind, level, at, false));
                cpuidEntries(d).ifPresent(v -> out.add(new TlbMark(kind, level, v, true)));
            }
        }
        return out;
    }

    private static final Pattern REACH_LABEL = Pattern.compile("L(\\d) reach");

    /** The CPUID entry count a tlb.reach "L1/L2 reach" figure is checked against, where it has one. */
    public static OptionalDouble cpuidEntries(Derived reach) {
        return reach.reference() == null ? OptionalDouble.empty() : OptionalDouble.of(reach.reference().value());
    }

    /** The derived figures as "label value unit" ("L1 reach 64-68 pages"), joined by "; ". */
    public static String derivedText(CaseResult r) {
        return String.join("; ", r.derivedOrEmpty().stream().map(ReportView::derivedText).toList());
    }

    /** "L1 reach 64-68 pages", "net of the mechanism 812 ns/switch", "walk penalty 38.5 ns/miss (CPUID 72: agrees)". */
    public static String derivedText(Derived d) {
        String v;
        if (d.low() == null && d.high() == null) v = Fmt.num(d.value());
        else v = (d.value() != null ? Fmt.num(d.value()) + " in " : "") + (d.low() == null ? "<" : Fmt.num(d.low()))
                + (d.low() != null && d.high() != null ? "-" : "") + (d.high() == null ? "+" : Fmt.num(d.high()));
        String ref = d.reference() == null ? "" : " (" + d.reference().label() + " " + Fmt.num(d.reference().value())
                + (d.reference().verdict() == null ? "" : ": " + d.reference().verdict()) + ")";
        return d.label() + " " + v + " " + d.unit() + ref;
    }

    /**
     * Counters per operation by event, summed over the case's tasks (each task counted once per
     * event, from the first source that gave it; a task named "all" is already the sum).
     */
    public static Map<String, Double> countersPerOp(CaseResult r) {
        Map<String, Map<String, Double>> byEvent = new LinkedHashMap<>();
        for (Counter c : r.counters()) {
            byEvent.computeIfAbsent(c.event(), e -> new LinkedHashMap<>()).putIfAbsent(c.task(), c.perOp());
        }
        Map<String, Double> out = new LinkedHashMap<>();
        byEvent.forEach((event, tasks) -> out.put(event, tasks.containsKey("all") ? tasks.get("all")
                : tasks.values().stream().mapToDouble(Double::doubleValue).sum()));
        return out;
    }

    /** "AMD EPYC (Zen 4) · 2 CPUs · KVM guest · no hardware PMU · PTI off, PCID · no SMT · Linux 6.18". */
    public static String hostLine(HostFacts host) {
        Summary s = host.summary();
        List<String> parts = new ArrayList<>();
        if (s != null) {
            parts.add(orUnknown(s.cpuModel()) + (s.microarchitecture() != null ? " (" + s.microarchitecture() + ")" : ""));
            if (s.logicalCpusAllowed() != null) parts.add(s.logicalCpusAllowed() + " CPUs");
            if (Boolean.TRUE.equals(s.hypervisor())) {
                parts.add((s.hypervisorVendor() != null ? s.hypervisorVendor() + " " : "") + "guest");
            } else if (Boolean.FALSE.equals(s.hypervisor())) {
                parts.add("bare metal");
            }
            if (s.hardwarePmu() != null) parts.add(s.hardwarePmu() ? "hardware PMU" : "no hardware PMU");
            if (s.ptiText() != null) parts.add(s.ptiText() + (s.ptiText().contains("PCID") || s.pcid() == null ? ""
                    : s.pcid() ? ", PCID" : ", no PCID"));
        }
        if (host.topology() != null) parts.add(host.topology().smt() ? "SMT" : "no SMT");
        if (s != null && s.kernel() != null) parts.add("Linux " + s.kernel());
        return String.join(" · ", parts);
    }

    /** "ctxprobe 0.1.0 (abc123) · 2026-11-30 07:43 UTC · quick suite · binding ffm". */
    public static String runLine(RunInfo run) {
        if (run == null) return "";
        List<String> parts = new ArrayList<>();
        parts.add("ctxprobe " + run.toolVersion() + (run.gitCommit() != null ? " (" + run.gitCommit() + ")" : ""));
        if (run.startTime() != null) parts.add(startMinute(run) + " UTC");
        parts.add(run.quick() ? "quick suite" : "full suite");
        if (run.binding() != null) parts.add("binding " + run.binding());
        if (run.interrupted()) parts.add("INTERRUPTED: partial report");
        return String.join(" · ", parts);
    }

    /** The start time to the minute, "2026-11-30 07:43", or "" when absent. */
    public static String startMinute(RunInfo run) {
        String t = run == null || run.startTime() == null ? "" : run.startTime();
        return t.length() >= 16 ? t.substring(0, 10) + " " + t.substring(11, 16) : t;
    }

    /**
     * Column labels for reports shown side by side: host names when the hosts differ ("host by
     * host"), start times when one host ran them all ("run by run"); made unique with a number.
     */
    public static List<String> labels(List<Report> reports) {
        boolean oneHost = reports.stream().map(r -> r.host().hostKey()).distinct().count() == 1;
        List<String> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < reports.size(); i++) {
            Report r = reports.get(i);
            String label = oneHost ? startMinute(r.run()) : r.host().hostname();
            if (label == null || label.isBlank()) label = "report " + (i + 1);
            if (!seen.add(label)) {
                label = label + " #" + (i + 1);
                seen.add(label);
            }
            out.add(label);
        }
        return out;
    }

    /** "host by host" or "run by run" for the reports {@link #labels} names. */
    public static String comparisonKind(List<Report> reports) {
        return reports.stream().map(r -> r.host().hostKey()).distinct().count() == 1 ? "run by run" : "host by host";
    }

    /** Every case key of the reports, in first-seen order. */
    public static List<String> caseKeys(List<Report> reports) {
        Set<String> keys = new LinkedHashSet<>();
        reports.forEach(r -> r.results().forEach(c -> keys.add(c.key())));
        return new ArrayList<>(keys);
    }

    /** The case with that key in the report. */
    public static Optional<CaseResult> find(Report report, String key) {
        return report.results().stream().filter(c -> c.key().equals(key)).findFirst();
    }

    /** The status word, and the reason where there is one. */
    public static String statusText(CaseResult r) {
        return r.status().label() + (r.reason() != null ? ": " + r.reason() : "");
    }

    private static String orUnknown(String s) {
        return s == null ? "unknown CPU" : s;
    }
}
