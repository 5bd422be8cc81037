package io.ctxprobe.cli;

import io.ctxprobe.report.FleetInputs;
import io.ctxprobe.report.OutputTarget;
import io.ctxprobe.report.ReportReader;
import io.ctxprobe.report.format.FleetCsv;
import io.ctxprobe.report.format.FleetReport;
import io.ctxprobe.report.format.FleetView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * ctxprobe fleet REPORT.json|DIR... --html/--md/--csv: the fleet view of reports from many hosts
 * ({@link FleetView}), with the hosts that gave no report (failure records the Ansible playbook
 * writes beside the reports) listed as not measured.
 */
@Command(name = "fleet", mixinStandardHelpOptions = true,
        description = {"Writes the fleet view of reports from many hosts: hosts keyed by host key and grouped by the facts that"
                + " explain differences (kernel, microarchitecture, hypervisor, mitigations, PMU, CPUs), each headline figure as"
                + " a row across hosts with outliers marked and the fact that explains them named, and the hosts that gave no"
                + " report (unreachable, failed, past their deadline)."})
final class FleetCommand implements Callable<Integer> {

    @Parameters(paramLabel = "REPORT|DIR", arity = "1..*",
            description = "JSON reports and ctxprobe-fleet-failure/1 records, or directories of them (every *.json in it)")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--html", paramLabel = "FILE", description = "the fleet page as one self-contained HTML file; '-' for standard output")
    String html;

    @Option(names = "--md", paramLabel = "FILE", description = "the fleet view as Markdown; '-' for standard output")
    String md;

    @Option(names = "--csv", paramLabel = "FILE", description = "one row per host and figure (long format); '-' for standard output")
    String csv;

    @Option(names = "--outlier", paramLabel = "PERCENT", defaultValue = "50%",
            description = "how far from the fleet's median a host's figure must lie to be marked, in percent (default: ${DEFAULT-VALUE})")
    String outlier;

    private record Output(String what, OutputTarget target, Function<FleetView, String> render) {}

    @Override
    public Integer call() {
        Map<String, OutputTarget> all = new LinkedHashMap<>();
        List<Output> outputs = new ArrayList<>();
        add(all, outputs, "--html", html, "HTML", FleetReport::renderHtml);
        add(all, outputs, "--md", md, "Markdown", FleetReport::renderMarkdown);
        add(all, outputs, "--csv", csv, "CSV", FleetCsv::render);
        if (outputs.isEmpty()) throw new UsageException("name at least one output: --html FILE, --md FILE or --csv FILE ('-' for standard output)");
        ReportFileOptions.requireDistinct(all);
        double threshold = threshold();
        FleetInputs in;
        try {
            in = FleetInputs.read(inputs.stream().map(FleetCommand::path).toList());
        } catch (ReportReader.UnreadableReport e) {
            throw new UsageException(e.getMessage());
        }
        FleetView view = FleetView.of(in.reports(), in.failures(), threshold);
        PrintStream console = outputs.stream().anyMatch(o -> o.target().isStdout()) ? System.err : System.out;
        console.println("fleet: " + FleetReport.countsLine(view));
        boolean ok = true;
        for (Output o : outputs) {
            try {
                o.target().write(o.render().apply(view));
                if (!o.target().isStdout()) console.println(o.what() + ": " + o.target().describe());
            } catch (IOException | RuntimeException e) {
                System.err.println("ctxprobe: could not write the fleet " + o.what() + " to " + o.target().describe() + " (" + e.getMessage() + ")");
                ok = false;
            }
        }
        return ok ? ExitCodes.OK : ExitCodes.INTERNAL;
    }

    private static void add(Map<String, OutputTarget> all, List<Output> outputs, String option, String path, String what,
            Function<FleetView, String> render) {
        if (path == null) return;
        OutputTarget target = ReportFileOptions.check(option, path);
        all.put(option, target);
        outputs.add(new Output(what, target, render));
    }

    /** "50%" and "50" are 0.5. */
    private double threshold() {
        String t = outlier.strip();
        String number = t.endsWith("%") ? t.substring(0, t.length() - 1).strip() : t;
        double percent;
        try {
            percent = Double.parseDouble(number);
        } catch (NumberFormatException e) {
            throw new UsageException("--outlier '" + outlier + "' is not a percentage (e.g. 50%)");
        }
        if (!(percent > 0) || percent >= 10000 || Double.isNaN(percent)) {
            throw new UsageException("--outlier must be above 0% and below 10000%, got '" + outlier + "'");
        }
        return percent / 100;
    }

    private static Path path(String s) {
        try {
            return Path.of(s);
        } catch (InvalidPathException e) {
            throw new UsageException("'" + s + "' is not a usable path");
        }
    }
}
