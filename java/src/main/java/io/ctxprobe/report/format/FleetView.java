package io.ctxprobe.report.format;

import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.CostLadder;
import io.ctxprobe.report.FleetFailure;
import io.ctxprobe.report.Report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reports from many hosts as one fleet: hosts keyed by host key (the latest run of each; older runs
 * of the same key are listed, not shown), grouped by the facts that explain differences
 * ({@link FleetFacts}), and every figure as a row across hosts. Headline figures are the cost
 * ladder's rungs and {@link #HEADLINE_CASES}; the rest are "every other case".
 *
 * <p>An outlier is a host whose median is at least {@code 1 + threshold} times the fleet's median
 * (the median of the measured hosts' medians, which one odd host cannot move far), or at most its
 * inverse, and whose own p5–p95 range does not reach the fleet's median — so a noisy host is not
 * called an outlier by one figure of its spread. It takes three measured hosts: with two, neither
 * is "the odd one". The fact that explains an outlier is one in
 * which every non-outlier host of the row agrees and the outlier differs; where several do, all are
 * named (the data cannot tell them apart), and where none does, none is named.
 */
public final class FleetView {

    public static final double DEFAULT_THRESHOLD = 0.5;
    /** Headline figures besides the ladder's rungs, where a run measured them. */
    static final List<String> HEADLINE_CASES = List.of("syscall.null/c-loop", "syscall.vdso/vdso", "tlb.switch/explanation",
            "tlb.reach/4k/reach/l1", "tlb.reach/4k/reach/l2", "process.create/fork/jvm", "process.create/posix-spawn/jvm",
            "thread.create/pthread", "thread.create/java-virtual");
    static final int MIN_HOSTS_FOR_OUTLIERS = 3;

    /** One host: its key, its name, the report shown, its facts and group; older runs of the same key. */
    public record Host(String key, String hostname, Report report, FleetFacts facts, String group, List<Report> olderRuns) {}

    /** Hosts that share every fact; {@code label} is "A", "B", ... in order of first host. */
    public record Group(String label, FleetFacts facts, List<Host> hosts) {}

    public enum Mark { NONE, HIGH, LOW }

    /**
     * One host's value of one figure: the case (null when its run has no such case), its median
     * when measured, its ratio to the fleet's median, the mark and the facts that explain a marked
     * value.
     */
    public record Cell(Host host, CaseResult result, Double median, Double ratio, Mark mark,
                       List<String> explainedBy) {
        public boolean outlier() {
            return mark != Mark.NONE;
        }
    }

    /** One figure (a case key) across hosts; {@code fleetMedian} over the measured hosts. */
    public record Figure(String key, String label, String unit, boolean headline, List<Cell> cells, Double fleetMedian) {
        public List<Cell> outliers() {
            return cells.stream().filter(Cell::outlier).toList();
        }
    }

    private final List<Host> hosts;
    private final List<Group> groups;
    private final List<Figure> figures;
    private final List<FleetFailure> failures;
    private final double threshold;

    private FleetView(List<Host> hosts, List<Group> groups, List<Figure> figures, List<FleetFailure> failures, double threshold) {
        this.hosts = hosts;
        this.groups = groups;
        this.figures = figures;
        this.failures = failures;
        this.threshold = threshold;
    }

    public static FleetView of(List<Report> reports, List<FleetFailure> failures) {
        return of(reports, failures, DEFAULT_THRESHOLD);
    }

    public static FleetView of(List<Report> reports, List<FleetFailure> failures, double threshold) {
        if (!(threshold > 0) || Double.isInfinite(threshold)) throw new IllegalArgumentException("the outlier threshold must be above 0");
        if (reports.isEmpty() && failures.isEmpty()) throw new IllegalArgumentException("a fleet view needs a report or a failure");
        Map<String, List<Report>> byKey = new LinkedHashMap<>();
        reports.forEach(r -> byKey.computeIfAbsent(r.host().hostKey(), k -> new ArrayList<>()).add(r));
        // The groups: one per distinct set of facts, labelled in order of their first host by name.
        record Pending(String key, String hostname, Report latest, FleetFacts facts, List<Report> older) {}
        List<Pending> pending = new ArrayList<>();
        byKey.forEach((key, runs) -> {
            List<Report> sorted = new ArrayList<>(runs);
            sorted.sort(Comparator.comparing(FleetView::startTime).reversed());
            Report latest = sorted.getFirst();
            pending.add(new Pending(key, latest.host().hostname(), latest, FleetFacts.of(latest), List.copyOf(sorted.subList(1, sorted.size()))));
        });
        pending.sort(Comparator.comparing((Pending p) -> String.valueOf(p.hostname())).thenComparing(Pending::key));
        Map<FleetFacts, String> labels = new LinkedHashMap<>();
        for (Pending p : pending) labels.computeIfAbsent(p.facts(), f -> groupLabel(labels.size()));
        List<Host> hosts = new ArrayList<>();
        for (FleetFacts facts : labels.keySet()) {
            for (Pending p : pending) {
                if (p.facts().equals(facts)) hosts.add(new Host(p.key(), p.hostname(), p.latest(), facts, labels.get(facts), p.older()));
            }
        }
        List<Group> groups = new ArrayList<>();
        labels.forEach((facts, label) -> groups.add(new Group(label, facts, hosts.stream().filter(h -> h.group().equals(label)).toList())));
        List<Figure> figures = new ArrayList<>();
        Set<String> headline = headlineKeys(hosts);
        Set<String> all = new LinkedHashSet<>(headline);
        hosts.forEach(h -> h.report().results().forEach(c -> all.add(c.key())));
        for (String key : all) figures.add(figure(key, headline.contains(key), hosts, threshold));
        return new FleetView(List.copyOf(hosts), List.copyOf(groups), List.copyOf(figures), List.copyOf(failures), threshold);
    }

    public List<Host> hosts() {
        return hosts;
    }

    public List<Group> groups() {
        return groups;
    }

    public List<Figure> figures() {
        return figures;
    }

    public List<Figure> headlines() {
        return figures.stream().filter(Figure::headline).toList();
    }

    public List<FleetFailure> failures() {
        return failures;
    }

    public double threshold() {
        return threshold;
    }

    /** The facts (of {@link FleetFacts#NAMES}) whose value is not the same on every host. */
    public List<String> differingFacts() {
        return FleetFacts.NAMES.stream().filter(n -> hosts.stream().map(h -> h.facts().get(n)).distinct().count() > 1).toList();
    }

    /** "kernel 6.12 · Zen 4 · KVM guest · PTI off · no hardware PMU · 2 CPUs". */
    public static String factsLine(FleetFacts f) {
        return String.join(" · ", f.values());
    }

    /** "A", "B", ..., "Z", "AA", ... */
    static String groupLabel(int i) {
        return i < 26 ? String.valueOf((char) ('A' + i)) : groupLabel(i / 26 - 1) + (char) ('A' + i % 26);
    }

    /** The ladder's rungs in the order the hosts' ladders give them, then the other headline cases any host has. */
    private static Set<String> headlineKeys(List<Host> hosts) {
        Set<String> keys = new LinkedHashSet<>();
        for (Host h : hosts) {
            for (CostLadder.Ladder l : ReportView.ladder(h.report()).ladders()) l.rungs().forEach(r -> keys.add(r.key()));
        }
        for (String k : HEADLINE_CASES) {
            if (hosts.stream().anyMatch(h -> ReportView.find(h.report(), k).isPresent())) keys.add(k);
        }
        return keys;
    }

    private static Figure figure(String key, boolean headline, List<Host> hosts, double threshold) {
        List<Optional<CaseResult>> results = hosts.stream().map(h -> ReportView.find(h.report(), key)).toList();
        String unit = results.stream().flatMap(Optional::stream).map(CaseResult::unit).findFirst().orElse("");
        String label = hosts.stream().flatMap(h -> ReportView.ladder(h.report()).ladders().stream())
                .flatMap(l -> l.rungs().stream().map(r -> new String[] {r.key(), unflagged(r.label()) + ", " + l.placement()}))
                .filter(p -> p[0].equals(key)).map(p -> p[1]).findFirst().orElse(key);
        Double[] medians = new Double[hosts.size()];
        for (int i = 0; i < hosts.size(); i++) {
            medians[i] = results.get(i).filter(ReportView::measured).map(c -> c.stats().median()).orElse(null);
        }
        double[] measured = Arrays.stream(medians).filter(m -> m != null).mapToDouble(Double::doubleValue).toArray();
        Double fleet = measured.length == 0 ? null : median(measured);
        Mark[] marks = new Mark[hosts.size()];
        for (int i = 0; i < hosts.size(); i++) {
            marks[i] = Mark.NONE;
            if (medians[i] == null || measured.length < MIN_HOSTS_FOR_OUTLIERS || !(fleet > 0)) continue;
            CaseResult c = results.get(i).orElseThrow();
            if (c.stats().p5() <= fleet && fleet <= c.stats().p95()) continue;   // its own spread reaches the fleet's median
            double ratio = medians[i] / fleet;
            if (ratio >= 1 + threshold) marks[i] = Mark.HIGH;
            if (ratio <= 1 / (1 + threshold)) marks[i] = Mark.LOW;
        }
        List<Cell> cells = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i++) {
            Double ratio = medians[i] != null && fleet != null && fleet > 0 ? medians[i] / fleet : null;
            List<String> why = marks[i] == Mark.NONE ? List.of() : explain(hosts, medians, marks, i);
            cells.add(new Cell(hosts.get(i), results.get(i).orElse(null), medians[i], ratio, marks[i], why));
        }
        return new Figure(key, label, unit, headline, List.copyOf(cells), fleet);
    }

    /** The facts in which every measured non-outlier host agrees and host {@code i} differs. */
    private static List<String> explain(List<Host> hosts, Double[] medians, Mark[] marks, int i) {
        List<Host> usual = new ArrayList<>();
        for (int j = 0; j < hosts.size(); j++) if (medians[j] != null && marks[j] == Mark.NONE) usual.add(hosts.get(j));
        if (usual.isEmpty()) return List.of();
        List<String> out = new ArrayList<>();
        for (String name : FleetFacts.NAMES) {
            String mine = hosts.get(i).facts().get(name);
            Set<String> theirs = new LinkedHashSet<>();
            usual.forEach(h -> theirs.add(h.facts().get(name)));
            if (theirs.size() == 1 && !theirs.contains(mine) && !mine.equals(FleetFacts.UNKNOWN) && !theirs.contains(FleetFacts.UNKNOWN)) {
                out.add(name + ": " + mine + " (the others: " + theirs.iterator().next() + ")");
            }
        }
        return List.copyOf(out);
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /** A rung's label without its host's "[flagged]" mark: each host's cell shows its own status. */
    private static String unflagged(String label) {
        return label.endsWith(" [flagged]") ? label.substring(0, label.length() - " [flagged]".length()) : label;
    }

    /** The run's start time for ordering runs of one host (ISO-8601 UTC text sorts by time); "" when absent. */
    private static String startTime(Report r) {
        return r.run() == null || r.run().startTime() == null ? "" : r.run().startTime();
    }
}
