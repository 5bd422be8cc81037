package io.ctxprobe.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The JSON Schema of the report this version writes ({@link Report#SCHEMA}), kept in the repository
 * at {@code docs/schema/ctxprobe-report-2.schema.json} and packaged in the core jar at
 * {@link #RESOURCE}. ctxprobe does not validate at run time (the model is the writer); tests validate
 * real reports against it, and users may validate theirs with any JSON Schema 2020-12 validator.
 */
public final class ReportSchema {

    /** The class-path resource of the current schema. */
    public static final String RESOURCE = "/io/ctxprobe/report/schema/ctxprobe-report-2.schema.json";

    private ReportSchema() {}

    /** The schema's text. */
    public static String text() {
        try (InputStream in = ReportSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException(RESOURCE + " is missing from the core jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
