package io.ctxprobe.report;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * JSON in and out for reports (and anything else ctxprobe prints as JSON). Writing goes through
 * {@link OutputTarget}: a regular file is replaced atomically (a reader, or a Ctrl-C, never sees half
 * a report), a device or FIFO is written through, {@code -} is standard output.
 */
public final class JsonReports {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)   // newer minor versions may add fields
            .build();

    private JsonReports() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static String toJson(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Report read(Path file) throws IOException {
        Report report = MAPPER.readValue(file.toFile(), Report.class);
        if (!Report.SCHEMA.equals(report.schema())) {
            throw new IOException(file + ": schema '" + report.schema() + "', expected '" + Report.SCHEMA + "'");
        }
        return report;
    }

    /** Writes the report to {@code target} (checked beforehand with {@link OutputTarget#check}). */
    public static void write(OutputTarget target, Report report) throws IOException {
        target.write(toJson(report) + System.lineSeparator());
    }

    /** Writes the report to {@code path} as {@link OutputTarget} says (atomically for a regular file). */
    public static void write(Path path, Report report) throws IOException {
        OutputTarget target;
        try {
            target = OutputTarget.check(path.toString());
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        write(target, report);
    }
}
