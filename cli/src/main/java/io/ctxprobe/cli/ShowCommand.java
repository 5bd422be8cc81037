package io.ctxprobe.cli;

import io.ctxprobe.report.Report;
import io.ctxprobe.report.format.ReportView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** ctxprobe show REPORT.json: a saved report printed the way run prints it. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Prints a saved report (ctxprobe-report/1 or /2) the way run prints it.")
final class ShowCommand implements Callable<Integer> {

    @Parameters(paramLabel = "REPORT", description = "a JSON report written by ctxprobe run")
    String file;

    @Option(names = "--details", description = "every case with its notes (run's full table)")
    boolean details;

    @Override
    public Integer call() {
        Report report = CompareOptions.read("", file);
        StringBuilder out = new StringBuilder();
        out.append("ctxprobe report ").append(file).append(System.lineSeparator())
                .append("  host: ").append(report.host().hostname()).append(" · ").append(ReportView.hostLine(report.host()))
                .append(System.lineSeparator()).append("  run:  ").append(ReportView.runLine(report.run()))
                .append(System.lineSeparator()).append(System.lineSeparator());
        // The renderers run uses (today run always prints the full table; --details keeps it when run's
        // default becomes the one-screen summary).
        out.append(ResultTable.render(report.results()));
        out.append(MatrixView.render(report.results()));
        out.append(LadderView.render(ReportView.ladder(report)));
        System.out.print(out);
        return ExitCodes.OK;
    }
}
