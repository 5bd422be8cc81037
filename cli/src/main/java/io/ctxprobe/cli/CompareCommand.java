package io.ctxprobe.cli;

import io.ctxprobe.report.OutputTarget;
import io.ctxprobe.report.Report;
import io.ctxprobe.report.compare.Comparison;
import io.ctxprobe.report.compare.ComparisonHtml;
import io.ctxprobe.report.compare.ComparisonText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * ctxprobe compare BASE NEW: case by case, the medians, the cost ratio and its bootstrap interval
 * from the raw batch samples; exit 3 when a case is slower beyond the threshold with 95% confidence.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Compares two reports case by case: medians, ratio, and a bootstrap 95%% interval of the ratio from the"
                + " raw batch samples. Exit 3 when a case is slower than BASE by more than the threshold with confidence"
                + " (the whole interval above 1 + threshold); 0 otherwise; 2 on unreadable, truncated or incompatible input."})
final class CompareCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "BASE", description = "the report to compare against (the baseline)")
    String base;

    @Parameters(index = "1", paramLabel = "NEW", description = "the report to judge")
    String next;

    @Mixin
    CompareOptions options;

    @Option(names = "--md", paramLabel = "FILE", description = "also write the comparison as Markdown; '-' for standard output")
    String md;

    @Option(names = "--html", paramLabel = "FILE", description = "also write the comparison as a self-contained HTML page; '-' for standard output")
    String html;

    @Override
    public Integer call() {
        double threshold = options.threshold(); // bad input first: exit 2 before anything is read or written
        Map<String, OutputTarget> outputs = new LinkedHashMap<>();
        if (md != null) outputs.put("--md", ReportFileOptions.check("--md", md));
        if (html != null) outputs.put("--html", ReportFileOptions.check("--html", html));
        ReportFileOptions.requireDistinct(outputs);
        Report b = CompareOptions.readForCompare("BASE ", base);
        Report n = CompareOptions.readForCompare("NEW ", next);
        options.requireComparableHosts(b.host(), n.host());
        Comparison c = Comparison.of(b, n, threshold);
        PrintStream console = outputs.values().stream().anyMatch(OutputTarget::isStdout) ? System.err : System.out;
        console.print(ComparisonText.text(c, base, next));
        boolean written = true;
        for (var e : outputs.entrySet()) {
            String text = e.getKey().equals("--md") ? ComparisonText.markdown(c, base, next) : ComparisonHtml.render(c, base, next);
            try {
                e.getValue().write(text);
                if (!e.getValue().isStdout()) console.println(e.getKey().substring(2) + ": " + e.getValue().describe());
            } catch (IOException | RuntimeException x) {
                System.err.println("ctxprobe: could not write " + e.getValue().describe() + " (" + x.getMessage() + ")");
                written = false;
            }
        }
        if (!c.regressions().isEmpty()) return ExitCodes.REGRESSION;
        return written ? ExitCodes.OK : ExitCodes.INTERNAL;
    }
}
