package io.ctxprobe.cli;

import io.ctxprobe.host.HostFacts;
import io.ctxprobe.report.Report;
import io.ctxprobe.report.ReportReader;
import io.ctxprobe.report.compare.Comparison;
import io.ctxprobe.report.compare.ComparisonText;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;

/**
 * --threshold and --cross-host, shared by compare and run --baseline (a picocli mixin), with the
 * checks both make: a readable report of a known schema, and one host unless --cross-host.
 */
final class CompareOptions {

    @Option(names = "--threshold", paramLabel = "PERCENT", defaultValue = "10%",
            description = "how much slower a case may get before it counts, in percent (default: ${DEFAULT-VALUE}); "
                    + "a regression needs the whole 95%% interval of the ratio above 1 + threshold")
    String threshold;

    @Option(names = "--cross-host", description = "compare reports from different hosts (the host differences are listed first)")
    boolean crossHost;

    /** The threshold as a fraction: "10%" and "10" are 0.10. */
    double threshold() {
        String t = threshold.strip();
        String number = t.endsWith("%") ? t.substring(0, t.length() - 1).strip() : t;
        double percent;
        try {
            percent = Double.parseDouble(number);
        } catch (NumberFormatException e) {
            throw new UsageException("--threshold '" + threshold + "' is not a percentage (e.g. 10%)");
        }
        if (!(percent > 0) || percent >= 1000 || Double.isNaN(percent)) {
            throw new UsageException("--threshold must be above 0% and below 1000%, got '" + threshold + "'");
        }
        return percent / 100;
    }

    /** A report to compare, or exit 2 with the reader's one line. */
    static Report read(String option, String file) {
        try {
            return ReportReader.read(Path.of(file));
        } catch (ReportReader.UnreadableReport e) {
            throw new UsageException(option + e.getMessage());
        } catch (java.nio.file.InvalidPathException e) {
            throw new UsageException(option + "'" + file + "' is not a usable path");
        }
    }

    /**
     * A report to compare in the current schema: an older one ({@code /1}) is converted, which stderr
     * says, or refused with exit 2 saying why ({@link ReportReader#toCurrent}).
     */
    static Report readForCompare(String option, String file) {
        Report report = read(option, file);
        if (Report.SCHEMA.equals(report.schema())) return report;
        try {
            Report converted = ReportReader.toCurrent(report, file);
            System.err.println("ctxprobe: " + option + file + " is " + report.schema() + ": converted to " + Report.SCHEMA
                    + " for the comparison (cases, samples and host as saved; no derived figures)");
            return converted;
        } catch (ReportReader.UnreadableReport e) {
            throw new UsageException(option + e.getMessage());
        }
    }

    /** Two hosts are compared only with --cross-host: exit 2 otherwise, naming both. */
    void requireComparableHosts(HostFacts base, HostFacts next) {
        if (!crossHost && !base.hostKey().equals(next.hostKey())) {
            throw new UsageException(String.format(Locale.ROOT,
                    "BASE was measured on another host (%s, key %s) than NEW (%s, key %s); --cross-host compares them anyway",
                    base.hostname(), base.hostKey(), next.hostname(), next.hostKey()));
        }
    }

    Comparison compare(Report base, Report next) {
        return Comparison.of(base, next, threshold());
    }

    static String text(Comparison c, String baseName, String newName) {
        return ComparisonText.text(c, baseName, newName);
    }
}
