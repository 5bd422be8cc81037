package io.ctxprobe.probes.isolation;

import io.ctxprobe.probes.measurement.Cases;
import io.ctxprobe.linux.CtxprobeLib;
import io.ctxprobe.linux.CtxprobeLib.IsolationOutcome;
import io.ctxprobe.measure.BatchPlan;
import io.ctxprobe.probe.Probe;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.CaseResultBuilder;

import java.util.ArrayList;
import java.util.List;

/**
 * isolation — what a crash takes down. In a sacrificial child process forked in libctxprobe from the
 * runner thread (the harness always survives; core dumps off), one of two tasks stores through a
 * NULL pointer: a grandchild process (its parent and its sibling live on), a pthread (the whole
 * process dies by SIGSEGV, its other threads with it), or a fiber (its host thread's whole process
 * dies). Unit: µs from the fault (the faulting code's CLOCK_MONOTONIC read right before its store) to
 * the notice (the waiting parent's read right after waitpid returns), one sample per repetition.
 */
public final class IsolationProbe implements Probe {

    public static final String ID = "isolation";
    static final String UNIT = "us";
    static final int SIGSEGV = 11;
    static final int QUICK_REPETITIONS = 3;
    static final int REPETITIONS = 5;

    enum Scenario {
        CHILD_PROCESS("child-process", CtxprobeLib.ISO_CHILD_PROCESS,
                "the sacrificial process forks two grandchildren; one faults; it notices with waitpid"),
        THREAD("thread", CtxprobeLib.ISO_THREAD,
                "the sacrificial process runs two extra pthreads; one faults; the harness notices with waitpid"),
        FIBER("fiber", CtxprobeLib.ISO_FIBER,
                "the sacrificial process runs two fibers on its one thread; one faults; the harness notices with waitpid");

        final String label;
        final int code;
        final String what;

        Scenario(String label, int code, String what) {
            this.label = label;
            this.code = code;
            this.what = what;
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "a NULL-pointer fault in a child process, a thread, a fiber: what survives, the signal, fault-to-notice time";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(new ParamSpec("--batches", "repetitions per scenario (default 5, quick 3)"));
    }

    @Override
    public List<CaseResult> run(ProbeContext ctx) {
        List<CaseResult> results = new ArrayList<>();
        for (Scenario s : Scenario.values()) {
            results.add(Cases.attempt(ctx, ID, s.label, UNIT, () -> measure(ctx, s)));
        }
        return results;
    }

    private static CaseResult measure(ProbeContext ctx, Scenario s) {
        long started = System.nanoTime();
        int reps = ctx.options().batches() != null ? ctx.options().batches()
                : ctx.options().quick() ? QUICK_REPETITIONS : REPETITIONS;
        CaseResultBuilder b = new CaseResultBuilder(ID, s.label, UNIT).param("scenario", s.label).note(s.what);
        double[] us = new double[reps];
        List<String> violations = new ArrayList<>();
        IsolationOutcome first = null;
        for (int i = 0; i < reps; i++) {
            if (ctx.cleanup().stopped()) throw new IllegalStateException("stopped");
            IsolationOutcome o = CtxprobeLib.isolationRun(s.code);
            if (first == null) first = o;
            us[i] = o.noticeNs() / 1e3;
            String wrong = violation(s, o);
            if (wrong != null && !violations.contains(wrong)) violations.add(wrong);
        }
        boolean childCase = s == Scenario.CHILD_PROCESS;
        b.param("parent survived", childCase ? yes(first.has(CtxprobeLib.ISO_PARENT_SURVIVED)) : "no (it is the process)")
                .param("sibling survived", yes(first.has(CtxprobeLib.ISO_SIBLING_SURVIVED)))
                .param(childCase ? "child killed by" : "process killed by", signalName(first.signal()))
                .param("harness survived", "yes")
                .param("repetitions", reps)
                .valuesInUnit(new BatchPlan(0, reps, 1), us, null)
                .note("from the fault (CLOCK_MONOTONIC written to a shared mapping right before the NULL store) to the "
                        + (childCase ? "sacrificial process's" : "harness's") + " CLOCK_MONOTONIC read right after waitpid "
                        + "returned" + (childCase ? "" : " (woken by a pidfd where the kernel has one)"))
                .note("the time includes the dead process's teardown (exit of every thread, unmapping its address space, "
                        + "a copy-on-write copy of the JVM's): waitpid returns only once that is done")
                .note("core dumps off in the sacrificial process (RLIMIT_CORE 0, PR_SET_DUMPABLE 0); SIGSEGV at SIG_DFL");
        switch (s) {
            case CHILD_PROCESS -> b.note("a crashed child leaves its parent and its sibling alive");
            case THREAD -> b.note("a crashed thread kills its whole process: the other threads are gone with it");
            case FIBER -> b.note("a crashed fiber kills its host thread's whole process, the other fiber with it");
        }
        for (String v : violations) b.flag(v);
        return b.wallMs((System.nanoTime() - started) / 1e6).build();
    }

    /** The fact a scenario must show, or what contradicted it. */
    static String violation(Scenario s, IsolationOutcome o) {
        if (!o.has(CtxprobeLib.ISO_SIBLING_RAN)) return "the sibling never ran before the fault";
        if (o.signal() != SIGSEGV) return "the faulting task died of " + signalName(o.signal()) + ", not SIGSEGV";
        return switch (s) {
            case CHILD_PROCESS -> !o.has(CtxprobeLib.ISO_PARENT_SURVIVED) ? "the parent of the crashed child did not survive"
                    : !o.has(CtxprobeLib.ISO_SIBLING_SURVIVED) ? "the sibling of the crashed child did not survive" : null;
            case THREAD, FIBER -> !o.has(CtxprobeLib.ISO_PROCESS_KILLED) ? "the process survived a crash of its " + s.label
                    : o.has(CtxprobeLib.ISO_SIBLING_SURVIVED) ? "the sibling thread outlived its process" : null;
        };
    }

    private static String yes(boolean b) {
        return b ? "yes" : "no";
    }

    static String signalName(int sig) {
        return switch (sig) {
            case 0 -> "none";
            case 6 -> "SIGABRT";
            case 7 -> "SIGBUS";
            case 9 -> "SIGKILL";
            case SIGSEGV -> "SIGSEGV";
            default -> "signal " + sig;
        };
    }
}
