package io.ctxprobe.host;

import java.util.List;

/** The lines of one host file, or why it could not be read (never both). */
public record FileText(String path, List<String> lines, String error) {

    public boolean ok() {
        return error == null;
    }

    /** The first line, trimmed; null when unreadable or empty. */
    public String first() {
        return ok() && !lines.isEmpty() ? lines.getFirst().trim() : null;
    }

    public String source() {
        return HostFiles.source(path);
    }

    /** A fact holding the first line, or unavailable with the read error (or "empty file"). */
    Fact fact(String name) {
        if (!ok()) {
            return Fact.unavailable(name, source(), error);
        }
        String v = first();
        return v == null || v.isEmpty() ? Fact.unavailable(name, source(), "empty file") : Fact.of(name, v, source());
    }
}
