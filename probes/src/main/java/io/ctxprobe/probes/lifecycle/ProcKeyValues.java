package io.ctxprobe.probes.lifecycle;

import io.ctxprobe.host.FileText;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The "Key:   value" files of procfs that the footprint probe reads: /proc/meminfo,
 * /proc/PID/status, /proc/PID/smaps_rollup. One pure parser tested on fixture text, fed by
 * {@code HostFiles} for host-wide files and by a live read for a child's;
 * sizes are the kernel's "N kB" (KiB). Lines without a colon-terminated key (smaps_rollup's address
 * header) are kept under whatever precedes their first colon and never asked for.
 */
final class ProcKeyValues {

    private final Map<String, String> values;

    private ProcKeyValues(Map<String, String> values) {
        this.values = values;
    }

    /** A host-wide file read through {@code HostFiles}; an unreadable one is an error naming it. */
    static ProcKeyValues of(FileText text) {
        if (!text.ok()) throw new IllegalStateException(text.error());
        return parse(text.lines());
    }

    /** A live file of a child ({@code /proc/<pid>/...}), read where it is measured. */
    static ProcKeyValues read(Path file) {
        try {
            return parse(Files.readAllLines(file));
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    static ProcKeyValues parse(List<String> lines) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon <= 0) continue;
            map.putIfAbsent(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
        }
        return new ProcKeyValues(map);
    }

    boolean has(String key) {
        return values.containsKey(key);
    }

    /** The raw value text, or null when the line is absent. */
    String text(String key) {
        return values.get(key);
    }

    /** A size line ("1234 kB") in KiB; a missing or malformed line is an error naming it. */
    long kib(String key) {
        Long v = kibOrNull(key);
        if (v == null) throw new IllegalArgumentException("no '" + key + "' line");
        return v;
    }

    /** A size line in KiB, or null when this kernel does not write it; malformed is an error. */
    Long kibOrNull(String key) {
        String v = values.get(key);
        if (v == null) return null;
        String number = v.endsWith(" kB") ? v.substring(0, v.length() - 3).strip() : v;
        try {
            return Long.parseLong(number);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + key + "' is not a size in kB: '" + v + "'");
        }
    }
}
