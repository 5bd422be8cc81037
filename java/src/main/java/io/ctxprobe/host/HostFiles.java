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

/**
 * Reads host files under a root ("/" normally; tests point it at a fixture tree). Every reader of a
 * host-wide procfs/sysfs file goes through here, and hands the lines to a pure parser.
 */
public final class HostFiles {
    private static final HostFiles LIVE = new HostFiles(Path.of("/"));

    private final Path root;

    public HostFiles(Path root) {
        this.root = root;
    }

    /** The running host's files (root "/"). */
    public static HostFiles live() {
        return LIVE;
    }

    public Path resolve(String absolute) {
        return root.resolve(absolute.substring(1));
    }

    /** One file; a missing or unreadable file becomes a reason, never an exception. */
    public FileText read(String absolute) {
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

    public boolean exists(String absolute) {
        return Files.exists(resolve(absolute));
    }

    /** Entry names in a directory, sorted; empty when the directory is missing or unreadable. */
    public List<String> list(String absoluteDir) {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(resolve(absoluteDir))) {
            ds.forEach(p -> names.add(p.getFileName().toString()));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
        names.sort(null);
        return names;
    }

    /** "procfs:/proc/meminfo", "sysfs:...": the source name a fact or counter carries. */
    public static String source(String absolute) {
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
