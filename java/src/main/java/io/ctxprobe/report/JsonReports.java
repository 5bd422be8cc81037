package io.ctxprobe.report;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * JSON in and out for reports (and anything else ctxprobe prints as JSON). Writing is atomic: a
 * temporary file in the target directory, then a rename, so a reader (or a Ctrl-C) never sees half a
 * report.
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

    /** Writes {@code text} to {@code target} through a temporary sibling and a rename. */
    public static void writeAtomically(Path target, String text) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, text);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static void write(Path target, Report report) throws IOException {
        writeAtomically(target, toJson(report) + System.lineSeparator());
    }
}
