package io.ctxprobe.cli;

import io.ctxprobe.linux.PrivateDirectory;
import io.ctxprobe.report.JsonReports;
import io.ctxprobe.report.OutputTarget;
import io.ctxprobe.report.Report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;

/**
 * A run's report goes out here exactly once: whichever of the run's end and a signal's shutdown hook
 * comes first writes it, and the other finds it done (both may call at once: the second waits for
 * the first to finish, so the JVM never halts in the middle of a report). When the target cannot
 * take it (a full file system, a directory made read-only mid-run), the data is not lost: it goes to
 * a fresh file in a private directory ({@code ~/.cache/ctxprobe/reports}, else a new temporary one),
 * and stderr says where.
 */
final class ReportSink {

    /** Where the report went: {@code fallback} is null when it reached its target. */
    record Outcome(boolean written, Path fallback) {}

    private final OutputTarget target;
    private Outcome outcome;

    ReportSink(OutputTarget target) {
        this.target = target;
    }

    /**
     * Writes {@code report} unless a report was written already. {@code announce}, when not null,
     * is printed on stderr before "written to ..." (the signal path, where nothing else speaks).
     */
    synchronized Outcome write(Report report, String announce) {
        if (outcome != null) {
            return outcome;
        }
        String json = JsonReports.toJson(report) + System.lineSeparator();
        try {
            target.write(json);
            outcome = new Outcome(true, null);
            if (announce != null) {
                System.err.println("ctxprobe: " + announce + " written to " + target.describe());
            }
        } catch (IOException | RuntimeException e) {
            outcome = new Outcome(true, fallback(json, e));
        }
        return outcome;
    }

    private Path fallback(String json, Exception failure) {
        String why = "ctxprobe: could not write the report to " + target.describe() + " (" + failure.getMessage() + ")";
        try {
            Path file = fallbackDirectory().resolve("ctxprobe-" + Instant.now().toString().replace(':', '-') + "-"
                    + ProcessHandle.current().pid() + ".json");
            OutputTarget.check(file.toString()).write(json);
            System.err.println(why + "; saved it to " + file);
            return file;
        } catch (IOException | RuntimeException e) {
            System.err.println(why + "; the fallback failed too (" + e.getMessage() + "); the report is lost");
            return Path.of("-");
        }
    }

    /** ~/.cache/ctxprobe/reports when it is a private directory of this user, else a fresh temporary one. */
    static Path fallbackDirectory() throws IOException {
        String home = System.getProperty("user.home");
        if (home != null && !home.isBlank() && !home.equals("?")) {
            Path dir = Path.of(home, ".cache", "ctxprobe", "reports");
            if (PrivateDirectory.ensure(dir) == null) {
                return dir;
            }
        }
        return Files.createTempDirectory("ctxprobe-reports-", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
    }
}
