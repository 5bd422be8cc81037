package io.ctxprobe.cli;

import io.ctxprobe.report.OutputTarget;
import io.ctxprobe.report.Report;
import io.ctxprobe.report.format.CsvReport;
import io.ctxprobe.report.format.HtmlReport;
import io.ctxprobe.report.format.MarkdownReport;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * --csv, --md and --html, shared by run and report (a picocli mixin). Every path is checked by
 * {@link OutputTarget} before anything runs; at most one output of a command may be '-' (standard
 * output), and two outputs may not name the same file.
 */
final class ReportFileOptions {

    @Option(names = "--csv", paramLabel = "FILE", description = "also write a CSV file: one row per case, flat columns; '-' for standard output")
    String csv;

    @Option(names = "--md", paramLabel = "FILE", description = "also write a Markdown report (reads well as a pull-request comment); '-' for standard output")
    String md;

    @Option(names = "--html", paramLabel = "FILE", description = "also write a self-contained HTML report with charts; '-' for standard output")
    String html;

    /** A format this command writes: its name, where, and how a list of reports becomes its text. */
    private record Output(String what, OutputTarget target, Function<List<Report>, String> render) {}

    private final List<Output> outputs = new ArrayList<>();

    boolean any() {
        return csv != null || md != null || html != null;
    }

    /**
     * Checks every path (exit 2 on the first bad one); {@code others} are the command's other outputs
     * (option name to target, e.g. "--json"), counted for the one-stdout and same-file rules.
     */
    void validate(Map<String, OutputTarget> others) {
        outputs.clear();
        Map<String, OutputTarget> all = new LinkedHashMap<>(others);
        add(all, "--csv", csv, "CSV", CsvReport::render);
        add(all, "--md", md, "Markdown", MarkdownReport::render);
        add(all, "--html", html, "HTML", HtmlReport::render);
        requireDistinct(all);
    }

    private void add(Map<String, OutputTarget> all, String option, String path, String what, Function<List<Report>, String> render) {
        if (path == null) return;
        OutputTarget target = check(option, path);
        all.put(option, target);
        outputs.add(new Output(what, target, render));
    }

    /** True when one of these outputs goes to standard output (the console then uses stderr). */
    boolean anyStdout() {
        return outputs.stream().anyMatch(o -> o.target().isStdout());
    }

    /**
     * Writes every requested format; a failure is one line on stderr naming the file and how to
     * make it again from the JSON, and the result is false (exit 1).
     */
    boolean write(List<Report> reports, PrintStream console, String jsonForRetry) {
        boolean ok = true;
        for (Output o : outputs) {
            try {
                o.target().write(o.render().apply(reports));
                if (!o.target().isStdout()) console.println(o.what() + ": " + o.target().describe());
            } catch (IOException | RuntimeException e) {
                System.err.println("ctxprobe: could not write the " + o.what() + " report to " + o.target().describe()
                        + " (" + e.getMessage() + ")" + (jsonForRetry == null ? ""
                        : "; 'ctxprobe report " + jsonForRetry + "' makes it again from the JSON report"));
                ok = false;
            }
        }
        return ok;
    }

    /** An output path checked before anything runs: where nothing could be written, exit 2. */
    static OutputTarget check(String option, String path) {
        try {
            return OutputTarget.check(path);
        } catch (IllegalArgumentException e) {
            throw new UsageException(option + " " + e.getMessage());
        }
    }

    /** At most one '-', and no file named by two options. */
    static void requireDistinct(Map<String, OutputTarget> all) {
        List<String> stdout = all.entrySet().stream().filter(e -> e.getValue().isStdout()).map(Map.Entry::getKey).toList();
        if (stdout.size() > 1) {
            throw new UsageException(String.join(" and ", stdout) + " both name '-': only one output can go to standard output");
        }
        Map<Path, String> seen = new LinkedHashMap<>();
        for (var e : all.entrySet()) {
            if (e.getValue().isStdout()) continue;
            Path p = Path.of(e.getValue().describe()).toAbsolutePath().normalize();
            String before = seen.putIfAbsent(p, e.getKey());
            if (before != null && !p.startsWith("/dev")) {
                throw new UsageException(before + " and " + e.getKey() + " name the same file '" + e.getValue().describe() + "'");
            }
        }
    }
}
