package io.ctxprobe.probes.lifecycle;

import io.ctxprobe.probes.measurement.NativeLoops;
import io.ctxprobe.probes.measurement.JavaLoops;
import io.ctxprobe.probes.measurement.InThreadMeasurement;
import io.ctxprobe.probes.measurement.CreateMeasurement;
import io.ctxprobe.probes.measurement.Cases;
import io.ctxprobe.binding.Binding;
import io.ctxprobe.linux.CtxprobeLib;
import io.ctxprobe.probe.Probe;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.CaseResultBuilder;

import java.util.ArrayList;
import java.util.List;

/**
 * thread.create — what creating a thread, letting it run and joining it costs: the bare kernel
 * thread (a raw clone on an mmap'd stack whose child runs two instructions of assembly and
 * SYS_exits, joined through CLONE_CHILD_CLEARTID), glibc's pthread_create + pthread_join, a Java
 * platform thread (Thread.ofPlatform().start(empty).join()) and a Java virtual thread. Unit: µs per
 * create.
 */
public final class ThreadCreateProbe implements Probe {

    public static final String ID = "thread.create";
    private static final String UNIT = "us/create";
    private static final double NS_PER_US = 1000;
    private static final long MAX_OPS = 100_000;
    /** Names the Java threads so a check can tell them from the JVM's own. */
    static final String THREAD_NAME = "ctxp-create";
    private static final Runnable EMPTY = () -> {};

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "create and join a thread: raw clone (asm child), pthread_create, Java platform thread, Java virtual thread";
    }

    @Override
    public List<ParamSpec> parameters() {
        return InThreadMeasurement.PARAMETERS;
    }

    @Override
    public List<CaseResult> run(ProbeContext ctx) {
        List<CaseResult> results = new ArrayList<>();
        double cClock = NativeLoops.clockReadNs();
        results.add(nativeCase(ctx, "clone-raw", CtxprobeLib.CREATE_CLONE_THREAD, cClock,
                "raw clone(CLONE_VM|FS|FILES|SIGHAND|THREAD|SYSVSEM|CHILD_CLEARTID|PARENT_SETTID) on one mmap'd 16 KiB"
                        + " stack; the child increments a word and SYS_exits; futex join on the cleared tid"));
        results.add(nativeCase(ctx, "pthread", CtxprobeLib.CREATE_PTHREAD, cClock,
                "pthread_create (default attributes) of an empty body + pthread_join, from a C loop"));
        Binding clock = ctx.binding();
        results.add(javaCase(ctx, "java-platform", clock, Thread.ofPlatform().name(THREAD_NAME),
                "Thread.ofPlatform().start(empty).join()"));
        results.add(javaCase(ctx, "java-virtual", clock, Thread.ofVirtual().name(THREAD_NAME),
                "Thread.ofVirtual().start(empty).join() (default scheduler; carriers are not pinned)"));
        return results;
    }

    private static CaseResult nativeCase(ProbeContext ctx, String caseId, int kind, double clockNs, String what) {
        return Cases.attempt(ctx, ID, caseId, UNIT, () -> CreateMeasurement.measure(ctx,
                new CaseResultBuilder(ID, caseId, UNIT).param("kind", what).timer("CLOCK_MONOTONIC (C)", clockNs),
                CreateMeasurement.nativeRun("ctxprobe_thread_create_run", (warmup, batches, ops, wall, cpu) ->
                        CtxprobeLib.threadCreateRun(kind, warmup, batches, ops, wall, cpu)),
                4, MAX_OPS, NS_PER_US, true));
    }

    private static CaseResult javaCase(ProbeContext ctx, String caseId, Binding clock, Thread.Builder builder, String what) {
        return Cases.attempt(ctx, ID, caseId, UNIT, () -> CreateMeasurement.measure(ctx,
                new CaseResultBuilder(ID, caseId, UNIT).param("kind", what)
                        .timer("CLOCK_MONOTONIC (" + clock.name() + ")", JavaLoops.clockReadNs(clock)),
                CreateMeasurement.javaRun(clock, () -> builder.start(EMPTY).join()),
                4, MAX_OPS, NS_PER_US, true));
    }
}
