package io.ctxprobe.cli;

import io.ctxprobe.report.JsonReports;
import io.ctxprobe.report.OutputTarget;
import io.ctxprobe.report.Report;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * ctxprobe report REPORT.json... --csv/--md/--html/--json: the file formats from saved reports.
 * Several reports give one CSV (host key and start time tell the rows apart) and one Markdown or
 * HTML page that sets them side by side, host by host or run by run.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Writes CSV, Markdown or HTML from saved JSON reports. Several reports make one page comparing them"
                + " side by side (host by host, or run by run) and one CSV with a row per case of each."})
final class ReportCommand implements Callable<Integer> {

    @Parameters(paramLabel = "REPORT", arity = "1..*", description = "JSON reports written by ctxprobe run")
    List<String> files = new ArrayList<>();

    @Mixin
    ReportFileOptions formats;

    @Option(names = "--json", paramLabel = "FILE", description = "rewrite one report as JSON in this version's schema; '-' for standard output")
    String json;

    @Override
    public Integer call() {
        Map<String, OutputTarget> others = new LinkedHashMap<>();
        if (json != null) {
            if (files.size() != 1) throw new UsageException("--json rewrites one report; " + files.size() + " were given");
            others.put("--json", ReportFileOptions.check("--json", json));
        }
        formats.validate(others);
        if (json == null && !formats.any()) {
            throw new UsageException("name at least one output: --csv FILE, --md FILE, --html FILE or --json FILE ('-' for standard output)");
        }
        List<Report> reports = new ArrayList<>();
        for (String f : files) reports.add(CompareOptions.read("", f));
        boolean stdout = formats.anyStdout() || (json != null && others.get("--json").isStdout());
        PrintStream console = stdout ? System.err : System.out;
        boolean ok = true;
        if (json != null) {
            try {
                JsonReports.write(others.get("--json"), reports.getFirst());
                if (!others.get("--json").isStdout()) console.println("JSON: " + others.get("--json").describe());
            } catch (IOException | RuntimeException e) {
                System.err.println("ctxprobe: could not write " + others.get("--json").describe() + " (" + e.getMessage() + ")");
                ok = false;
            }
        }
        ok &= formats.write(reports, console, null);
        return ok ? ExitCodes.OK : ExitCodes.INTERNAL;
    }
}
