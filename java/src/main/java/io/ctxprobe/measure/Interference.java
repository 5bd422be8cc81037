package io.ctxprobe.measure;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What other work took from a case's measured threads while they were measured: per thread, its
 * window, its time on a CPU and its time runnable but waiting ({@link SchedStat}), and its involuntary
 * switches; then one figure, {@code offCpuShare}, and whether it passes {@value #DISTURBED_SHARE}.
 *
 * <p>The rule, per CPU the case pinned threads to (the worst CPU decides):
 * <ul>
 * <li><b>one measured thread on the CPU</b> (an in-thread loop, a spinning side, a side of a
 *     cross-core handoff): share = its run delay / its window. Its partner, if any, runs elsewhere, so
 *     every nanosecond it spent runnable but not running went to other work.</li>
 * <li><b>several measured threads on one CPU handing it to each other</b> (a same-core ping-pong):
 *     their run delay is mostly each other's turn, so it says nothing; but one of them is always
 *     runnable, so the CPU never idles for them, and share = (window − the sum of their run times) /
 *     window is the time the CPU gave to something else.</li>
 * </ul>
 * A case whose share exceeds {@value #DISTURBED_SHARE} is {@code flagged} "disturbed". Without
 * schedstat the figures are absent and nothing is judged ({@code undecided} says why); a shape whose
 * threads share their CPU with work the case cannot read (creation: the children it waits for) is
 * recorded and not judged, with the reason.
 *
 * @param windowNs     the longest of the threads' windows (ns)
 * @param offCpuShare  the worst CPU's share lost to other work, null when not judged
 * @param cpu          the CPU that share was found on, null when not judged
 * @param disturbed    offCpuShare &gt; threshold
 * @param threshold    {@value #DISTURBED_SHARE}
 * @param rule         the formula applied on that CPU, in words
 * @param undecided    why nothing was judged, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Interference(long windowNs, List<Task> tasks, Double offCpuShare, Integer cpu, boolean disturbed,
                           double threshold, String rule, String undecided) {

    /** Above this share of the measured window lost to other work, a case is flagged "disturbed". */
    public static final double DISTURBED_SHARE = 0.10;
    public static final String ALONE_RULE = "run delay / window (one measured thread on this CPU: all its waiting was for other work)";
    public static final String SHARED_RULE = "(window - run time of the measured threads) / window (they hand this CPU "
            + "to each other, so it never idles for them: the rest went to other work)";

    public Interference {
        tasks = List.copyOf(tasks);
    }

    /**
     * One measured thread's figures over its window. {@code runNs}/{@code runDelayNs} are null without
     * schedstat; {@code cpu} is the CPU it was pinned to (-1: not pinned, judged alone).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Task(String task, int tid, int cpu, long windowNs, Long runNs, Long runDelayNs,
                       long involuntarySwitches, String source) {}

    /** Judges {@code tasks} by the rule above. */
    public static Interference judge(List<Task> tasks) {
        long window = tasks.stream().mapToLong(Task::windowNs).max().orElse(0);
        if (tasks.isEmpty() || window <= 0) return recorded(tasks, "no measured window");
        if (tasks.stream().anyMatch(t -> t.runNs() == null || t.runDelayNs() == null)) {
            return recorded(tasks, SchedStat.ABSENT);
        }
        Map<Integer, List<Task>> byCpu = new TreeMap<>();
        int unpinned = -1_000;
        for (Task t : tasks) byCpu.computeIfAbsent(t.cpu() >= 0 ? t.cpu() : unpinned--, k -> new ArrayList<>()).add(t);
        double worst = -1;
        Integer worstCpu = null;
        String worstRule = null;
        for (Map.Entry<Integer, List<Task>> e : byCpu.entrySet()) {
            List<Task> group = e.getValue();
            double share;
            String rule;
            if (group.size() == 1) {
                Task t = group.getFirst();
                // run delay that began before the window is added when the thread next runs: a share can
                // read a little over 1 right after a long wait; the figures stay as read, the share is capped
                share = Math.min(1, (double) t.runDelayNs() / t.windowNs());
                rule = ALONE_RULE;
            } else {
                long w = group.stream().mapToLong(Task::windowNs).max().orElse(0);
                long run = group.stream().mapToLong(Task::runNs).sum();
                share = Math.max(0, (double) (w - run) / w);
                rule = SHARED_RULE;
            }
            if (share > worst) {
                worst = share;
                worstCpu = e.getKey() >= 0 ? e.getKey() : null;
                worstRule = rule;
            }
        }
        return new Interference(window, tasks, worst, worstCpu, worst > DISTURBED_SHARE, DISTURBED_SHARE, worstRule, null);
    }

    /** The figures only: nothing judged, for {@code why}. */
    public static Interference recorded(List<Task> tasks, String why) {
        long window = tasks.stream().mapToLong(Task::windowNs).max().orElse(0);
        return new Interference(window, tasks, null, null, false, DISTURBED_SHARE, null, why);
    }

    /** Two windows of the same threads one after the other (a case extended with more batches): sums. */
    public Interference plus(Interference later) {
        if (later == null) return this;
        List<Task> merged = new ArrayList<>();
        for (Task t : tasks) {
            Task u = later.tasks.stream().filter(x -> x.task().equals(t.task())).findFirst().orElse(null);
            if (u == null) return this;
            merged.add(new Task(t.task(), t.tid(), t.cpu(), t.windowNs() + u.windowNs(), sum(t.runNs(), u.runNs()),
                    sum(t.runDelayNs(), u.runDelayNs()), t.involuntarySwitches() + u.involuntarySwitches(), t.source()));
        }
        return undecided != null ? recorded(merged, undecided) : judge(merged);
    }

    private static Long sum(Long a, Long b) {
        return a == null || b == null ? null : a + b;
    }

    /** "the measured threads lost 23% of the window to other work on CPU 0 (ping: run delay 12.0 of 200 ms, ...)". */
    public String describe() {
        StringBuilder out = new StringBuilder();
        if (offCpuShare != null) {
            out.append(String.format(Locale.ROOT, "the measured threads lost %.1f%% of the %.1f ms window to other work%s",
                    100 * offCpuShare, windowNs / 1e6, cpu != null ? " on CPU " + cpu : ""));
        } else {
            out.append(String.format(Locale.ROOT, "interference recorded, not judged (%s)", undecided));
        }
        out.append(" (");
        for (int i = 0; i < tasks.size(); i++) {
            Task t = tasks.get(i);
            if (i > 0) out.append(" / ");
            out.append(t.task()).append(t.cpu() >= 0 ? " on CPU " + t.cpu() : "").append(": ");
            if (t.runNs() != null) {
                out.append(String.format(Locale.ROOT, "ran %.1f ms, runnable but waiting %.1f ms, ", t.runNs() / 1e6,
                        t.runDelayNs() / 1e6));
            }
            out.append(t.involuntarySwitches()).append(" involuntary switches");
        }
        return out.append(')').toString();
    }
}
