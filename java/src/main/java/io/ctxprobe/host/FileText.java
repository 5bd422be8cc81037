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

    /** {@link #fact} carrying the first line as a number in {@code unit} where it is an integer. */
    Fact integerFact(String name, String unit) {
        Fact f = fact(name);
        if (!f.available()) return f;
        try {
            return f.withNumber(Long.parseLong(f.value()), unit);
        } catch (NumberFormatException e) {
            return f;
        }
    }
}
