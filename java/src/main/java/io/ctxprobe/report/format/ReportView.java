package io.ctxprobe.report.format;

import io.ctxprobe.host.HostFacts;
import io.ctxprobe.host.Summary;
import io.ctxprobe.measure.Counter;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.CostLadder;
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
 * claims, whether a case is a derived figure, the CPUID figure beside a TLB reach, the counters per
 * operation. Today several of these are recomputed from the cases or read from notes; when the
 * report carries them as typed sections, only these accessors change, not the CSV, Markdown and
 * HTML writers.
 */
public final class ReportView {

    private static final Pattern CPUID_ENTRIES = Pattern.compile("CPUID says (\\d+)");

    private ReportView() {}

    /** The ladder and the seed's claims: derived from the cases (every report can be re-laddered). */
    public static CostLadder ladder(Report report) {
        return CostLadder.of(report.results());
    }

    /** A figure computed from other cases (a reach, a per-page cost), not a measured loop. */
    public static boolean isDerived(CaseResult r) {
        return r.params().containsKey("derived");
    }

    /** Measured: has a summary of batches (ok or flagged). */
    public static boolean measured(CaseResult r) {
        return r.stats() != null && (r.status() == Status.OK || r.status() == Status.FLAGGED);
    }

    /** The CPUID entry count a tlb.reach "reach/l1|l2" case compares itself with, where its notes name it. */
    public static OptionalDouble cpuidEntries(CaseResult reach) {
        for (String note : reach.notes()) {
            Matcher m = CPUID_ENTRIES.matcher(note);
            if (m.find()) return OptionalDouble.of(Double.parseDouble(m.group(1)));
        }
        return OptionalDouble.empty();
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
