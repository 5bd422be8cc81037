package io.ctxprobe.probes.tlb;

import io.ctxprobe.probes.measurement.NativeLoops;
import io.ctxprobe.probes.switching.PartnerEnd;
import io.ctxprobe.linux.Errno;
import io.ctxprobe.probe.Cleanup;
import io.ctxprobe.probes.measurement.InThreadMeasurement;
import io.ctxprobe.probes.measurement.Cases;
import io.ctxprobe.linux.NativeCore;
import io.ctxprobe.linux.NativeTlb;
import io.ctxprobe.measure.CounterReadings;
import io.ctxprobe.measure.BatchPlan;
import io.ctxprobe.probe.Probe;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.CaseResultBuilder;
import io.ctxprobe.report.Derived;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * tlb.switch — what one event leaves behind in the TLB: a warm working set of W pages (one line
 * each; and the packed control, the same W lines in W/64 pages), then per pass one event (untimed)
 * and one timed pass over the W lines. The event's own time is outside the figure; what it cost the
 * next pass is {@code pass(event) - pass(none)}, shown per page. Events: none, a null system call, a
 * hand-written fiber switch there and back, swapcontext there and back, a same-CPU futex round trip
 * to a thread of this process and to a forked child. Unit: ns per pass.
 */
public final class TlbSwitchProbe implements Probe {

    public static final String ID = "tlb.switch";
    private static final String UNIT = "ns/pass";
    /** Derived figures' labels: an event's extra ns per page over none; the explanation (see {@link #explained}). */
    static final String EXTRA_OVER_NONE = "extra over none";
    static final String EXPLANATION = "kernel-entry refill per page (sparse - packed control)";

    public record Event(String caseId, NativeTlb.Event code, String what) {}

    public static final List<Event> EVENTS = List.of(
            new Event("none", NativeTlb.Event.NONE, "nothing between passes"),
            new Event("null-syscall", NativeTlb.Event.NULL_SYSCALL, "raw syscall(SYS_getppid)"),
            new Event("fiber-asm", NativeTlb.Event.FIBER_ASM, "hand-written fiber switch there and back"),
            new Event("fiber-ucontext", NativeTlb.Event.FIBER_UCONTEXT, "swapcontext there and back (rt_sigprocmask each way)"),
            new Event("thread-roundtrip", NativeTlb.Event.THREAD_ROUNDTRIP,
                    "futex round trip to a thread of this process pinned to the same CPU"),
            new Event("process-roundtrip", NativeTlb.Event.PROCESS_ROUNDTRIP,
                    "futex round trip to a forked child process pinned to the same CPU"));

    static final long[] WORKING_SETS = {64, 1024};

    private static final int QUICK_PASSES = 100;
    private static final int DEFAULT_PASSES = 300;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "TLB refill after an event: one timed pass over W warm pages after a null syscall, fiber switch, thread or process round trip";
    }

    @Override
    public List<ParamSpec> parameters() {
        return InThreadMeasurement.PARAMETERS;
    }

    @Override
    public List<CaseResult> run(ProbeContext ctx) {
        List<CaseResult> results = new ArrayList<>();
        int cpu = ctx.cpus().first();
        try (ProbeContext.Pin _ = ctx.pinCurrentThread(cpu)) {
            for (long w : WORKING_SETS) {
                for (boolean packed : new boolean[] {false, true}) {
                    Map<String, CaseResult> byEvent = new LinkedHashMap<>();
                    for (Event e : EVENTS) {
                        String caseId = e.caseId() + "/w" + w + (packed ? "/packed" : "");
                        byEvent.put(e.caseId(), Cases.attempt(ctx, ID, caseId, UNIT, () -> pass(ctx, caseId, e, w, packed, cpu)));
                    }
                    results.addAll(withExtras(byEvent, w));
                }
            }
        }
        return explained(ctx, results);
    }

    /** One case; public for the tests that kill its partner mid-run (KilledPartnerTest). */
    public static CaseResult pass(ProbeContext ctx, String caseId, Event e, long w, boolean packed, int cpu) {
        int batches = ctx.options().measuredBatches();
        int passes = ctx.options().quick() ? QUICK_PASSES : DEFAULT_PASSES;
        BatchPlan plan = new BatchPlan(1, batches, passes);
        long started = System.nanoTime();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment wall = arena.allocate(ValueLayout.JAVA_LONG, batches);
            // Counted over the whole run: per pass, but the untimed events and the warm-up included.
            CounterReadings events = InThreadMeasurement.counted(ctx, plan.measuredOps(),
                    () -> controlledRun(ctx, caseId, e, packed, w, plan, passes, wall));
            CaseResultBuilder b = new CaseResultBuilder(ID, caseId, UNIT).counters(events.counters());
            events.notes().forEach(b::note);
            if (!events.counters().isEmpty()) {
                b.note("counts per pass cover the whole run: the untimed event and the warm-up pass included");
            }
            return b.param("event", e.what()).param("pages", w)
                    .param("layout", packed ? "packed: W lines in " + Math.max(1, w / 64) + " pages (cache control)"
                            : "sparse: one line per 4 KiB page")
                    .param("cpu", cpu)
                    .batches(plan, 1, wall.toArray(ValueLayout.JAVA_LONG), null)
                    .timer("CLOCK_MONOTONIC (C), two reads per pass", NativeLoops.clockReadNs())
                    .note("the event runs untimed; only the pass after it is timed")
                    .wallMs((System.nanoTime() - started) / 1e6).build();
        }
    }

    /**
     * One native run under a control that the run's cleanup (Ctrl-C) and a deadline can abort: a
     * round trip's partner waits on the token without a timeout, so without it nothing but the
     * partner watch could end the run. A partner that died is said in words (signal, round trips).
     */
    private static int controlledRun(ProbeContext ctx, String caseId, Event e, boolean packed, long w, BatchPlan plan,
                                     int passes, MemorySegment wall) {
        long deadlineMs = deadlineMs(plan, passes);
        AtomicBoolean late = new AtomicBoolean();
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
                .daemon().name("ctxprobe-deadline").factory());
        try (NativeTlb.SwitchControl control = NativeTlb.SwitchControl.create();
             Cleanup.Registration reg = ctx.cleanup().register(ID + " " + caseId, control::abort)) {
            watchdog.schedule(() -> {
                late.set(true);
                reg.abort();   // through the registration: never after the control is freed
            }, deadlineMs, TimeUnit.MILLISECONDS);
            int rc = control.run(e.code(), packed, w, plan.warmup(), plan.batches(), passes, wall);
            if (rc < 0 && Errno.name(-rc).equals("EPIPE")) {
                var end = control.partnerEnd().filter(PartnerEnd::abnormal);
                if (end.isPresent()) {
                    throw new PartnerEnd.PartnerDied(PartnerEnd.describe(end.get(), control.roundTrips().orElse(0),
                            "round trips (warm-up included)"), end.get(), null);
                }
            }
            if (rc == -Errno.ECANCELED && late.get()) {
                throw new IllegalStateException("passed its deadline of " + deadlineMs / 1000 + " s; aborted");
            }
            return NativeCore.check("ctxprobe_tlb_switch_run_ctl", rc);
        } finally {
            watchdog.shutdownNow();
        }
    }

    /** Generous: a minute plus a millisecond per pass (a pass is microseconds), so only a hang trips it. */
    static long deadlineMs(BatchPlan plan, int passes) {
        return 60_000 + (plan.warmup() + plan.batches()) * (long) passes;
    }

    /** Adds "extra ns per page over none" to every case that has a value, "none" included as the baseline. */
    private static List<CaseResult> withExtras(Map<String, CaseResult> byEvent, long w) {
        CaseResult none = byEvent.get("none");
        List<CaseResult> out = new ArrayList<>();
        for (CaseResult r : byEvent.values()) {
            if (r.stats() == null || none.stats() == null || r == none) {
                out.add(r);
                continue;
            }
            double extra = (r.stats().median() - none.stats().median()) / w;
            out.add(r.withDerived(Derived.of(EXTRA_OVER_NONE, extra, "ns/page", r.key(), none.key())
                    .withNote(String.format("(this median - none's) / W: %.0f ns per pass over %d pages",
                            r.stats().median() - none.stats().median(), w))));
        }
        return out;
    }

    /** Extra ns per page of an event over none at (W, packed), NaN where either is missing. */
    static double extraPerPage(List<CaseResult> results, String event, long w, boolean packed) {
        String suffix = "/w" + w + (packed ? "/packed" : "");
        CaseResult e = results.stream().filter(r -> r.caseId().equals(event + suffix)).findFirst().orElse(null);
        CaseResult n = results.stream().filter(r -> r.caseId().equals("none" + suffix)).findFirst().orElse(null);
        if (e == null || n == null || e.stats() == null || n.stats() == null) return Double.NaN;
        return (e.stats().median() - n.stats().median()) / w;
    }

    /**
     * The explanation, a derived figure on the null-syscall case at the largest W: the null system
     * call's extra ns per page over none, sparse minus the packed control (what a TLB refill, not the
     * cache, can account for), with the mechanism stated only where the host facts establish it (PTI
     * on, no PCID: every kernel entry reloads CR3 and flushes the user TLB); otherwise the numbers and
     * "unexplained by the host facts". Where the null-syscall or none cases did not run, there is
     * nothing to explain and no figure.
     */
    static List<CaseResult> explained(ProbeContext ctx, List<CaseResult> results) {
        long w = WORKING_SETS[WORKING_SETS.length - 1];
        double sys = extraPerPage(results, "null-syscall", w, false);
        double sysPacked = extraPerPage(results, "null-syscall", w, true);
        if (Double.isNaN(sys) || Double.isNaN(sysPacked)) return results;
        String text = explanationText(ctx, results, w, sys, sysPacked);
        String suffix = "/w" + w;
        List<CaseResult> out = new ArrayList<>();
        for (CaseResult r : results) {
            out.add(!r.caseId().equals("null-syscall" + suffix) ? r : r.withDerived(Derived.of(EXPLANATION, sys - sysPacked,
                    "ns/page", r.key(), ID + "/none" + suffix, ID + "/null-syscall" + suffix + "/packed", ID + "/none" + suffix + "/packed")
                    .withNote(text)));
        }
        return out;
    }

    /** The explanation in words (see {@link #explained}). */
    private static String explanationText(ProbeContext ctx, List<CaseResult> results, long w, double sys, double sysPacked) {
        double thread = extraPerPage(results, "thread-roundtrip", w, false);
        double process = extraPerPage(results, "process-roundtrip", w, false);
        double fiber = extraPerPage(results, "fiber-asm", w, false);
        String numbers = String.format("at W = %d pages: extra ns per page over none: null syscall %.2f (packed control %.2f),"
                        + " fiber-asm %.2f, thread round trip %.2f, process round trip %.2f",
                w, sys, sysPacked, fiber, thread, process);
        var s = ctx.host().summary();
        String facts = "host facts: " + (s == null || s.ptiText() == null ? "PTI/PCID unknown" : s.ptiText());
        String text;
        if (TlbHostFacts.ptiWithoutPcid(ctx.host())) {
            text = "PTI is on and PCID is absent (" + facts + "): every kernel entry reloads CR3 and flushes the user TLB, so a"
                    + " null system call costs a measurable refill (" + String.format("%.2f", sys) + " ns per page over none at W = "
                    + w + ", against " + String.format("%.2f", sysPacked) + " for the packed control) and the thread-vs-process"
                    + " difference collapses (thread " + String.format("%.2f", thread) + " vs process "
                    + String.format("%.2f", process) + " ns per page): both enter the kernel; " + numbers;
        } else {
            text = facts + "; " + numbers + "; the host facts do not establish a flush on kernel entry: any difference"
                    + " above is unexplained by the host facts";
        }
        return text;
    }
}
