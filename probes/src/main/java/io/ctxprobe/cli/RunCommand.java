package io.ctxprobe.cli;

import io.ctxprobe.BuildInfo;
import io.ctxprobe.binding.Binding;
import io.ctxprobe.host.HostFacts;
import io.ctxprobe.linux.CpuSet;
import io.ctxprobe.probe.Cleanup;
import io.ctxprobe.probe.Placement;
import io.ctxprobe.probe.Probe;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.probe.ProbeRunner;
import io.ctxprobe.probe.RunOptions;
import io.ctxprobe.probes.switching.Mechanism;
import io.ctxprobe.probes.ProbeRegistry;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.CostLadder;
import io.ctxprobe.report.JsonReports;
import io.ctxprobe.report.Report;
import io.ctxprobe.report.RunInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * ctxprobe run: validates every input before anything runs (bad input: one line, exit 2, nothing
 * written), runs the chosen probes on the runner thread, prints the table and writes the JSON report
 * atomically. Ctrl-C aborts what is running and still writes a valid, partial report.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Runs probes (all, or the ids/globs given), prints a table and writes a JSON report.")
final class RunCommand implements Callable<Integer> {

    @Parameters(paramLabel = "ID", arity = "0..*", description = "probe ids or globs (thread.*, *.switch); default: all")
    List<String> ids = new ArrayList<>();

    @Option(names = "--quick", description = "the quick suite: a few seconds per probe")
    boolean quick;

    @Option(names = "--cpus", paramLabel = "LIST", description = "CPUs the probes may use, e.g. 0-3,8 (default: all allowed to this process)")
    String cpus;

    @Option(names = "--placement", paramLabel = "P", split = ",",
            description = "same-core, cross-core, smt-sibling, all-pairs (default: all but all-pairs)")
    List<String> placements = new ArrayList<>();

    @Option(names = "--mechanism", paramLabel = "M", split = ",",
            description = "handoff mechanisms for thread.switch and process.switch: futex, pipe, eventfd, yield (default: all)")
    List<String> mechanisms = new ArrayList<>();

    @Option(names = "--batches", paramLabel = "N", description = "measured batches per case (default: " + RunOptions.DEFAULT_BATCHES
            + ", --quick: " + RunOptions.QUICK_BATCHES + ")")
    Integer batches;

    @Option(names = "--counters", paramLabel = "LIST", split = ",",
            description = "perf events counted by in-thread probes: catalogue names (context-switches, page-faults, cycles, "
                    + "dTLB-load-misses, ...) or tracepoints category:name (default: task-clock,context-switches,cpu-migrations,"
                    + "page-faults, plus cycles,instructions,dTLB-load-misses where a PMU exists)")
    List<String> counters = new ArrayList<>();

    @Option(names = "--binding", paramLabel = "B", defaultValue = "ffm", description = "ffm (default) or jna: the binding the probes' Java side calls Linux through")
    String bindingName;

    @Option(names = "--json", paramLabel = "FILE", description = "the JSON report's path (default: reports/ctxprobe-<host>-<time>.json)")
    Path json;

    @Override
    public Integer call() throws InterruptedException {
        Request request = validate();
        HostFacts host = Hosts.collect();
        Cleanup cleanup = new Cleanup();
        ProbeContext ctx = new ProbeContext(request.binding, host, request.options, cleanup);
        RunInfo info = runInfo(request);
        Path reportPath = json != null ? json : Path.of("reports", "ctxprobe-" + host.hostKey() + "-"
                + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now()) + ".json");

        ProbeRunner runner = new ProbeRunner(ctx);
        AtomicBoolean finished = new AtomicBoolean();
        Thread onCtrlC = new Thread(() -> {
            if (finished.get()) return;
            runner.stop(5_000);
            List<CaseResult> partial = runner.snapshot();
            writeReport(reportPath, Report.of(info.withInterrupted(true), host, partial));
            System.err.println("ctxprobe: interrupted; partial report (" + partial.size() + " cases) written to " + reportPath);
        }, "ctxprobe-interrupt");
        Runtime.getRuntime().addShutdownHook(onCtrlC);

        System.out.println("ctxprobe: " + host.summary().cpuModel() + ", " + request.options.cpus().size()
                + " CPUs usable (" + request.options.cpus() + "), binding " + request.binding.name()
                + (quick ? ", quick suite" : ""));
        List<CaseResult> results = runner.run(request.probes, done -> {
            System.out.print(ResultTable.progress(done));
            System.out.flush();
        });
        try {
            Runtime.getRuntime().removeShutdownHook(onCtrlC);
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C: the hook owns the partial report and the exit; the JVM halts once it is done.
            Thread.currentThread().join();
        }
        finished.set(true);

        System.out.println();
        System.out.print(ResultTable.render(results));
        System.out.print(MatrixView.render(results));
        System.out.print(LadderView.render(CostLadder.of(results)));
        writeReport(reportPath, Report.of(info, host, results));
        System.out.println("report: " + reportPath);
        return ExitCodes.OK;
    }

    private record Request(List<Probe> probes, Binding binding, RunOptions options) {}

    /** Every check that can refuse the request, before anything is measured or written. */
    private Request validate() {
        List<Probe> probes;
        try {
            probes = ProbeRegistry.select(ids);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        Binding binding;
        try {
            binding = Binding.named(bindingName);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        CpuSet allowed = binding.getAffinity(0);
        CpuSet chosen = allowed;
        if (cpus != null) {
            try {
                chosen = CpuSet.parse(cpus);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--cpus '" + cpus + "': " + e.getMessage());
            }
            List<Integer> refused = chosen.cpus().stream().filter(c -> !allowed.contains(c)).toList();
            if (!refused.isEmpty()) {
                throw new UsageException("--cpus names CPU " + CpuSet.of(refused) + ", not allowed to this process (allowed: " + allowed + ")");
            }
            if (chosen.isEmpty()) throw new UsageException("--cpus '" + cpus + "' names no CPU");
        }
        Set<Placement> chosenPlacements = EnumSet.noneOf(Placement.class);
        for (String p : placements) {
            try {
                chosenPlacements.add(Placement.parse(p));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--placement: " + e.getMessage());
            }
        }
        for (String m : mechanisms) {
            if (!Mechanism.switchLabels().contains(m)) {
                throw new UsageException("--mechanism: unknown mechanism '" + m + "': expected one of " + String.join(", ", Mechanism.switchLabels()));
            }
        }
        for (String c : counters) {
            try {
                io.ctxprobe.perf.PerfEventSpec.parse(c);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--counters: " + e.getMessage());
            }
        }
        if (batches != null && batches <= 0) throw new UsageException("--batches must be a positive count, got " + batches);
        if (json != null) {
            if (Files.isDirectory(json)) throw new UsageException("--json " + json + " is a directory; name a file");
            Path parent = json.toAbsolutePath().getParent();
            if (parent != null && Files.exists(parent) && !Files.isWritable(parent)) {
                throw new UsageException("--json " + json + ": directory " + parent + " is not writable");
            }
        }
        return new Request(probes, binding, new RunOptions(chosen, chosenPlacements, mechanisms, quick, batches, counters));
    }

    private RunInfo runInfo(Request request) {
        BuildInfo build = BuildInfo.load();
        var runtime = ManagementFactory.getRuntimeMXBean();
        List<String> commandLine = new ArrayList<>();
        commandLine.add("ctxprobe");
        commandLine.addAll(rawArgs());
        return new RunInfo(build.version(), build.commit(), Instant.now().toString(), commandLine,
                new RunInfo.Jvm(runtime.getVmName(), runtime.getVmVendor(), Runtime.version().toString(),
                        runtime.getInputArguments()),
                request.binding.name(), quick, false);
    }

    /** The arguments as typed, subcommand included (picocli keeps the whole command line). */
    private List<String> rawArgs() {
        return spec == null ? List.of("run") : spec.commandLine().getParseResult().originalArgs();
    }

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private static void writeReport(Path path, Report report) {
        try {
            JsonReports.write(path, report);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write report " + path + ": " + e.getMessage(), e);
        }
    }
}
