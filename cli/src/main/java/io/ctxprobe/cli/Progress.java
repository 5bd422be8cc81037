package io.ctxprobe.cli;

import io.ctxprobe.linux.Unistd;
import io.ctxprobe.probe.Probe;
import io.ctxprobe.report.CaseResult;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The run's progress line on a terminal: "[n/N] probe case  elapsed  ETA", rewritten in place on
 * stderr (never stdout, which may be a pipe or hold a report), ticking once a second while a probe
 * runs. n counts finished probes; the case is the last one the probe reported; the ETA is the mean
 * time per finished probe times the probes left (so it is absent until one finished). Nothing at all
 * when stderr is not a terminal or with --quiet: logs and CI get the summary only.
 */
final class Progress implements AutoCloseable {

    private final PrintStream out;
    private final List<Probe> probes;
    private final long startNs = System.nanoTime();
    private final ScheduledExecutorService ticker;
    private int done;
    private String last = "";
    private int shownWidth;

    private Progress(PrintStream out, List<Probe> probes) {
        this.out = out;
        this.probes = List.copyOf(probes);
        this.ticker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("ctxprobe-progress").factory());
        ticker.scheduleAtFixedRate(this::show, 0, 1, TimeUnit.SECONDS);
    }

    /** A progress line on stderr when it is a terminal and not {@code quiet}; otherwise one that prints nothing. */
    static Progress start(List<Probe> probes, boolean quiet) {
        return !quiet && stderrIsTerminal() ? new Progress(System.err, probes) : null;
    }

    /** Whether fd 2 is a terminal (and System.err still writes to it: tests replace it). */
    static boolean stderrIsTerminal() {
        return Unistd.isatty(2);
    }

    /** Whether fd 1 is a terminal: colour in the summary only then. */
    static boolean stdoutIsTerminal() {
        return Unistd.isatty(1);
    }

    /** A probe finished with these cases. */
    synchronized void probeDone(List<CaseResult> cases) {
        done++;
        if (!cases.isEmpty()) {
            CaseResult c = cases.getLast();
            last = c.probe() + " " + c.caseId();
        }
        show();
    }

    private synchronized void show() {
        long elapsedNs = System.nanoTime() - startNs;
        String running = done < probes.size() ? "running " + probes.get(done).id() : "done";
        String line = line(done, probes.size(), last.isEmpty() ? running : last + " · " + running, elapsedNs);
        out.print("\r" + line + " ".repeat(Math.max(0, shownWidth - line.length())));
        out.flush();
        shownWidth = line.length();
    }

    /** Pure: "[3/18] fiber.switch migrate · running footprint  0:42  ETA 3:10" (no ETA before the first probe ends). */
    static String line(int done, int total, String what, long elapsedNs) {
        String eta = done == 0 ? "" : "  ETA " + clock(elapsedNs / done * (total - done));
        String text = String.format(Locale.ROOT, "[%d/%d] %s  %s%s", done, total, what, clock(elapsedNs), eta);
        return text.length() > 119 ? text.substring(0, 118) + "…" : text;
    }

    /** m:ss, or h:mm:ss from an hour. */
    static String clock(long ns) {
        long s = ns / 1_000_000_000L;
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    /** Stops ticking and clears the line, so the summary starts on a clean one. */
    @Override
    public synchronized void close() {
        ticker.shutdownNow();
        out.print("\r" + " ".repeat(shownWidth) + "\r");
        out.flush();
    }
}
