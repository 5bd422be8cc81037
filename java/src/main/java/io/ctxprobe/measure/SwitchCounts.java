package io.ctxprobe.measure;


import java.util.ArrayList;
import java.util.List;

/**
 * What the kernel counted on one task over the measured batches. The perf software counts are null
 * when perf_event_open could not give them ({@code perfAbsentReason} says why); the getrusage split
 * into voluntary and involuntary switches is always there. Validation uses the perf count where it
 * exists and the getrusage sum otherwise, and names which.
 */
public record SwitchCounts(String task, Long perfSwitches, Long perfMigrations, long voluntary,
                           long involuntary, String perfAbsentReason) {

    public static final String PERF_SOURCE = "perf_event_open(software, exclude_kernel=0)";
    public static final String RUSAGE_SOURCE = "getrusage(RUSAGE_THREAD)";

    /** Context switches of this task: perf's count where it exists, else voluntary + involuntary. */
    public long switches() {
        return perfSwitches != null ? perfSwitches : voluntary + involuntary;
    }

    public List<Counter> toCounters(long ops) {
        List<Counter> out = new ArrayList<>();
        if (perfSwitches != null) out.add(Counter.of("context-switches", task, perfSwitches, ops, PERF_SOURCE));
        out.add(Counter.of("voluntary-switches", task, voluntary, ops, RUSAGE_SOURCE));
        out.add(Counter.of("involuntary-switches", task, involuntary, ops, RUSAGE_SOURCE));
        if (perfMigrations != null) out.add(Counter.of("cpu-migrations", task, perfMigrations, ops, PERF_SOURCE));
        return out;
    }

    /** Only the perf counts (context switches, migrations), with {@code source} naming where they came from. */
    public List<Counter> perfCounters(long ops, String source) {
        List<Counter> out = new ArrayList<>();
        if (perfSwitches != null) out.add(Counter.of("context-switches", task, perfSwitches, ops, source));
        if (perfMigrations != null) out.add(Counter.of("cpu-migrations", task, perfMigrations, ops, source));
        return out;
    }

    /** Perf's context switches summed over tasks, or null when any task lacks them. */
    public static Long totalPerfSwitches(List<SwitchCounts> tasks) {
        long sum = 0;
        for (SwitchCounts t : tasks) {
            if (t.perfSwitches == null) return null;
            sum += t.perfSwitches;
        }
        return sum;
    }

    /** Sum over tasks, for "switches per round trip" across both parties. */
    public static long totalSwitches(List<SwitchCounts> tasks) {
        return tasks.stream().mapToLong(SwitchCounts::switches).sum();
    }

    /** Migrations over tasks, or null when any task lacks the perf count. */
    public static Long totalMigrations(List<SwitchCounts> tasks) {
        long sum = 0;
        for (SwitchCounts t : tasks) {
            if (t.perfMigrations == null) return null;
            sum += t.perfMigrations;
        }
        return sum;
    }
}
