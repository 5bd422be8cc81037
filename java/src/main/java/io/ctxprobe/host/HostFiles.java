package io.ctxprobe.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads host files under a root ("/" normally; tests point it at a fixture tree). */
final class HostFiles {
    private final Path root;

    HostFiles(Path root) {
        this.root = root;
    }

    Path resolve(String absolute) {
        return root.resolve(absolute.substring(1));
    }

    /** One file; a missing or unreadable file becomes a reason, never an exception. */
    FileText read(String absolute) {
        try {
            // ISO-8859-1: every byte decodes, so a stray byte in /proc/cmdline cannot fail the read.
            return new FileText(absolute, Files.readAllLines(resolve(absolute), StandardCharsets.ISO_8859_1), null);
        } catch (NoSuchFileException e) {
            return new FileText(absolute, List.of(), "no " + absolute);
        } catch (AccessDeniedException e) {
            return new FileText(absolute, List.of(), "permission denied reading " + absolute);
        } catch (IOException | RuntimeException e) {
            return new FileText(absolute, List.of(), e.getClass().getSimpleName() + " reading " + absolute + ": "
                    + e.getMessage());
        }
    }

    boolean exists(String absolute) {
        return Files.exists(resolve(absolute));
    }

    /** Entry names in a directory, sorted; empty when the directory is missing or unreadable. */
    List<String> list(String absoluteDir) {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(resolve(absoluteDir))) {
            ds.forEach(p -> names.add(p.getFileName().toString()));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
        names.sort(null);
        return names;
    }

    static String source(String absolute) {
        if (absolute.startsWith("/proc/")) {
            return "procfs:" + absolute;
        }
        if (absolute.startsWith("/sys/kernel/debug/")) {
            return "debugfs:" + absolute;
        }
        if (absolute.startsWith("/sys/fs/cgroup")) {
            return "cgroupfs:" + absolute;
        }
        if (absolute.startsWith("/sys/")) {
            return "sysfs:" + absolute;
        }
        return "file:" + absolute;
    }
}
