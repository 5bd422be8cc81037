package io.ctxprobe.probes.isolation;

import io.ctxprobe.probes.childjvm.OneCarrierJvm;
import io.ctxprobe.probes.childjvm.BlockingVthreadMain;
import io.ctxprobe.probes.measurement.Cases;
import io.ctxprobe.binding.Binding;
import io.ctxprobe.linux.CtxprobeLib;
import io.ctxprobe.linux.NativeLibrary;
import io.ctxprobe.measure.BatchPlan;
import io.ctxprobe.probe.Cleanup;
import io.ctxprobe.probe.Probe;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.probe.RunOptions;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.CaseResultBuilder;
import io.ctxprobe.measure.Counter;
import io.ctxprobe.report.JsonReports;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * blocking — what one blocking system call does to the other user threads of an M:1 scheduler.
 * Unit: ms, the longest stretch during which none of the other fibers / virtual threads made
 * progress (their longest gap between consecutive progress steps), one sample per run.
 *
 * <ul>
 * <li>{@code fibers/blocking-read}: C fibers on this (the runner) thread; one fiber does a plain
 *     blocking read(2) on a pipe that a feeder pthread fills after D: the thread sleeps in the kernel,
 *     so no other fiber runs for about D.</li>
 * <li>{@code fibers/nonblocking-epoll}: the same, the pipe O_NONBLOCK; on EAGAIN the fiber registers
 *     with an epoll set and yields, and the scheduler polls the set once per cycle: the others keep
 *     running.</li>
 * <li>{@code vthreads/ffm-read}, {@code vthreads/sleep}, {@code vthreads/channel-read}: a child JVM
 *     with one carrier ({@link BlockingVthreadMain}); one virtual thread waits D in a native read
 *     through FFM (holds the carrier), in Thread.sleep or in a java.nio Pipe read (both park and free
 *     it). JFR's jdk.VirtualThreadPinned is recorded and reported per case.</li>
 * </ul>
 * Validation, a fact of each design rather than a timing claim: a wait that holds the thread (or
 * the only carrier) starves the others for at least {@link #STARVED_SHARE} of D in every run; one
 * that yields it keeps the median run's longest stall under {@link #FREE_SHARE} of D (the stall is
 * then one scheduler cycle, far below D, unless the kernel takes the whole thread away).
 */
public final class BlockingProbe implements Probe {

    public static final String ID = "blocking";
    private static final String UNIT = "ms";
    static final long DEFAULT_DELAY_NS = 200_000_000L;
    static final long QUICK_DELAY_NS = 50_000_000L;
    static final int WORKERS = 3;
    /** A blocking wait must starve the others for at least this share of D, in every run. */
    static final double STARVED_SHARE = 0.8;
    /** A wait that frees the thread must keep the median run's longest stall under this share of D. */
    static final double FREE_SHARE = 0.2;
    private static final String THREAD_SOURCE = "getrusage(RUSAGE_THREAD) of the scheduler thread";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "a blocking system call in one user thread: C fibers (blocking read vs O_NONBLOCK + epoll) and one-carrier "
                + "virtual threads (FFM read, sleep, channel read): how long the others stall";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(new ParamSpec("--quick", "D = 50 ms and 3 runs per case (default: D = 200 ms, 5 runs)"),
                new ParamSpec("--batches", "runs per case"),
                new ParamSpec("--cpus", "the one-carrier child JVM pins its carrier to the first CPU given"));
    }

    static long delayNs(RunOptions options) {
        return options.quick() ? QUICK_DELAY_NS : DEFAULT_DELAY_NS;
    }

    static int runs(RunOptions options) {
        return options.batches() != null ? options.batches() : options.quick() ? 3 : 5;
    }

    @Override
    public List<CaseResult> run(ProbeContext ctx) {
        List<CaseResult> results = new ArrayList<>();
        results.add(Cases.attempt(ctx, ID, "fibers/blocking-read", UNIT, () -> fibers(ctx, true)));
        results.add(Cases.attempt(ctx, ID, "fibers/nonblocking-epoll", UNIT, () -> fibers(ctx, false)));
        results.addAll(vthreads(ctx));
        return results;
    }

    // ---- fibers: C, on this thread --------------------------------------------------------------------

    private CaseResult fibers(ProbeContext ctx, boolean blocking) {
        String caseId = blocking ? "fibers/blocking-read" : "fibers/nonblocking-epoll";
        long d = delayNs(ctx.options());
        int runs = runs(ctx.options());
        long started = System.nanoTime();
        long[] stall = new long[runs];
        long steps = 0, elapsed = 0, outside = 0, voluntary = 0, involuntary = 0;
        for (int i = 0; i < runs; i++) {
            CtxprobeLib.BlockingFibersRun r = CtxprobeLib.blockingFibersRun(
                    blocking ? CtxprobeLib.BLOCKING_READ : CtxprobeLib.BLOCKING_EPOLL, WORKERS, d);
            stall[i] = r.longestStallNs();
            steps += r.progressSteps();
            elapsed += r.elapsedNs();
            outside += r.elapsedNs() - r.longestStallNs();
            voluntary += r.voluntarySwitches();
            involuntary += r.involuntarySwitches();
            if (ctx.cleanup().stopped()) throw new IllegalStateException("interrupted after " + (i + 1) + " runs");
        }
        CaseResultBuilder result = new CaseResultBuilder(ID, caseId, UNIT)
                .param("D-ms", d / 1e6)
                .param("workers", WORKERS)
                .param("fibers", WORKERS + 1)
                .param("mode", blocking ? "blocking read(2)" : "O_NONBLOCK read, EAGAIN -> epoll_ctl + yield, epoll_wait(0) per cycle")
                .param("scheduler", "round-robin, cooperative, on the calling thread (hand-written switch)");
        samples(result, stall);
        result.counters(List.of(
                Counter.of("voluntary-switches", "scheduler thread", voluntary, runs, THREAD_SOURCE),
                Counter.of("involuntary-switches", "scheduler thread", involuntary, runs, THREAD_SOURCE)));
        result.note("a feeder pthread writes one byte into the pipe at run start + D (absolute CLOCK_MONOTONIC); "
                + "each worker step reads CLOCK_MONOTONIC, so a stall is the gap between two consecutive steps of any worker");
        result.note(ratioNote(stall, d));
        if (blocking) {
            result.note(String.format("workers' progress outside the stall: %.0f steps/ms (%d steps in %.1f ms of the runs' "
                    + "%.1f ms)", outside > 0 ? steps / (outside / 1e6) : 0.0, steps, outside / 1e6, elapsed / 1e6));
            result.note(String.format("%.1f voluntary switches per run of the scheduler thread: the read put the whole thread "
                    + "to sleep", (double) voluntary / runs));
            starved(result, stall, d, "the blocking read");
        } else {
            result.note(String.format("workers' progress during the runs: %.0f steps/ms (%d steps in %.1f ms), "
                    + "each cycle paying one epoll_wait(timeout 0) system call", steps / (elapsed / 1e6), steps, elapsed / 1e6));
            free(result, stall, d, "the epoll scheduler");
        }
        return result.wallMs((System.nanoTime() - started) / 1e6).build();
    }

    // ---- virtual threads: a child JVM with one carrier -------------------------------------------------

    private List<CaseResult> vthreads(ProbeContext ctx) {
        List<String> ids = BlockingVthreadMain.CASES.stream().map(c -> "vthreads/" + c).toList();
        if (ctx.cleanup().stopped()) {
            return ids.stream().map(id -> CaseResult.failed(ID, id, null, UNIT, "interrupted: not run")).toList();
        }
        long started = System.nanoTime();
        BlockingVthreadMain.Report report;
        long pid;
        try {
            ChildRun child = runChild(ctx);
            report = child.report();
            pid = child.pid();
        } catch (RuntimeException e) {
            String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            return ids.stream().map(id -> CaseResult.failed(ID, id, null, UNIT, message)).toList();
        }
        double wallMs = (System.nanoTime() - started) / 1e6;
        List<CaseResult> out = new ArrayList<>();
        for (BlockingVthreadMain.CaseRun c : report.cases()) {
            out.add(Cases.attempt(ctx, ID, "vthreads/" + c.caseId(), UNIT, () -> vthreadResult(ctx, report, c, pid, wallMs)));
        }
        return out;
    }

    private CaseResult vthreadResult(ProbeContext ctx, BlockingVthreadMain.Report r, BlockingVthreadMain.CaseRun c,
                                     long pid, double wallMs) {
        long d = r.delayNs();
        String wait = switch (c.caseId()) {
            case "ffm-read" -> "read(2) on a pipe through FFM (io.ctxprobe.linux.Unistd.read), fed by a platform thread after D";
            case "sleep" -> "Thread.sleep(D)";
            case "channel-read" -> "java.nio.channels.Pipe source channel read (blocking mode), fed by a platform thread after D";
            default -> c.caseId();
        };
        CaseResultBuilder result = new CaseResultBuilder(ID, "vthreads/" + c.caseId(), UNIT)
                .param("D-ms", d / 1e6)
                .param("workers", r.workers())
                .param("virtual-threads", r.workers() + 1)
                .param("mode", wait)
                .param("scheduler", "parallelism=" + r.parallelism() + ", maxPoolSize=" + r.maxPoolSize() + " (child JVM)")
                .param("cpu", r.pinnedCpu())
                .param("child-pid", pid)
                .param("jfr-pinned-event", c.pinnedEvents() > 0 ? "yes" : "no");
        if (c.pinnedEvents() > 0) {
            result.param("jfr-pinned-max-ms", c.pinnedMaxNs() / 1e6);
        }
        samples(result, c.longestStallNs());
        long steps = Arrays.stream(c.steps()).sum();
        long during = Arrays.stream(c.stepsDuringWait()).sum();
        long waited = Arrays.stream(c.waitNs()).sum();
        result.note("workers loop \"System.nanoTime step, LockSupport.parkNanos(" + BlockingVthreadMain.STEP_PARK_NS / 1000 + " µs)\" (a Thread.yield loop "
                + "starves wake-ups submitted from other threads on this one-carrier ForkJoinPool: the first version hung); a stall is the gap between two consecutive steps of "
                + "any worker; the blocker starts its wait once the workers have stepped");
        result.note(ratioNote(c.longestStallNs(), d));
        result.note(String.format("workers' steps while the blocker waited: %d in %.1f ms (%.0f steps/ms); %d steps in all",
                during, waited / 1e6, during / (waited / 1e6), steps));
        result.note(String.format("JFR %s (threshold 0) over the measured runs: %d event(s)%s", BlockingVthreadMain.PINNED_EVENT,
                c.pinnedEvents(), c.pinnedEvents() > 0
                        ? String.format(", longest %.3f ms%s", c.pinnedMaxNs() / 1e6,
                                c.pinnedTopFrame() != null ? " at " + c.pinnedTopFrame() : "")
                        : ""));
        result.note("the child JVM's main thread pinned itself to CPU " + r.pinnedCpu() + " through the " + r.binding()
                + " binding before any virtual thread existed; the carrier and the feeder inherit that affinity; "
                + "one unmeasured warm-up run per case; the child's start-up is not timed");
        if (c.caseId().equals("ffm-read")) {
            if (c.pinnedEvents() == 0) {
                result.note("no pinned event was recorded: jdk.VirtualThreadPinned fires when a pinned virtual thread parks, and "
                        + "this one did not park: it was blocked in the kernel inside a native (FFM) frame, holding the only carrier");
            }
            starved(result, c.longestStallNs(), d, "the FFM read");
        } else {
            free(result, c.longestStallNs(), d, c.caseId().equals("sleep") ? "Thread.sleep" : "the channel read");
        }
        return result.wallMs(wallMs).build();
    }

    private record ChildRun(BlockingVthreadMain.Report report, long pid) {}

    private ChildRun runChild(ProbeContext ctx) {
        RunOptions options = ctx.options();
        long d = delayNs(options);
        int runs = runs(options);
        // Three cases of (runs + 1 warm-up) waits of D, plus JFR's start, generously.
        long deadlineMs = 60_000 + 10 * 3L * (runs + 1) * d / 1_000_000;
        List<String> args = List.of("--cpu", Integer.toString(ctx.cpus().first()), "--binding", ctx.binding().name(),
                "--workers", Integer.toString(WORKERS), "--delay-ns", Long.toString(d),
                "--reps", Integer.toString(runs), "--deadline-ms", Long.toString(deadlineMs));
        OneCarrierJvm.Outcome<BlockingVthreadMain.Report> child = OneCarrierJvm.run(ctx, ID, BlockingVthreadMain.class,
                args, deadlineMs, BlockingVthreadMain.Report.class);
        return new ChildRun(child.report(), child.pid());
    }

    // ---- shared -----------------------------------------------------------------------------------------

    /** One sample per run, in ms: a "batch" of one operation whose ns are divided by 1e6 units. */
    private static void samples(CaseResultBuilder result, long[] stallNs) {
        result.batches(new BatchPlan(0, stallNs.length, 1), 1e6, stallNs, null);
    }

    private static String ratioNote(long[] stallNs, long d) {
        long[] sorted = stallNs.clone();
        Arrays.sort(sorted);
        return String.format("longest stall / D: median %.3f, min %.3f, max %.3f (D = %.0f ms)",
                sorted[sorted.length / 2] / (double) d, sorted[0] / (double) d, sorted[sorted.length - 1] / (double) d, d / 1e6);
    }

    /** A wait that holds the thread: every run must show the others starved for STARVED_SHARE of D. */
    private static void starved(CaseResultBuilder result, long[] stallNs, long d, String what) {
        long min = Arrays.stream(stallNs).min().orElse(0);
        if (min < STARVED_SHARE * d) {
            result.flag(String.format("%s holds the only thread, so the others should stall >= %.0f%% of D in every run; "
                    + "shortest longest-stall %.2f ms of D = %.0f ms", what, STARVED_SHARE * 100, min / 1e6, d / 1e6));
        }
    }

    /** A wait that frees the thread: the median run's longest stall must stay under FREE_SHARE of D. */
    private static void free(CaseResultBuilder result, long[] stallNs, long d, String what) {
        long[] sorted = stallNs.clone();
        Arrays.sort(sorted);
        long median = sorted[sorted.length / 2];
        result.note(String.format("threshold: %s frees the thread, so the median run's longest stall must be < %.0f%% of D "
                + "(a fact of the design: the stall is about one scheduler cycle, unless the kernel preempts the whole thread)",
                what, FREE_SHARE * 100));
        if (median >= FREE_SHARE * d) {
            result.flag(String.format("%s should keep the others running, but the median longest stall is %.2f ms of D = %.0f ms",
                    what, median / 1e6, d / 1e6));
        }
    }

}
