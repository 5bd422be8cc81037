package io.ctxprobe.probes.switching;

import io.ctxprobe.measure.Stats;
import io.ctxprobe.perf.PerfRecord;
import io.ctxprobe.perf.TracepointFormat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pure: a ping-pong's handoffs decomposed from the kernel's timestamped tracepoints (samples sorted
 * by CLOCK_MONOTONIC time, fields decoded by each format's offsets). A handoff (a cycle) runs from one
 * side's wake call (the sys_enter of FUTEX_WAKE, or of the write to the other's pipe or eventfd) to
 * the other side's next wake call, so the cycles tile the run and their mean is the handoff. Where
 * the woken side slept, the cycle is the chain
 * <pre>
 *  waker sys_enter ─wake-call─▶ sched_waking ─queue─▶ sched_wakeup ─to-switch─▶ sched_switch (next = woken)
 *    ─to-user─▶ woken sys_exit ─user─▶ the woken side's own wake call (the next cycle)
 * </pre>
 * whose five phases telescope to the cycle. On one CPU {@code to-switch} holds the waker's own way
 * into sleep; across CPUs {@code queue} holds the IPI and the target CPU's idle exit. A cycle in
 * which the other side did not sleep (it found the token already there) is {@code no-sleep}, one
 * whose chain is broken (a record lost, a wake-up of another kind) {@code incomplete}: both are kept
 * whole, so the mean over every cycle is still the mean handoff. Beside the chain, {@code sleep-path}
 * is each waiter's own path into sleep (its last sys_enter until it is switched out asleep).
 */
public final class SwitchAnatomy {

    /** The phases of a cycle in which the woken side slept, in order; their sum is the cycle. */
    public static final List<String> PHASES = List.of("wake-call", "queue", "to-switch", "to-user", "user");
    public static final Map<String, String> WHAT = Map.of(
            "wake-call", "waker's system call until sched_waking",
            "queue", "sched_waking until sched_wakeup (queued; across CPUs: IPI and idle exit)",
            "to-switch", "wake-up queued until the switch to the woken task",
            "to-user", "the switch until the woken task is back in user space (sys_exit)",
            "user", "the woken task in user space until its own wake call",
            "sleep-path", "a waiter's wait call (sys_enter) until it is switched out asleep");

    /** The decoded formats the analysis needs. */
    public record Formats(TracepointFormat sysEnter, TracepointFormat sysExit, TracepointFormat waking,
                          TracepointFormat wakeup, TracepointFormat sched) {}

    /** Which sys_enter is a side's wake call: by the system call's number and its second argument. */
    @FunctionalInterface
    public interface WakeCall {
        boolean test(long syscall, long arg1);
    }

    /**
     * Per phase the durations (ns) of the cycles in which the woken side slept; the durations of the
     * no-sleep and incomplete cycles; the sleep paths.
     */
    public record Result(Map<String, double[]> phases, double[] noSleep, double[] incomplete, double[] sleepPaths) {
        public int decomposed() {
            return phases.get(PHASES.getFirst()).length;
        }

        public int cycles() {
            return decomposed() + noSleep.length + incomplete.length;
        }

        public Stats stats(String phase) {
            double[] v = phase.equals("no-sleep") ? noSleep : phases.get(phase);
            return v == null || v.length == 0 ? null : Stats.of(v);
        }

        /** Σ over the five phases of their medians (ns); NaN when no cycle was decomposed. */
        public double sumOfMedians() {
            return decomposed() == 0 ? Double.NaN : PHASES.stream().mapToDouble(p -> stats(p).median()).sum();
        }

        /**
         * What each phase adds to the mean cycle: its total over every cycle; the five phases, then
         * "no-sleep" and "incomplete". The values sum to {@link #meanCycle()}.
         */
        public Map<String, Double> contributions() {
            Map<String, Double> out = new LinkedHashMap<>();
            int n = cycles();
            for (String p : PHASES) out.put(p, sum(phases.get(p)) / n);
            out.put("no-sleep", sum(noSleep) / n);
            out.put("incomplete", sum(incomplete) / n);
            return out;
        }

        /** The mean of every cycle (ns): the handoff as the trace saw it. NaN without cycles. */
        public double meanCycle() {
            return cycles() == 0 ? Double.NaN : contributions().values().stream().mapToDouble(Double::doubleValue).sum();
        }

        private static double sum(double[] v) {
            double s = 0;
            for (double x : v) s += x;
            return s;
        }
    }

    /** One cycle being assembled: the waker's wake call and what followed it. */
    private static final class Cycle {
        final int waker;
        final long enter;
        int woken = -1;
        long waking = -1;
        long wakeup = -1;
        long switchIn = -1;
        long exit = -1;

        Cycle(int waker, long enter) {
            this.waker = waker;
            this.enter = enter;
        }
    }

    private SwitchAnatomy() {}

    public static Result analyse(Formats f, List<PerfRecord.Sample> samples, int[] tids, WakeCall wakeCall) {
        Map<Integer, Long> lastEnter = new HashMap<>();
        Map<Integer, Long> lastExit = new HashMap<>();
        List<double[]> rows = new ArrayList<>();
        List<Double> noSleep = new ArrayList<>();
        List<Double> incomplete = new ArrayList<>();
        List<Double> sleepPaths = new ArrayList<>();
        Cycle cur = null;
        for (PerfRecord.Sample s : samples) {
            long type = s.commonType();
            long t = s.time();
            int tid = s.tid();
            if (type == f.sysEnter().id() && measured(tids, tid)) {
                lastEnter.put(tid, t);
                long nr = f.sysEnter().field("id").readLong(s.raw());
                if (!wakeCall.test(nr, f.sysEnter().field("args").readElement(s.raw(), 1))) continue;
                if (cur != null && tid != cur.waker) close(cur, t, rows, noSleep, incomplete);
                cur = new Cycle(tid, t);      // a second wake call by the same side replaces the first
            } else if (type == f.sysExit().id() && measured(tids, tid)) {
                lastExit.put(tid, t);
                if (cur != null && cur.switchIn >= 0 && cur.exit < 0 && tid == cur.woken) cur.exit = t;
            } else if (type == f.waking().id()) {
                int target = (int) f.waking().field("pid").readLong(s.raw());
                if (cur != null && cur.waking < 0 && tid == cur.waker && target != tid && measured(tids, target)) {
                    cur.waking = t;
                    cur.woken = target;
                }
            } else if (type == f.wakeup().id()) {
                int target = (int) f.wakeup().field("pid").readLong(s.raw());
                if (cur != null && cur.waking >= 0 && cur.wakeup < 0 && target == cur.woken) cur.wakeup = t;
            } else if (type == f.sched().id()) {
                int prev = (int) f.sched().field("prev_pid").readLong(s.raw());
                Long enter = lastEnter.get(prev);
                if (measured(tids, prev) && f.sched().field("prev_state").readLong(s.raw()) != 0 && enter != null
                        && enter >= lastExit.getOrDefault(prev, Long.MIN_VALUE)) {
                    sleepPaths.add((double) (t - enter));
                }
                int next = (int) f.sched().field("next_pid").readLong(s.raw());
                if (cur != null && cur.wakeup >= 0 && cur.switchIn < 0 && next == cur.woken) cur.switchIn = t;
            }
        }
        Map<String, double[]> phases = new LinkedHashMap<>();
        for (int p = 0; p < PHASES.size(); p++) {
            double[] v = new double[rows.size()];
            for (int i = 0; i < rows.size(); i++) v[i] = rows.get(i)[p];
            phases.put(PHASES.get(p), v);
        }
        return new Result(phases, toArray(noSleep), toArray(incomplete), toArray(sleepPaths));
    }

    /** Ends {@code c} at the other side's wake call at {@code next}: decomposed, no-sleep or incomplete. */
    private static void close(Cycle c, long next, List<double[]> rows, List<Double> noSleep, List<Double> incomplete) {
        double whole = next - c.enter;
        if (c.waking < 0) {
            noSleep.add(whole);
        } else if (c.exit < 0) {
            incomplete.add(whole);
        } else {
            rows.add(new double[] {c.waking - c.enter, c.wakeup - c.waking, c.switchIn - c.wakeup, c.exit - c.switchIn,
                    next - c.exit});
        }
    }

    private static boolean measured(int[] tids, int tid) {
        return tid == tids[0] || tid == tids[1];
    }

    private static double[] toArray(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
