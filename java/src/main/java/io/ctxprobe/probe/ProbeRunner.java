package io.ctxprobe.probe;

import io.ctxprobe.measure.CpuTimes;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.RunInterference;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Runs probes one after another on one long-lived platform thread, "ctxprobe-runner": probes pin it,
 * and children a probe creates tie their death signal to it (PR_SET_PDEATHSIG follows the creating
 * thread, so a pool thread retiring must not be what they hang on). Results are collected as they
 * arrive, so a run cut short (deadline, Ctrl-C) still has every finished case for its report.
 *
 * <p>Any Throwable a probe throws — an {@code OutOfMemoryError: unable to create native thread} under
 * a low RLIMIT_NPROC as much as a bug — becomes that probe's {@code failed} result with the reason,
 * and the run goes on with the next probe. Only when the runner itself cannot go on (a Throwable
 * outside any probe, e.g. while recording a result) does the run end early; {@link #aborted()} then
 * says why, and callers mark the report aborted and exit non-zero.
 *
 * <p>Temporary files: a run starts by sweeping the run directories that dead runs left in
 * {@code java.io.tmpdir}, and removes its own ({@link Cleanup#tempDir()}) when it ends or is stopped.
 *
 * /proc/stat is read at the run's start and end for the run-level steal figure ({@link #interference}).
 */
public final class ProbeRunner {

    private final ProbeContext ctx;
    private final List<CaseResult> results = new ArrayList<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private volatile Thread thread;
    private volatile boolean ranToEnd;
    private volatile String aborted;
    private volatile Optional<CpuTimes> cpuAtStart = Optional.empty();
    private volatile Optional<CpuTimes> cpuAtEnd = Optional.empty();

    public ProbeRunner(ProbeContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Runs {@code probes} and returns every result. {@code onProbeDone} sees each probe's results as it
     * finishes (for progress output). Any Throwable in a probe becomes a {@code failed} result.
     */
    public List<CaseResult> run(List<Probe> probes, Consumer<List<CaseResult>> onProbeDone) throws InterruptedException {
        Cleanup.sweepStaleTempDirs();
        Thread runner = Thread.ofPlatform().name("ctxprobe-runner").unstarted(() -> {
            try {
                for (Probe probe : probes) {
                    if (stopping.get()) return;
                    List<CaseResult> done = runOne(probe);
                    synchronized (results) {
                        results.addAll(done);
                    }
                    if (!stopping.get()) onProbeDone.accept(done);
                }
                ranToEnd = true;
            } catch (Throwable t) {
                aborted = "the runner could not continue after " + snapshot().size() + " cases: " + describe(t);
            }
        });
        thread = runner;
        cpuAtStart = CpuTimes.read();
        runner.start();
        try {
            runner.join();
        } finally {
            if (!runner.isAlive()) ctx.cleanup().removeTempDir();   // else stop() removes it once the runner is out
        }
        cpuAtEnd = CpuTimes.read();
        if (!ranToEnd && !stopping.get() && aborted == null) {
            aborted = "the runner thread ended before the last probe";   // even the catch above failed
        }
        return snapshot();
    }

    /** The run's steal (from /proc/stat at start and end) and its disturbed-case count, over the results so far. */
    public RunInterference interference() {
        Optional<CpuTimes> end = cpuAtEnd.isPresent() ? cpuAtEnd : CpuTimes.read();
        return RunInterference.of(cpuAtStart, end, snapshot());
    }

    private List<CaseResult> runOne(Probe probe) {
        try {
            String unavailable = probe.unavailableReason(ctx);
            if (unavailable != null) {
                return List.of(CaseResult.skipped(probe.id(), "*", null, "-", unavailable));
            }
            return probe.run(ctx);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of(CaseResult.failed(probe.id(), "*", null, "-", "interrupted"));
        } catch (Throwable t) {
            return List.of(CaseResult.failed(probe.id(), "*", null, "-", describe(t)));
        }
    }

    /**
     * The reason a failed result carries: an exception's message as it is (probes word theirs for
     * people); an Error's class and message, since "unable to create native thread" alone does not
     * say that the JVM ran out of something.
     */
    public static String describe(Throwable t) {
        String message = t.getMessage();
        if (t instanceof Exception && message != null) return message;
        return message != null ? t.getClass().getSimpleName() + ": " + message : t.getClass().getName();
    }

    /** Results so far, safe to call from another thread (the Ctrl-C hook). */
    public List<CaseResult> snapshot() {
        synchronized (results) {
            return List.copyOf(results);
        }
    }

    /** Why the run ended before its last probe without being stopped; null when it was not aborted. */
    public String aborted() {
        return aborted;
    }

    /**
     * Stops the run: no further probe starts, everything registered with the cleanup is aborted, and
     * the runner thread gets up to {@code waitMs} to return.
     */
    public void stop(long waitMs) {
        stopping.set(true);
        ctx.cleanup().abortAll();
        Thread t = thread;
        if (t != null) {
            try {
                t.join(waitMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        ctx.cleanup().removeTempDir();   // after the join: the probes' children are killed and reaped by now
    }
}
