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
 * /proc/stat is read at the run's start and end for the run-level steal figure ({@link #interference}).
 */
public final class ProbeRunner {

    private final ProbeContext ctx;
    private final List<CaseResult> results = new ArrayList<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private volatile Thread thread;
    private volatile Optional<CpuTimes> cpuAtStart = Optional.empty();
    private volatile Optional<CpuTimes> cpuAtEnd = Optional.empty();

    public ProbeRunner(ProbeContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Runs {@code probes} and returns every result. {@code onProbeDone} sees each probe's results as it
     * finishes (for progress output). An internal error in a probe becomes a {@code failed} result.
     */
    public List<CaseResult> run(List<Probe> probes, Consumer<List<CaseResult>> onProbeDone) throws InterruptedException {
        Thread runner = Thread.ofPlatform().name("ctxprobe-runner").unstarted(() -> {
            for (Probe probe : probes) {
                if (stopping.get()) break;
                List<CaseResult> done = runOne(probe);
                synchronized (results) {
                    results.addAll(done);
                }
                if (!stopping.get()) onProbeDone.accept(done);
            }
        });
        thread = runner;
        cpuAtStart = CpuTimes.read();
        runner.start();
        runner.join();
        cpuAtEnd = CpuTimes.read();
        return snapshot();
    }

    /** The run's steal (from /proc/stat at start and end) and its disturbed-case count, over the results so far. */
    public RunInterference interference() {
        Optional<CpuTimes> end = cpuAtEnd.isPresent() ? cpuAtEnd : CpuTimes.read();
        return RunInterference.of(cpuAtStart, end, snapshot());
    }

    private List<CaseResult> runOne(Probe probe) {
        String unavailable = probe.unavailableReason(ctx);
        if (unavailable != null) {
            return List.of(CaseResult.skipped(probe.id(), "*", null, "-", unavailable));
        }
        try {
            return probe.run(ctx);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of(CaseResult.failed(probe.id(), "*", null, "-", "interrupted"));
        } catch (RuntimeException | LinkageError e) {
            String message = e.getMessage() != null ? e.getMessage() : e.getClass().getName();
            return List.of(CaseResult.failed(probe.id(), "*", null, "-", message));
        }
    }

    /** Results so far, safe to call from another thread (the Ctrl-C hook). */
    public List<CaseResult> snapshot() {
        synchronized (results) {
            return List.copyOf(results);
        }
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
    }
}
