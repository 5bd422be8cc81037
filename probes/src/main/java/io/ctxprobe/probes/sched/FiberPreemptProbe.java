package io.ctxprobe.probes.sched;

import io.ctxprobe.linux.Errno;
import io.ctxprobe.linux.LinuxException;
import io.ctxprobe.linux.NativeSched;
import io.ctxprobe.linux.NativeSched.PreemptMode;
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
 * fiber.preempt — preemptive user-level threads: two fibers on the (pinned) runner thread switched by
 * a per-thread timer signal (timer_create(CLOCK_MONOTONIC, SIGEV_THREAD_ID); the handler switches
 * fibers, sigreturn restores the preempted one), against the same fibers yielding cooperatively.
 *
 * <ul>
 * <li>{@code yield/100us}: ns per cooperative switch (each fiber yields once its turn reaches 100 us).</li>
 * <li>{@code signal/100us}, {@code signal/1ms}: ns per preemption: the preempted fiber's last stamp to
 *     the next fiber's first (timer interrupt + signal delivery + handler + switch + sigreturn).</li>
 * <li>{@code signal/100us/slice}, {@code signal/1ms/slice}: us per turn achieved, against the interval asked.</li>
 * <li>{@code registers}: each of two fibers fills every general register, the flags, xmm/ymm0-15,
 *     MXCSR, the x87 control word and its own signal mask with known values and must find them intact
 *     after {@link #REGISTER_PREEMPTIONS} preemptions inside that window; a negative control alters one
 *     register in a saved signal frame and must be caught. x86-64 only (skipped elsewhere).</li>
 * </ul>
 */
public final class FiberPreemptProbe implements Probe {

    public static final String ID = "fiber.preempt";
    static final long QUICK_NS = 200_000_000L;
    static final long DEFAULT_NS = 1_000_000_000L;
    static final long REGISTER_PREEMPTIONS = 10_000;
    static final long REGISTER_INTERVAL_NS = 25_000;
    static final long REGISTER_TIMEOUT_NS = 30_000_000_000L;
    /** The negative control's register: rbx, a callee-saved one the switch itself also saves. */
    static final int CONTROL_REGISTER = 1;
    private static final String SOURCE = "getrusage(RUSAGE_THREAD) of the fibers' thread";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "fibers preempted by a per-thread timer signal vs yielding: cost per preemption (a signal round trip) and per "
                + "yield, the slice achieved at 100 us and 1 ms, and a preempted fiber's whole register file checked";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(new ParamSpec("--quick", "0.2 s per run (default 1 s); the register check always runs to "
                + REGISTER_PREEMPTIONS + " preemptions per fiber"), new ParamSpec("--cpus", "the fibers' thread is pinned to the first CPU"));
    }

    @Override
    public List<CaseResult> run(ProbeContext ctx) {
        List<CaseResult> out = new ArrayList<>();
        long ns = ctx.options().quick() ? QUICK_NS : DEFAULT_NS;
        int cpu = ctx.cpus().first();
        NativeSched.PreemptRun[] yield = new NativeSched.PreemptRun[1];
        out.add(Cases.attempt(ctx, ID, "yield/100us", "ns/yield", () -> {
            yield[0] = run(ctx, cpu, PreemptMode.YIELD, 100_000, ns);
            return gaps("yield/100us", "ns/yield", yield[0], 100_000, ns, cpu, null);
        }));
        for (long slice : new long[] {100_000, 1_000_000}) {
            String name = "signal/" + (slice == 100_000 ? "100us" : "1ms");
            NativeSched.PreemptRun[] signal = new NativeSched.PreemptRun[1];
            out.add(Cases.attempt(ctx, ID, name, "ns/preemption", () -> {
                signal[0] = run(ctx, cpu, PreemptMode.SIGNAL, slice, ns);
                return gaps(name, "ns/preemption", signal[0], slice, ns, cpu, slice == 100_000 ? yield[0] : null);
            }));
            out.add(signal[0] == null ? CaseResult.failed(ID, name + "/slice", null, "us/turn", "the signal run did not complete")
                    : Cases.attempt(ctx, ID, name + "/slice", "us/turn", () -> slices(name + "/slice", signal[0], slice, cpu)));
        }
        out.add(Cases.attempt(ctx, ID, "registers", "preemptions", () -> registers(ctx, cpu)));
        return out;
    }

    private NativeSched.PreemptRun run(ProbeContext ctx, int cpu, PreemptMode mode, long sliceNs, long durationNs) {
        int max = (int) Math.min(1_000_000, 2 * durationNs / sliceNs + 64);
        try (ProbeContext.Pin _ = ctx.pinCurrentThread(cpu)) {
            return SchedCases.abortable(ctx, ID + " fibers",
                    abort -> NativeSched.fiberPreemptRun(mode, sliceNs, durationNs, max, abort));
        }
    }

    private CaseResult gaps(String caseId, String unit, NativeSched.PreemptRun r, long sliceNs, long ns, int cpu,
                            NativeSched.PreemptRun yield) {
        if (r.gapNs().length == 0) return CaseResult.failed(ID, caseId, null, unit, "no switch observed in " + ns / 1e6 + " ms");
        double[] gaps = Percentiles.toDoubles(r.gapNs(), 1);
        boolean signal = r.signo() > 0;
        CaseResultBuilder b = common(new CaseResultBuilder(ID, caseId, unit), r, sliceNs, ns, cpu)
                .param("p99-ns", Percentiles.format(Percentiles.of(gaps, 99)));
        SchedCases.samples(b, gaps);
        b.note(signal ? "a preemption as the fibers see it: the preempted fiber's last CLOCK_MONOTONIC stamp to the next fiber's "
                + "first: the timer interrupt, signal delivery, the handler's switch and the sigreturn of the resumed fiber"
                : "a cooperative switch as the fibers see it: one fiber's last stamp before it yields to the other's first "
                + "(the hand-written switch and about one clock read)");
        if (signal) {
            b.note(String.format("%d timer signals handled in %.1f ms at a %s us interval (%.0f periods): a signal that finds "
                    + "one pending merges into it (a timer overrun)", r.signals(), r.elapsedNs() / 1e6,
                    Percentiles.format(sliceNs / 1e3), r.elapsedNs() / (double) sliceNs));
            if (r.signals() != r.switches()) b.flag(r.switches() + " switches but " + r.signals() + " signals: a switch came from elsewhere");
        }
        if (yield != null && yield.gapNs().length > 0) claim(b, gaps, Percentiles.toDoubles(yield.gapNs(), 1));
        return b.wallMs(r.elapsedNs() / 1e6).build();
    }

    private CaseResult slices(String caseId, NativeSched.PreemptRun r, long sliceNs, int cpu) {
        if (r.turnNs().length == 0) return CaseResult.failed(ID, caseId, null, "us/turn", "no complete turn observed");
        double[] us = Percentiles.toDoubles(r.turnNs(), 1e3);
        CaseResultBuilder b = common(new CaseResultBuilder(ID, caseId, "us/turn"), r, sliceNs, r.elapsedNs(), cpu)
                .param("asked-us", sliceNs / 1e3)
                .param("median-error-pct", Percentiles.format(100 * (Percentiles.of(us, 50) - sliceNs / 1e3) / (sliceNs / 1e3)));
        SchedCases.samples(b, us);
        b.note("a turn: one fiber's first to last stamp between two preemptions; the interval asked is the timer's period, and a "
                + "turn is shorter by the preemption itself (or longer when a signal merged into a pending one)");
        return b.build();
    }

    private static CaseResultBuilder common(CaseResultBuilder b, NativeSched.PreemptRun r, long sliceNs, long ns, int cpu) {
        long switches = Math.max(1, r.switches());
        return b.param("mechanism", r.signo() > 0 ? "timer_create(CLOCK_MONOTONIC, SIGEV_THREAD_ID) + signal " + r.signo()
                        + "; the handler switches fibers (hand-written switch), sigreturn restores the preempted one" : "cooperative yield")
                .param("slice-us", sliceNs / 1e3).param("fibers", 2).param("cpu", cpu).param("duration-ms", ns / 1e6)
                .param("switches", r.switches())
                .counters(List.of(Counter.of("voluntary-switches", "fibers' thread", r.threadVoluntary(), switches, SOURCE),
                        Counter.of("involuntary-switches", "fibers' thread", r.threadInvoluntary(), switches, SOURCE)));
    }

    /**
     * The figures of the claim "preempting a fiber from user space costs ≈ Z µs (a signal round trip), a
     * cooperative yield W ns" (the cost ladder's claims read them by these labels on {@code signal/100us}).
     */
    static final String PREEMPTION = "preemption by a timer signal";
    static final String YIELD = "cooperative yield";
    static final String OVER_YIELD = "preemption over yield";

    private static void claim(CaseResultBuilder b, double[] signalNs, double[] yieldNs) {
        double z = Percentiles.of(signalNs, 50), w = Percentiles.of(yieldNs, 50);
        String signal = ID + "/signal/100us", yield = ID + "/yield/100us";
        b.derived(Derived.of(PREEMPTION, z / 1e3, "us", signal).withNote(String.format(
                "signal/100us median %s ns over %d preemptions: timer interrupt, signal delivery, the handler's switch, sigreturn",
                Percentiles.format(z), signalNs.length)));
        b.derived(Derived.of(YIELD, w, "ns", yield).withNote(String.format("yield/100us median %s ns over %d yields",
                Percentiles.format(w), yieldNs.length)));
        if (w > 0) b.derived(Derived.of(OVER_YIELD, z / w, "ratio", signal, yield));
    }

    private CaseResult registers(ProbeContext ctx, int cpu) {
        long started = System.nanoTime();
        NativeSched.RegsRun r, control;
        try (ProbeContext.Pin _ = ctx.pinCurrentThread(cpu)) {
            r = NativeSched.fiberRegsRun(REGISTER_INTERVAL_NS, REGISTER_PREEMPTIONS, REGISTER_TIMEOUT_NS, -1);
            control = NativeSched.fiberRegsRun(REGISTER_INTERVAL_NS, 20, 5_000_000_000L, CONTROL_REGISTER);
        } catch (LinuxException e) {
            if (e.errno() == Errno.ENOSYS) {
                throw new ProbeUnavailableException("the register-file window is x86-64 assembly; this is " + System.getProperty("os.arch"));
            }
            throw e;
        }
        long survived = Math.min(r.inWindowA(), r.inWindowB());
        CaseResultBuilder b = new CaseResultBuilder(ID, "registers", "preemptions")
                .param("interval-us", REGISTER_INTERVAL_NS / 1e3).param("cpu", cpu)
                .param("checked", "rax rbx rcx rdx rsi rdi rbp r8-r15, rflags (CF PF AF ZF SF DF OF), "
                        + (r.avx() ? "ymm0-15" : "xmm0-15") + ", MXCSR, x87 control word, signal mask")
                .param("preemptions-in-window", r.inWindowA() + "/" + r.inWindowB())
                .param("preemptions", r.preemptedA() + "/" + r.preemptedB())
                .param("windows-checked", r.windowsA() + "/" + r.windowsB())
                .param("mismatches", r.mismatches())
                .param("negative-control", control.mismatches() > 0 && control.firstBad() == CONTROL_REGISTER
                        ? "caught (" + NativeSched.registerName(CONTROL_REGISTER) + " altered in a saved frame)" : "NOT caught");
        SchedCases.samples(b, new double[] {survived});
        b.note("each of two fibers loads its own pattern into every register and blocks its own extra signal, spins on `loop` "
                + "(which changes no flag), dumps and compares; a preemption counts when its RIP lies inside that spin");
        if (r.mismatches() > 0) {
            b.flag(r.mismatches() + " window(s) found a register changed; first: " + NativeSched.registerName(r.firstBad()));
        }
        if (r.timedOut() || survived < REGISTER_PREEMPTIONS) {
            b.flag("only " + survived + " preemptions inside the window before the deadline");
        }
        if (!(control.mismatches() > 0 && control.firstBad() == CONTROL_REGISTER)) {
            b.flag("the negative control (rbx altered in a saved signal frame) was not caught: the check is blind");
        }
        return b.wallMs((System.nanoTime() - started) / 1e6).build();
    }
}
