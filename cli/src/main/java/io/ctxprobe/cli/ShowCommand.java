package io.ctxprobe.cli;

import io.ctxprobe.report.Report;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** ctxprobe show REPORT.json: a saved report printed the way run prints it (any schema ReportReader reads). */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Prints a saved report (ctxprobe-report/1 or /2) the way run prints it: the one-screen summary, or"
                + " every case with --details.")
final class ShowCommand implements Callable<Integer> {

    @Parameters(paramLabel = "REPORT", description = "a JSON report written by ctxprobe run")
    String file;

    @Option(names = "--details", description = "every case with its notes and derived figures (run's full table)")
    boolean details;

    @Override
    public Integer call() {
        Report report = CompareOptions.read("", file);
        String whereTo = SummaryView.whereTo("shown from " + file + " (" + report.schema() + ")",
                details ? java.util.List.of() : java.util.List.of(" · every case and note: --details", " (--details)"));
        if (details) {
            System.out.print(Views.details(report));
            System.out.println(whereTo);
        } else {
            System.out.print(SummaryView.render(report, whereTo, Views.ansi(System.out)));
        }
        return ExitCodes.OK;
    }
}
