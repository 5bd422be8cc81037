package io.ctxprobe.probes.tlb;

import io.ctxprobe.perf.PerfRecord;
import io.ctxprobe.perf.TracepointFormat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the kernel's {@code tlb:tlb_flush} tracepoint said about the measured tasks over one run
 * (pure: built from decoded samples and two counts, tested on fixtures).
 *
 * <p>x86's switch_mm_irqs_off writes one {@code tlb_flush} with reason 0 ("flush on task switch")
 * every time it loads another address space's page tables: {@code pages = 0} when the TLB entries
 * of the new address space were kept (PCID tags them), {@code pages = -1} (TLB_FLUSH_ALL) when the
 * load flushed the TLB (no PCID, or the PCID slot was recycled). A switch between two threads of one
 * process loads nothing and writes nothing.
 *
 * <p>Each task-switch event is tied to the sched_switch just before it on its CPU (the kernel writes
 * sched_switch in __schedule, then switches address space in context_switch, with the task switched
 * out still current): a handoff switch is one between the two measured tasks; a switch of a measured
 * task to any other task (a preemption on a busy host) is counted apart, so another process's share
 * of the CPU does not enter the per-handoff figure.
 *
 * @param switches           the measured tasks' context switches (sched:sched_switch counted, prev_pid one of them)
 * @param handoffSwitches    sampled sched_switch events from one measured task to the other
 * @param handoffFlushes     task-switch tlb_flush events tied to those handoff switches
 * @param notFromSwitches    tlb_flush events of any reason written while a measured task ran that are
 *                           not a switch of it (shootdowns: its own munmap, or another CPU's, landing here)
 * @param taskSwitchCounted  tlb_flush events with reason 0 counted in counting mode (kernel-side filter)
 * @param taskSwitchSampled  the same events as decoded from samples: kept + full + ranged
 * @param kept               task-switch events with pages 0: address space switched, TLB kept
 * @param full               task-switch events with pages -1: address space switched, TLB flushed
 * @param ranged             task-switch events with any other pages value (not expected; counted)
 * @param byReason           every sampled event by its reason's name from the format's print fmt
 * @param lost               records the kernel dropped (then the split may not add up)
 */
public record FlushTally(long switches, long handoffSwitches, long handoffFlushes, long notFromSwitches, long taskSwitchCounted,
                         long taskSwitchSampled, long kept, long full, long ranged, Map<String, Long> byReason, long lost) {

    public static final int REASON_TASK_SWITCH = 0;
    /** TLB_FLUSH_ALL, (unsigned long) -1. */
    public static final long PAGES_ALL = -1;

    public FlushTally {
        byReason = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byReason));
    }

    /**
     * Decodes {@code samples} of {@code tlb} and {@code sched} (sched_switch; others are ignored) by
     * the formats' offsets; {@code tids} are the measured tasks. Samples come sorted by time, each
     * CPU's in the order its ring recorded them.
     */
    public static FlushTally of(TracepointFormat tlb, TracepointFormat sched, List<PerfRecord.Sample> samples, int[] tids,
                                long switches, long taskSwitchCounted, long lost) {
        TracepointFormat.Field reason = tlb.field("reason");
        TracepointFormat.Field pages = tlb.field("pages");
        Map<Long, String> names = tlb.symbols("reason");
        Map<String, Long> byReason = new LinkedHashMap<>();
        Map<Integer, long[]> lastSwitch = new java.util.HashMap<>();   // cpu -> {prev, next}
        long kept = 0;
        long full = 0;
        long ranged = 0;
        long handoffSwitches = 0;
        long handoffFlushes = 0;
        long notFromSwitches = 0;
        for (PerfRecord.Sample s : samples) {
            if (s.commonType() == sched.id()) {
                long prev = sched.field("prev_pid").readLong(s.raw());
                long next = sched.field("next_pid").readLong(s.raw());
                lastSwitch.put(s.cpu(), new long[] {prev, next});
                if (measured(tids, prev) && measured(tids, next) && prev != next) handoffSwitches++;
                continue;
            }
            if (s.commonType() != tlb.id()) continue;
            long r = reason.readLong(s.raw());
            byReason.merge(names.getOrDefault(r, "reason " + r) + " (" + r + ")", 1L, Long::sum);
            long[] sw = lastSwitch.get(s.cpu());
            boolean switching = r == REASON_TASK_SWITCH && sw != null && sw[0] == s.tid();
            if (!switching && measured(tids, s.tid())) notFromSwitches++;
            if (r != REASON_TASK_SWITCH) continue;
            long p = pages.readLong(s.raw());
            if (p == 0) kept++;
            else if (p == PAGES_ALL) full++;
            else ranged++;
            if (sw != null && sw[0] == s.tid() && measured(tids, sw[0]) && measured(tids, sw[1]) && sw[0] != sw[1]) handoffFlushes++;
        }
        return new FlushTally(switches, handoffSwitches, handoffFlushes, notFromSwitches, taskSwitchCounted, kept + full + ranged, kept, full,
                ranged, byReason, lost);
    }

    private static boolean measured(int[] tids, long tid) {
        for (int t : tids) {
            if (t == tid) return true;
        }
        return false;
    }

    /** Task-switch tlb_flush events per switch from one measured task to the other; NaN without such switches. */
    public double perHandoff() {
        return handoffSwitches == 0 ? Double.NaN : (double) handoffFlushes / handoffSwitches;
    }

    /** Task-switch tlb_flush events per context switch of the measured tasks (counting mode); NaN without switches. */
    public double perSwitch() {
        return switches == 0 ? Double.NaN : (double) taskSwitchCounted / switches;
    }

    /** Share of the task-switch events that kept the TLB (pages 0); NaN when there were none. */
    public double keptShare() {
        return taskSwitchSampled == 0 ? Double.NaN : (double) kept / taskSwitchSampled;
    }

    /** Share of the task-switch events that flushed it (pages -1); NaN when there were none. */
    public double fullShare() {
        return taskSwitchSampled == 0 ? Double.NaN : (double) full / taskSwitchSampled;
    }

    /** Whether the pages split adds up: kept + full + ranged is what counting mode counted, nothing lost. */
    public boolean addsUp() {
        return lost == 0 && taskSwitchSampled == taskSwitchCounted;
    }

    /** The typed figures as report params. */
    public Map<String, String> params() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("handoff_switches", String.valueOf(handoffSwitches));
        p.put("handoff_flush_events", String.valueOf(handoffFlushes));
        p.put("per_handoff_switch", fmt(perHandoff()));
        p.put("flush_events_not_from_switches", String.valueOf(notFromSwitches));
        p.put("switches", String.valueOf(switches));
        p.put("task_switch_flush_events", String.valueOf(taskSwitchCounted));
        p.put("per_switch", fmt(perSwitch()));
        p.put("pages_0_kept", String.valueOf(kept));
        p.put("pages_minus1_full_flush", String.valueOf(full));
        p.put("pages_other", String.valueOf(ranged));
        p.put("sampled_task_switch_events", String.valueOf(taskSwitchSampled));
        p.put("lost_records", String.valueOf(lost));
        byReason.forEach((name, n) -> p.put("reason " + name, String.valueOf(n)));
        return p;
    }

    /** "40000 handoff switches, 39990 tlb_flush events tied to them (0.999 per switch); all switches ...". */
    public String text() {
        return String.format(Locale.ROOT, "%d switches between the two tasks, %d task-switch tlb_flush events tied to them (%s per"
                + " switch); all their switches %d (to other tasks too), all task-switch tlb_flush events %d (%s per switch):"
                + " pages 0 (TLB kept) %d, pages -1 (full flush) %d%s; every reason sampled: %s%s", handoffSwitches, handoffFlushes,
                fmt(perHandoff()), switches, taskSwitchCounted, fmt(perSwitch()), kept, full,
                ranged == 0 ? "" : ", other pages values " + ranged, byReason.isEmpty() ? "none" : byReason,
                lost == 0 ? "" : "; " + lost + " records lost");
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) return "n/a";
        if (v != 0 && Math.abs(v) < 0.001) return String.format(Locale.ROOT, "%.2g", v);
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
