package io.ctxprobe.probes.sched;

import io.ctxprobe.linux.LinuxException;
import io.ctxprobe.linux.NativeSched;
import io.ctxprobe.linux.NativeSched.WakeupSource;
import io.ctxprobe.measure.Counter;
import io.ctxprobe.probe.Probe;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.probe.ProbeUnavailableException;
import io.ctxprobe.probes.measurement.Cases;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.CaseResultBuilder;
import io.ctxprobe.report.Derived;

import java.util.ArrayList;
import java.util.List;

/**
 * sched.wakeup — how long a woken thread waits before it runs, in the manner of cyclictest (a
 * timer sleeper: its stamp after clock_nanosleep(TIMER_ABSTIME) minus the expiry it asked for) and
 * schbench (a futex sleeper: its stamp when it runs minus the waker's stamp just before FUTEX_WAKE,
 * the waker on another CPU). Case {@code <source>/<cpu>[/fifo]}: source {@code timer} or
 * {@code futex}; the sleeper's CPU {@code idle} or {@code busy} with a SCHED_OTHER hog spinning there
 * for the whole run; the sleeper SCHED_OTHER, or SCHED_FIFO priority 1 ({@code /fifo}, skipped with
 * the reason where refused). Unit: ns per wake-up, one sample per wake-up; p50/p99 always, p99.9 and
 * max as params in the full suite. No order is assumed: on a VM, waking a halted vCPU can cost more
 * than preempting a hog on a busy one.
 *
 * <p>Validation from the kernel's counts: on the busy CPU each wake-up served takes the CPU from the
 * hog (or finds it already out), so the hog's involuntary switches are at least the wake-ups served;
 * the sleeper slept at least once per wake-up (voluntary switches); both stayed on their CPU.
 */
public final class SchedWakeupProbe implements Probe {

    public static final String ID = "sched.wakeup";
    static final String UNIT = "ns/wake-up";
    static final int QUICK_WAKEUPS = 200;
    static final int DEFAULT_WAKEUPS = 2000;
    static final long PERIOD_NS = 1_000_000;
    /** Above this share of the CPU taken by third tasks, a wake-up need not preempt the hog. */
    static final double MAX_THIRD_SHARE = 0.02;
    private static final String SOURCE = "getrusage(RUSAGE_THREAD) of the thread, over the run";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "wake-up to run latency (cyclictest/schbench manner): futex and timer sleepers on an idle CPU and on one "
                + "busy with a hog, SCHED_OTHER vs SCHED_FIFO; the hog's involuntary switches checked against the wake-ups";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(new ParamSpec("--quick", QUICK_WAKEUPS + " wake-ups 1 ms apart per case, p50/p99 (default "
                        + DEFAULT_WAKEUPS + ", also p99.9 and max)"),
                new ParamSpec("--cpus", "the sleeper (and hog) on the first CPU, the futex waker on the second; futex cases "
                        + "need two CPUs"));
    }

    @Override
    public List<CaseResult> run(ProbeContext ctx) {
        List<CaseResult> out = new ArrayList<>();
        for (boolean fifo : new boolean[] {false, true}) {
            for (WakeupSource source : WakeupSource.values()) {
                for (boolean hog : new boolean[] {false, true}) {
                    String caseId = caseId(source, hog, fifo);
                    out.add(Cases.attempt(ctx, ID, caseId, UNIT, () -> measure(ctx, caseId, source, hog, fifo)));
                }
            }
        }
        return out;
    }

    /** One case alone (the cyclictest comparison in bench/ runs them one by one). */
    public CaseResult runCase(ProbeContext ctx, WakeupSource source, boolean hog, boolean fifo) {
        String caseId = caseId(source, hog, fifo);
        return Cases.attempt(ctx, ID, caseId, UNIT, () -> measure(ctx, caseId, source, hog, fifo));
    }

    static String caseId(WakeupSource source, boolean hog, boolean fifo) {
        return (source == WakeupSource.FUTEX ? "futex" : "timer") + (hog ? "/busy" : "/idle") + (fifo ? "/fifo" : "");
    }

    private CaseResult measure(ProbeContext ctx, String caseId, WakeupSource source, boolean hog, boolean fifo) {
        List<Integer> cpus = ctx.cpus().cpus();
        if (source == WakeupSource.FUTEX && cpus.size() < 2) {
            throw new ProbeUnavailableException("a futex waker needs a second CPU (--cpus gives " + ctx.cpus() + ")");
        }
        int sleeper = cpus.get(0);
        int waker = source == WakeupSource.FUTEX ? cpus.get(1) : -1;
        int n = ctx.options().quick() ? QUICK_WAKEUPS : DEFAULT_WAKEUPS;
        long started = System.nanoTime();
        NativeSched.WakeupRun r;
        try {
            r = SchedCases.abortable(ctx, ID + " sleeper",
                    abort -> NativeSched.wakeupRun(source, sleeper, waker, hog, fifo, n, PERIOD_NS, abort));
        } catch (LinuxException e) {
            ProbeUnavailableException u = fifo ? SchedCases.unavailableIfNotPermitted(e, "SCHED_FIFO priority 1") : null;
            throw u != null ? u : e;
        }
        long served = r.latencyNs().length;
        if (served == 0) {
            return CaseResult.failed(ID, caseId, null, UNIT, "no wake-up served (" + r.notSlept() + " found the word already changed)");
        }
        double[] ns = Percentiles.toDoubles(r.latencyNs(), 1);
        CaseResultBuilder b = new CaseResultBuilder(ID, caseId, UNIT)
                .param("source", source == WakeupSource.FUTEX ? "futex: FUTEX_WAKE from a thread on CPU " + waker
                        : "timer: clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME), timer slack 1 ns")
                .param("sleeper-cpu", sleeper)
                .param("sleeper-policy", fifo ? "SCHED_FIFO priority 1" : "SCHED_OTHER nice 0")
                .param("cpu-state", hog ? "busy: a SCHED_OTHER hog spins on the sleeper's CPU" : "idle: nothing of ours runs there")
                .param("wake-ups", served)
                .param("period-ms", PERIOD_NS / 1e6)
                .param("p50-us", Percentiles.format(Percentiles.of(ns, 50) / 1e3))
                .param("p99-us", Percentiles.format(Percentiles.of(ns, 99) / 1e3));
        if (!ctx.options().quick()) {
            b.param("p99.9-us", Percentiles.format(Percentiles.of(ns, 99.9) / 1e3));
            b.param("max-us", Percentiles.format(Percentiles.of(ns, 100) / 1e3));
        }
        SchedCases.schedulerParams(b);
        SchedCases.samples(b, ns);
        List<Counter> counters = new ArrayList<>(List.of(
                Counter.of("voluntary-switches", "sleeper", r.sleeperVoluntary(), served, SOURCE),
                Counter.of("involuntary-switches", "sleeper", r.sleeperInvoluntary(), served, SOURCE)));
        if (hog) counters.add(Counter.of("involuntary-switches", "hog", r.hogInvoluntary(), served, SOURCE));
        b.counters(counters);
        b.note(source == WakeupSource.FUTEX
                ? "latency = the sleeper's CLOCK_MONOTONIC stamp once it runs - the waker's stamp just before FUTEX_WAKE (schbench's measure)"
                : "latency = the sleeper's CLOCK_MONOTONIC stamp after clock_nanosleep returns - the absolute expiry asked for (cyclictest's measure)");
        if (r.notSlept() > 0) {
            b.note(r.notSlept() + (source == WakeupSource.FUTEX ? " wait(s) found the word already changed"
                    : " expiry(ies) had passed before the sleeper got back to sleep (it ran late)") + ": not a wake-up, not in the samples");
        }
        validate(b, r, served, sleeper, hog);
        if (caseId.equals("futex/busy")) claim(b, ns, served);
        return b.wallMs((System.nanoTime() - started) / 1e6).build();
    }

    private static void validate(CaseResultBuilder b, NativeSched.WakeupRun r, long served, int sleeper, boolean hog) {
        b.note(String.format("the sleeper slept (voluntary switches) %d times for %d wake-ups served: a wake-up that lands "
                + "before the waiter reached schedule() returns without a switch", r.sleeperVoluntary(), served));
        if (r.sleeperCpu() != sleeper) b.flag("the sleeper ended on CPU " + r.sleeperCpu() + ", not " + sleeper);
        if (!hog) return;
        double third = r.thirdTaskShare();
        b.param("third-task-share-pct", Percentiles.format(100 * third));
        b.note(String.format("the hog was switched out involuntarily %d times for %d wake-ups served on its CPU; the hog and "
                + "the sleeper ran %.1f%% of the run there", r.hogInvoluntary(), served, 100 * (1 - third)));
        if (r.hogCpu() != sleeper) b.flag("the hog ended on CPU " + r.hogCpu() + ", not " + sleeper);
        if (third > MAX_THIRD_SHARE) {
            b.note(String.format("third tasks had %.1f%% of the CPU: a wake-up may find one of them running instead of the hog, "
                    + "so hog switches >= wake-ups is not checked (it is where they had under %.0f%%)", 100 * third, 100 * MAX_THIRD_SHARE));
        } else if (r.hogInvoluntary() < served - allowedShortfall(served)) {
            b.flag("the hog's involuntary switches (" + r.hogInvoluntary() + ") are fewer than the wake-ups served on its CPU ("
                    + served + ") by more than the " + allowedShortfall(served) + " that third tasks' share allows");
        }
    }

    /**
     * Wake-ups that may not take the CPU from the hog: one that lands while a third task (a kernel
     * thread, interrupt work) holds the CPU takes it from that task. Third tasks had at most
     * {@link #MAX_THIRD_SHARE} of the CPU where this is checked, so about that share of the wake-ups.
     */
    static long allowedShortfall(long served) {
        return (long) Math.ceil(served * MAX_THIRD_SHARE);
    }

    /**
     * The figure of the claim "a woken thread waits ≈ Y µs behind a busy one" (the cost ladder's claims
     * read it by this label on {@code sched.wakeup/futex/busy}), with what it rests on.
     */
    static final String WAIT = "wake-up wait behind a busy thread";

    private static void claim(CaseResultBuilder b, double[] ns, long served) {
        double median = Percentiles.of(ns, 50) / 1e3;
        b.derived(Derived.of(WAIT, median, "us", ID + "/futex/busy").withNote(String.format(
                "futex wake-up to run on a CPU busy with a SCHED_OTHER hog: median %s us, p99 %s us over %d wake-ups",
                Percentiles.format(median), Percentiles.format(Percentiles.of(ns, 99) / 1e3), served)));
    }
}
