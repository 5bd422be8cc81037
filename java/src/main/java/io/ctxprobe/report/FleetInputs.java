package io.ctxprobe.report;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a fleet view is made from: reports, and records of hosts that gave none ({@link FleetFailure}).
 * Each argument is a file, or a directory whose {@code *.json} files are read (sorted by name, not
 * descending), so {@code ctxprobe fleet fleet-reports/} reads what the playbook fetched.
 */
public record FleetInputs(List<Report> reports, List<FleetFailure> failures) {

    public FleetInputs {
        reports = List.copyOf(reports);
        failures = List.copyOf(failures);
    }

    /** Reads every path; the first unusable one is one line naming it and the problem. */
    public static FleetInputs read(List<Path> paths) throws ReportReader.UnreadableReport {
        List<Report> reports = new ArrayList<>();
        List<FleetFailure> failures = new ArrayList<>();
        for (Path p : paths) {
            for (Path file : files(p)) {
                FleetFailure failure = failureOrNull(file);
                if (failure != null) {
                    failures.add(failure);
                } else {
                    reports.add(ReportReader.read(file));
                }
            }
        }
        if (reports.isEmpty() && failures.isEmpty()) throw new ReportReader.UnreadableReport("no report and no failure record given");
        return new FleetInputs(reports, failures);
    }

    private static List<Path> files(Path p) throws ReportReader.UnreadableReport {
        if (!Files.isDirectory(p)) return List.of(p);
        try (Stream<Path> s = Files.list(p)) {
            List<Path> json = s.filter(f -> f.getFileName().toString().endsWith(".json") && Files.isRegularFile(f)).sorted().toList();
            if (json.isEmpty()) throw new ReportReader.UnreadableReport(p + ": a directory with no .json file in it");
            return json;
        } catch (IOException e) {
            throw new ReportReader.UnreadableReport(p + ": cannot be listed (" + e.getMessage() + ")");
        }
    }

    /** The failure record in {@code file}, or null when it is not one (ReportReader then says what it is). */
    private static FleetFailure failureOrNull(Path file) throws ReportReader.UnreadableReport {
        JsonNode root;
        try {
            root = JsonReports.mapper().readTree(file.toFile());
        } catch (IOException e) {
            return null;
        }
        if (root == null || !root.isObject() || !FleetFailure.SCHEMA.equals(root.path("schema").asText())) return null;
        try {
            return JsonReports.mapper().treeToValue(root, FleetFailure.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new ReportReader.UnreadableReport(file + ": not a complete " + FleetFailure.SCHEMA + " record (it needs a host)");
        }
    }
}
