package io.ctxprobe.cli;

import io.ctxprobe.Ctxprobe;
import io.ctxprobe.RunLock;
import io.ctxprobe.RunRequest;
import io.ctxprobe.host.HostFacts;
import io.ctxprobe.linux.LinuxException;
import io.ctxprobe.linux.NativeLibrary;
import io.ctxprobe.probe.Cleanup;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.probe.ProbeRunner;
import io.ctxprobe.probe.RunOptions;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.OutputTarget;
import io.ctxprobe.report.Report;
import io.ctxprobe.report.RunInfo;
import io.ctxprobe.report.RunInterference;
import io.ctxprobe.report.compare.Comparison;
import io.ctxprobe.report.compare.ComparisonText;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * ctxprobe run: validates every input before anything runs (bad input: one line, exit 2, nothing
 * written), takes the host's run lock, runs the chosen probes on the runner thread (a progress line
 * on stderr when it is a terminal), writes the JSON report, then prints the one-screen summary
 * ({@link SummaryView}; {@code --details}: every case). Exit codes: {@link ExitCodes#forRun}. The report is written exactly once, by whichever comes first of the
 * run's end and a signal: Ctrl-C while probes run aborts them and writes a valid partial report; a
 * signal after the last probe still writes the complete one; a write that fails leaves the data at a
 * printed fallback path (exit 1).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Runs probes (all, or the ids/globs given), prints a one-screen summary (--details: every case) and"
                + " writes a JSON report.",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:every case ok, flagged or skipped", "1:a case failed, the run aborted, a report could not be"
                + " written; or a flagged case with --strict", "2:bad input (nothing ran)", "3:a regression against"
                + " --baseline", "130:interrupted (SIGINT; 143: SIGTERM), a partial report written"})
final class RunCommand implements Callable<Integer> {

    @Parameters(paramLabel = "ID", arity = "0..*", description = "probe ids or globs (thread.*, *.switch); default: all")
    List<String> ids = new ArrayList<>();

    @Option(names = "--quick", description = "the quick suite: a few seconds per probe")
    boolean quick;

    @Option(names = "--cpus", paramLabel = "LIST", description = "CPUs the probes may use, e.g. 0-3,8 (default: all allowed to this process)")
    String cpus;

    @Option(names = "--placement", paramLabel = "P",
            description = "same-core, cross-core, smt-sibling, all-pairs (default: all but all-pairs)")
    List<String> placements = new ArrayList<>();

    @Option(names = "--mechanism", paramLabel = "M",
            description = "handoff mechanisms for thread.switch and process.switch: futex, pipe, eventfd, yield (default: all)")
    List<String> mechanisms = new ArrayList<>();

    @Option(names = "--batches", paramLabel = "N", description = "measured batches per case (default: " + RunOptions.DEFAULT_BATCHES
            + ", --quick: " + RunOptions.QUICK_BATCHES + ")")
    Integer batches;

    @Option(names = "--counters", paramLabel = "LIST",
            description = "perf events counted by in-thread probes: catalogue names (context-switches, page-faults, cycles, "
                    + "dTLB-load-misses, ...) or tracepoints category:name (default: task-clock,context-switches,cpu-migrations,"
                    + "page-faults, plus cycles,instructions,dTLB-load-misses where a PMU exists)")
    List<String> counters = new ArrayList<>();

    @Option(names = "--binding", paramLabel = "B", defaultValue = "ffm", description = "ffm (default) or jna: the binding the probes' Java side calls Linux through")
    String bindingName;

    @Option(names = "--json", paramLabel = "FILE", description = "the JSON report's path (default: reports/ctxprobe-<host>-<time>.json);"
            + " '-' for standard output (the table then goes to stderr); a device or FIFO is written through")
    String json;

    @Option(names = "--retry-disturbed", paramLabel = "N", defaultValue = "0",
            description = "re-measure a case flagged \"disturbed\" (its measured threads lost > 10%% of the measured time to "
                    + "other work) up to N times, keeping the first undisturbed measurement; every attempt is in the report "
                    + "(default: ${DEFAULT-VALUE})")
    int retryDisturbed;

    @Mixin
    ReportFileOptions formats;

    @Option(names = "--baseline", paramLabel = "FILE", description = "after the run, compare it with this saved report as"
            + " 'ctxprobe compare' does (exit 3 on a regression); checked before anything runs")
    String baseline;

    @Mixin
    CompareOptions compareOptions;

    @Option(names = "--details", description = "print every case with its notes and derived figures (the full table), "
            + "not the one-screen summary")
    boolean details;

    @Option(names = {"-q", "--quiet"}, description = "no progress line (there is one only when stderr is a terminal)")
    boolean quiet;

    @Option(names = "--strict", description = "exit 1 when a case is flagged, as when one failed")
    boolean strict;

    @Option(names = "--no-lock", description = "measure even while another ctxprobe run holds this host's run lock"
            + " (both runs' figures may then be disturbed)")
    boolean noLock;

    @Option(names = "--lock-wait", paramLabel = "SECONDS", defaultValue = "3600",
            description = "how long to wait for another run's lock before giving up (default: ${DEFAULT-VALUE})")
    long lockWaitSeconds;

    @Override
    public Integer call() throws InterruptedException {
        Request request = validate();
        HostFacts host = Ctxprobe.hostFacts();
        if (request.baseline != null) compareOptions.requireComparableHosts(request.baseline.host(), host);
        OutputTarget target = request.report != null ? request.report : outputTarget("report", defaultReportPath(host));
        // With a report on stdout, everything meant for a person goes to stderr.
        PrintStream console = target.isStdout() || formats.anyStdout() ? System.err : System.out;
        ReportSink sink = new ReportSink(target);
        RunInfo info = Ctxprobe.runInfo(request.run, commandLine());
        ProbeRunner runner = new ProbeRunner(new ProbeContext(request.plan.binding(), host, request.plan.options(), new Cleanup()));

        // Whoever moves the run out of RUNNING first decides what the report is: the run's end (complete)
        // or a signal while probes run (partial, interrupted). A signal after the end writes the complete one.
        AtomicReference<RunState> state = new AtomicReference<>(RunState.RUNNING);
        AtomicReference<Report> complete = new AtomicReference<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!state.compareAndSet(RunState.RUNNING, RunState.STOPPED_BY_SIGNAL)) {
                sink.write(complete.get(), "interrupted after the last probe; report");
                return;
            }
            runner.stop(5_000);
            List<CaseResult> partial = runner.snapshot();
            sink.write(Report.of(info.withInterrupted(true), host, partial),
                    "interrupted; partial report (" + partial.size() + " cases)");
        }, "ctxprobe-interrupt"));

        Progress progress = Progress.start(request.plan.probes(), quiet);
        if (progress != null) {
            System.err.println("ctxprobe: " + host.summary().cpuModel() + ", " + request.plan.options().cpus().size()
                    + " CPUs usable (" + request.plan.options().cpus() + "), binding " + request.plan.binding().name()
                    + (quick ? ", quick suite" : ""));
        }
        List<CaseResult> results;
        try (RunLock _ = lock(console)) {
            results = runner.run(request.plan.probes(), done -> {
                if (progress != null) progress.probeDone(done);
            });
        } finally {
            if (progress != null) progress.close();
        }
        String aborted = runner.aborted();   // the report is marked aborted where the runner could not go on
        RunInterference interference = runner.interference();
        complete.set(Report.of(info.withAborted(aborted), host, results, interference));
        if (!state.compareAndSet(RunState.RUNNING, RunState.FINISHED)) {
            // A signal stopped the probes: its hook writes the partial report, then the JVM halts.
            Thread.currentThread().join();
        }
        Report report = complete.get();
        ReportSink.Outcome written = sink.write(report, null);

        String whereTo = written.fallback() != null ? "report: not at " + target.describe() + " (see above)"
                : SummaryView.whereTo("report: " + target.describe(), details ? List.of() : target.isStdout()
                        ? List.of(" · every case and note: --details")
                        : List.of(" · every case and note: ctxprobe show " + target.describe() + " --details",
                                " · every case and note: --details", " (--details)"));
        if (details) {
            console.print(Views.details(report));
            console.println(whereTo);
        } else {
            console.print(SummaryView.render(report, whereTo, Views.ansi(console)));
        }
        if (aborted != null) System.err.println("ctxprobe: run aborted: " + aborted);
        boolean filesWritten = formats.write(List.of(report), console, written.fallback() != null
                ? written.fallback().toString() : target.isStdout() ? null : target.describe());
        boolean regression = false;
        if (request.baseline != null) {
            Comparison c = compareOptions.compare(request.baseline, report);
            console.println();
            console.print(ComparisonText.text(c, baseline, "this run"));
            regression = !c.regressions().isEmpty();
        }
        // Without the fallback the sink said where the data went instead.
        return ExitCodes.forRun(results, aborted != null, written.fallback() == null && filesWritten, strict, regression);
    }

    private record Request(RunRequest run, Ctxprobe.Plan plan, OutputTarget report, Report baseline) {}

    private enum RunState { RUNNING, FINISHED, STOPPED_BY_SIGNAL }

    /** Every check that can refuse the request, before anything is measured or written. */
    private Request validate() {
        RunRequest run = RunRequest.of(ids.toArray(String[]::new)).quick(quick).cpus(cpus)
                .placements(commaList(placements)).mechanisms(commaList(mechanisms))
                .batches(batches).counters(commaList(counters)).binding(bindingName).retryDisturbed(retryDisturbed);
        Ctxprobe.Plan plan;
        try {
            plan = Ctxprobe.plan(run);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (lockWaitSeconds < 0) throw new UsageException("--lock-wait must be 0 or more seconds, got " + lockWaitSeconds);
        OutputTarget report = json != null ? outputTarget("--json", json) : null;
        formats.validate(report != null ? java.util.Map.of("--json", report) : java.util.Map.of());
        Report base = null;
        if (baseline != null) {
            compareOptions.threshold(); // a bad threshold is exit 2 now, not after the run
            base = CompareOptions.readForCompare("--baseline ", baseline);
        }
        NativeLibrary.lookup(); // a directory the user must fix is exit 2 here, before anything runs
        return new Request(run, plan, report, base);
    }

    /**
     * Comma lists split here, not by picocli, which drops empty items: "--counters ," must reach the
     * checks as two empty names (bad input), not as "no counters" (the defaults).
     */
    private static String[] commaList(List<String> values) {
        return values.stream().flatMap(v -> java.util.Arrays.stream(v.split(",", -1))).toArray(String[]::new);
    }

    /** The host's run lock, unless --no-lock; a lock file this user cannot open is said and skipped. */
    private RunLock lock(PrintStream console) throws InterruptedException {
        if (noLock) {
            console.println("ctxprobe: --no-lock: not serializing with other runs on this host");
            return null;
        }
        try {
            return RunLock.acquire(Duration.ofSeconds(lockWaitSeconds), System.err::println);
        } catch (LinuxException e) {
            System.err.println("ctxprobe: cannot take the run lock (" + e.getMessage() + "); measuring without it");
            return null;
        }
    }

    /** reports/ctxprobe-<hostKey>-<UTC time>-<pid>.json: two runs started in one second get two files. */
    private static String defaultReportPath(HostFacts host) {
        return Path.of("reports", "ctxprobe-" + host.hostKey() + "-"
                + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now())
                + "-" + ProcessHandle.current().pid() + ".json").toString();
    }

    /** The command line as typed, subcommand included (picocli keeps the whole command line). */
    private List<String> commandLine() {
        List<String> out = new ArrayList<>(List.of("ctxprobe"));
        out.addAll(spec == null ? List.of("run") : spec.commandLine().getParseResult().originalArgs());
        return out;
    }

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** An output path checked before anything runs: where nothing could be written, exit 2. */
    private static OutputTarget outputTarget(String option, String path) {
        try {
            return OutputTarget.check(path);
        } catch (IllegalArgumentException e) {
            throw new UsageException(option + " " + e.getMessage());
        }
    }
}
