package io.ctxprobe.probes.sched;

import io.ctxprobe.probe.Probe;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.probes.childjvm.OneCarrierJvm;
import io.ctxprobe.probes.childjvm.VthreadStarveMain;
import io.ctxprobe.probes.measurement.Cases;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.CaseResultBuilder;
import io.ctxprobe.report.Derived;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * vthread.starve — virtual threads are scheduled cooperatively on their carriers. In a child JVM
 * with one carrier pinned to one CPU ({@link VthreadStarveMain}): thread A spins without blocking
 * for at most S, thread B waits to run; B's wait per rep, in ms. The same with Thread.yield() in A's
 * loop (B started from the carrier, and B started from a platform thread), and with two platform
 * threads on that CPU (the kernel preempts A). Validation, a fact of each design: a spinning virtual
 * thread that never yields holds the only carrier, so B waits at least {@link #STARVED_SHARE} of S in
 * every rep; a yielding one (B started from the carrier) and a platform thread let B run in under
 * {@link #FREE_SHARE} of S in the median rep. What the JDK in use does with a yield against work
 * submitted from another thread is reported as measured, not judged: it is the JDK's behaviour.
 */
public final class VthreadStarveProbe implements Probe {

    public static final String ID = "vthread.starve";
    /** The label of B's wait behind a spinning virtual thread on {@code virtual/spin} (the ladder's claim reads it). */
    static final String HELD = "wait behind a spinning virtual thread";
    static final String UNIT = "ms";
    static final long QUICK_SPIN_NS = 100_000_000L;
    static final long DEFAULT_SPIN_NS = 500_000_000L;
    static final double STARVED_SHARE = 0.8;
    static final double FREE_SHARE = 0.2;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "a virtual thread that never yields on one carrier: how long another waits, against Thread.yield() in the "
                + "loop and against platform threads the kernel preempts (child JVM, one carrier, one CPU)";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(new ParamSpec("--quick", "spin bound S = 100 ms, 3 reps (default S = 500 ms, 5 reps)"),
                new ParamSpec("--batches", "reps per case"), new ParamSpec("--cpus", "the child JVM pins itself to the first CPU"));
    }

    @Override
    public List<CaseResult> run(ProbeContext ctx) {
        List<String> ids = VthreadStarveMain.CASES;
        if (ctx.cleanup().stopped()) return ids.stream().map(id -> CaseResult.failed(ID, id, null, UNIT, "interrupted: not run")).toList();
        long spinNs = ctx.options().quick() ? QUICK_SPIN_NS : DEFAULT_SPIN_NS;
        int reps = ctx.options().batches() != null ? ctx.options().batches() : ctx.options().quick() ? 3 : 5;
        // Four cases of (reps + 1) spins of S, a JVM start, generously.
        long deadlineMs = 60_000 + 4L * 4 * (reps + 1) * spinNs / 1_000_000;
        long started = System.nanoTime();
        OneCarrierJvm.Outcome<VthreadStarveMain.Report> child;
        try {
            child = OneCarrierJvm.run(ctx, ID, VthreadStarveMain.class, List.of("--cpu", Integer.toString(ctx.cpus().first()),
                    "--binding", ctx.binding().name(), "--spin-ns", Long.toString(spinNs), "--reps", Integer.toString(reps),
                    "--deadline-ms", Long.toString(deadlineMs)), deadlineMs, VthreadStarveMain.Report.class);
        } catch (RuntimeException e) {
            String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            return ids.stream().map(id -> CaseResult.failed(ID, id, null, UNIT, message)).toList();
        }
        double wallMs = (System.nanoTime() - started) / 1e6;
        List<CaseResult> out = new ArrayList<>();
        for (VthreadStarveMain.CaseRun c : child.report().cases()) {
            out.add(Cases.attempt(ctx, ID, c.caseId(), UNIT, () -> result(child.report(), c, child.pid(), wallMs)));
        }
        return out;
    }

    private CaseResult result(VthreadStarveMain.Report r, VthreadStarveMain.CaseRun c, long pid, double wallMs) {
        double s = r.spinNs() / 1e6;
        double[] waitMs = Percentiles.toDoubles(c.waitNs(), 1e6);
        double median = Percentiles.of(waitMs, 50), min = Arrays.stream(waitMs).min().orElse(0);
        CaseResultBuilder b = new CaseResultBuilder(ID, c.caseId(), UNIT)
                .param("spin-bound-ms", s)
                .param("threads", c.caseId().startsWith("virtual/") ? "virtual, one carrier (parallelism=" + r.parallelism()
                        + ", maxPoolSize=" + r.maxPoolSize() + ")" : "platform, both pinned to one CPU")
                .param("loop", c.caseId().contains("yield") ? "System.nanoTime + Thread.yield()" : "System.nanoTime, no blocking call")
                .param("b-started-from", c.caseId().endsWith("external") ? "the main platform thread (external submission)"
                        : "thread A, before it spins")
                .param("cpu", r.pinnedCpu()).param("jdk", r.jdk()).param("vm", r.vm()).param("child-pid", pid)
                .param("a-spun-ms", Percentiles.format(Percentiles.of(Percentiles.toDoubles(c.spunNs(), 1e6), 50)));
        SchedCases.samples(b, waitMs);
        b.note(String.format("B's wait / S: median %.3f, min %.3f (S = %.0f ms, the spin's bound: A stops at S or once B ran)",
                median / s, min / s, s));
        switch (c.caseId()) {
            case "virtual/spin" -> {
                if (min < STARVED_SHARE * s) {
                    b.flag(String.format("a virtual thread that never yields should hold the only carrier: B should wait >= %.0f%% "
                            + "of S in every rep, but waited %.2f ms", STARVED_SHARE * 100, min));
                }
                b.note("JDK " + r.jdk() + ": virtual threads are not time-sliced; a spinning one keeps its carrier until it blocks, "
                        + "yields or ends, so B ran only when A's bounded spin ended");
                // the figure of the claim "a virtual thread that never yields holds its carrier" (the cost ladder reads it)
                b.derived(Derived.of(HELD, median, "ms", ID + "/virtual/spin").withNote(String.format(
                        "B waited median %s ms of A's %s ms spin (JDK %s, one carrier)", Percentiles.format(median),
                        Percentiles.format(s), r.jdk())));
            }
            case "virtual/spin-yield", "platform/spin" -> {
                if (median >= FREE_SHARE * s) {
                    b.flag(String.format("B should run within %.0f%% of S, but the median wait is %.2f ms", FREE_SHARE * 100, median));
                }
                b.note(c.caseId().startsWith("platform") ? "the kernel preempts the spinning platform thread (a tick or a wake-up "
                        + "preemption): B ran without A's cooperation"
                        : "Thread.yield() hands the carrier to B, which A started from the carrier (its local queue)");
            }
            default -> b.note(String.format("JDK %s: with B submitted from a platform thread while A yields on the one carrier, "
                    + "B waited median %.2f ms of S = %.0f ms: %s", r.jdk(), median, s, median >= STARVED_SHARE * s
                    ? "the yielding thread kept the carrier (it is re-queued where the carrier finds it first)"
                    : median >= FREE_SHARE * s ? "the yields let B run only after many of them (an externally submitted task "
                    + "waits behind the yielding thread's re-submissions)" : "the yield let B run"));
        }
        return b.wallMs(wallMs).build();
    }
}
