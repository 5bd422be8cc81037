package io.ctxprobe.cli;

import io.ctxprobe.report.Report;
import io.ctxprobe.report.format.ReportView;
import picocli.CommandLine.Help.Ansi;

import java.io.PrintStream;

/** What run and show print: the full view ({@code --details}) and the colour decision for the summary. */
final class Views {

    private Views() {}

    /** Every case with its notes and derived figures, the matrices, the interference line and the ladder. */
    static String details(Report report) {
        StringBuilder out = new StringBuilder();
        out.append(ReportView.runLine(report.run())).append(System.lineSeparator())
                .append("host: ").append(report.host().hostname()).append(" · ").append(ReportView.hostLine(report.host()))
                .append(System.lineSeparator()).append(System.lineSeparator());
        out.append(ResultTable.render(report.results()));
        if (report.interference() != null) out.append(report.interference().describe()).append(System.lineSeparator());
        out.append(MatrixView.render(report.results()));
        out.append(LadderView.render(ReportView.ladder(report)));
        return out.toString();
    }

    /**
     * Colour only on a terminal: picocli's {@code Ansi.AUTO} (which also honours its own settings) when
     * {@code console} writes to a terminal, plain text otherwise (a pipe, a file, a test's buffer).
     */
    static Ansi ansi(PrintStream console) {
        boolean terminal = console == System.err ? Progress.stderrIsTerminal() : Progress.stdoutIsTerminal();
        return terminal ? Ansi.AUTO : Ansi.OFF;
    }
}
