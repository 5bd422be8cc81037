package io.ctxprobe.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * The system programs ctxprobe runs for host facts (getconf, dmesg), found only in the system's own
 * directories and only when root owns them and everything above them with no group/other write —
 * never through {@code PATH}, which under {@code sudo -E} or a careless profile may name a directory
 * another user can write (a planted {@code getconf} would then run as root).
 */
final class SystemPrograms {
    private SystemPrograms() {}

    static final List<Path> DIRECTORIES = List.of(Path.of("/usr/bin"), Path.of("/bin"), Path.of("/usr/sbin"), Path.of("/sbin"));

    private static final int GROUP_OTHER_WRITE = 0022;

    /** The trusted absolute path of {@code name}, or null (then {@link #whyNot} says why). */
    static Path locate(String name) {
        for (Path dir : DIRECTORIES) {
            Path candidate = dir.resolve(name);
            if (Files.isRegularFile(candidate) && untrustedPart(candidate) == null) {
                return candidate;
            }
        }
        return null;
    }

    /** One line: why {@code name} is not run. */
    static String whyNot(String name) {
        for (Path dir : DIRECTORIES) {
            Path candidate = dir.resolve(name);
            if (Files.isRegularFile(candidate)) {
                return name + " not run: " + untrustedPart(candidate);
            }
        }
        return name + " not found in " + DIRECTORIES + " (ctxprobe does not search PATH)";
    }

    /** The first part of the program's real path that is not root's alone, or null. */
    private static String untrustedPart(Path program) {
        try {
            for (Path p = program.toRealPath(); p != null; p = p.getParent()) {
                int uid = (int) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
                int mode = (int) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
                if (uid != 0 || (mode & GROUP_OTHER_WRITE) != 0) {
                    return "'" + p + "' is not root's alone (uid " + uid + ", mode " + String.format("%04o", mode & 07777) + ")";
                }
            }
            return null;
        } catch (IOException e) {
            return "'" + program + "' cannot be examined (" + e.getMessage() + ")";
        }
    }
}
