package io.ctxprobe.measure;

import io.ctxprobe.perf.PerfCounterGroup;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A {@link PerfCounterGroup}'s counts over the measured batches, as report counters and notes: one
 * {@link Counter} per opened event (scaled to the enabled time where it was multiplexed, the source
 * saying so) and, for every event that did not open, a note "&lt;event&gt;: unavailable: &lt;reason&gt;"
 * — never a 0 standing in for a count nobody took.
 *
 * @param counters per-operation counts, source {@code perf_event_open(<kind>, group|alone[, ...])}
 * @param notes    one line per unavailable event, and one per event opened in a degraded way
 */
public record CounterReadings(List<Counter> counters, List<String> notes) {

    /** Every source this class writes starts so: the result table keeps these apart from SwitchCounts'. */
    public static final String SOURCE_PREFIX = "perf_event_open(";

    public static boolean isGroupSource(String source) {
        return source != null && source.startsWith(SOURCE_PREFIX) && (source.contains(", group") || source.contains(", alone"));
    }

    public static CounterReadings of(PerfCounterGroup group, PerfCounterGroup.Reading delta, String task, long ops) {
        List<Counter> counters = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (PerfCounterGroup.Value v : delta.values()) {
            PerfCounterGroup.Member m = v.member();
            counters.add(Counter.of(m.label(), task, v.scaled(), ops, source(v)));
            if (m.note() != null) notes.add(m.spec().name() + ": " + m.note());
        }
        for (PerfCounterGroup.Unavailable u : group.unavailable()) {
            notes.add(u.spec().name() + ": " + (u.text().startsWith("unavailable") ? u.text() : "unavailable: " + u.text()));
        }
        return new CounterReadings(counters, notes);
    }

    /** "perf_event_open(software, group)", "+ , scaled x1.52" when the PMU was shared. */
    static String source(PerfCounterGroup.Value v) {
        PerfCounterGroup.Member m = v.member();
        StringBuilder s = new StringBuilder(SOURCE_PREFIX).append(m.spec().kindWord())
                .append(m.inGroup() ? ", group" : ", alone");
        if (m.userOnly()) s.append(", exclude_kernel=1");
        if (v.multiplexed()) s.append(String.format(Locale.ROOT, ", scaled x%.3g", v.scaleFactor()));
        return s.append(')').toString();
    }
}
