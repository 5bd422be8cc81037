package io.ctxprobe.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads saved reports for show, report and compare, telling apart what can go wrong with one line
 * each: the file cannot be read, it is cut short (a run killed while writing elsewhere, a copy
 * interrupted), it is not JSON, it is JSON but not a ctxprobe report, or a report of a schema this
 * version does not read. {@code ctxprobe-report/1} and {@code /2} are read ({@code /2} adds typed
 * sections; what this version does not know it ignores).
 */
public final class ReportReader {

    /** The schemas this version reads, oldest first. */
    public static final List<String> READABLE = List.of("ctxprobe-report/1", "ctxprobe-report/2");

    /** A report that cannot be used: the message is one line naming the file and the problem. */
    public static final class UnreadableReport extends Exception {
        public UnreadableReport(String message) {
            super(message);
        }
    }

    private ReportReader() {}

    /**
     * A report of an older schema as the current one, for tools that need the current model (compare):
     * a {@code /1} report keeps its host, cases, batch samples and notes as they are, gets the ladder
     * recomputed from its cases where it had none, and has no derived figures (its derived numbers are
     * in its notes; its fake "derived" cases keep their param and are skipped by compare). Refused
     * (the message says why) where nothing in it could be compared: no case has batch samples.
     */
    public static Report toCurrent(Report report, String name) throws UnreadableReport {
        if (Report.SCHEMA.equals(report.schema())) return report;
        boolean anySamples = report.results().stream().anyMatch(r -> r.samples() != null && !r.samples().isEmpty());
        if (!anySamples) {
            throw new UnreadableReport(name + ": a " + report.schema() + " report without batch samples: nothing in it can be"
                    + " compared with confidence; re-run it with this ctxprobe");
        }
        return new Report(Report.SCHEMA, report.run(), report.host(), report.results(), report.interference(),
                report.ladder() != null ? report.ladder() : CostLadder.of(report.results()));
    }

    public static Report read(Path file) throws UnreadableReport {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new UnreadableReport(file + ": no such file");
        } catch (IOException e) {
            throw new UnreadableReport(file + ": cannot be read (" + e.getMessage() + ")");
        }
        ObjectMapper mapper = JsonReports.mapper();
        JsonNode root;
        try {
            root = mapper.readTree(bytes);
        } catch (JsonEOFException e) {
            throw new UnreadableReport(file + ": truncated: the JSON ends after " + bytes.length + " bytes, in the middle of a value");
        } catch (StreamReadException e) {
            throw new UnreadableReport(file + ": not JSON (" + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr() + ")");
        } catch (IOException e) {
            throw new UnreadableReport(file + ": cannot be read (" + e.getMessage() + ")");
        }
        if (root == null || root.isMissingNode()) {
            throw new UnreadableReport(file + ": empty: no report in it (truncated to nothing?)");
        }
        if (!root.isObject() || !root.has("schema")) {
            throw new UnreadableReport(file + ": not a ctxprobe report (no \"schema\" field)");
        }
        String schema = root.get("schema").asText();
        if (!READABLE.contains(schema)) {
            throw new UnreadableReport(file + ": schema '" + schema + "' is not one this ctxprobe reads (" + String.join(", ", READABLE) + ")");
        }
        if (!root.path("results").isArray() || !root.path("host").isObject()) {
            throw new UnreadableReport(file + ": not a complete ctxprobe report (no results or host)");
        }
        try {
            return mapper.treeToValue(root, Report.class);
        } catch (JsonProcessingException | IllegalArgumentException | NullPointerException e) {
            throw new UnreadableReport(file + ": not a ctxprobe report of schema " + schema + " ("
                    + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()) + ")");
        }
    }
}
