package io.ctxprobe.linux;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A directory ctxprobe may keep code in that it later loads or executes. It is trusted only when
 * nobody but this user (or root) can change what is in it:
 * <ul>
 * <li>{@code lstat} shows a real directory, not a symlink, owned by the effective uid, with no
 * group or other write permission (one ctxprobe creates is mode 0700);</li>
 * <li>every directory above it (after resolving symlinks) is owned by root or by this user, and is
 * not group/other writable unless sticky (as /tmp is) — otherwise another user could rename the
 * verified directory away and put their own in its place;</li>
 * <li>it is writable and not on a noexec mount (where the dynamic loader cannot map a library).</li>
 * </ul>
 * The check is {@code lstat} based throughout, so a symlink planted at any step is seen, not followed.
 */
public final class PrivateDirectory {
    private PrivateDirectory() {}

    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFLNK = 0120000;
    private static final int S_ISVTX = 01000;
    private static final int GROUP_OTHER_WRITE = 0022;

    /**
     * Makes {@code dir} (mode 0700, parents as needed) if it does not exist, then verifies it. Null
     * when it may be trusted; otherwise one line naming the directory and what is wrong with it.
     */
    public static String ensure(Path dir) {
        return ensure(dir, Unistd.geteuid());
    }

    static String ensure(Path dir, int euid) {
        Path abs = dir.toAbsolutePath();
        if (!Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
            // Judge the place before making anything there: nothing is created under a directory
            // another user controls (root must not leave its directories in someone's home).
            Path existing = abs.getParent();
            while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
                existing = existing.getParent();
            }
            try {
                String above = existing == null ? null : chainProblem(abs, existing, euid);
                if (above != null) {
                    return above;
                }
                Files.createDirectories(abs, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException e) {
                // Appeared between the look and the mkdir, or a parent is a file: the checks below say which.
            } catch (IOException | UnsupportedOperationException e) {
                return "'" + abs + "' cannot be created (" + describe(e) + ")";
            }
        }
        return problemWith(abs, euid);
    }

    /** Null when the existing {@code dir} may be trusted, else the reason (never creates anything). */
    public static String problemWith(Path dir) {
        return problemWith(dir.toAbsolutePath(), Unistd.geteuid());
    }

    static String problemWith(Path abs, int euid) {
        try {
            int mode = (int) Files.getAttribute(abs, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            int uid = (int) Files.getAttribute(abs, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            if ((mode & S_IFMT) == S_IFLNK) {
                return "'" + abs + "' is a symlink (a directory for native code must be a real directory)";
            }
            if ((mode & S_IFMT) != S_IFDIR) {
                return "'" + abs + "' is not a directory";
            }
            if (uid != euid) {
                return "'" + abs + "' is owned by uid " + uid + ", not by this user (uid " + euid + ")";
            }
            if ((mode & GROUP_OTHER_WRITE) != 0) {
                return "'" + abs + "' is writable by group or others (mode " + octal(mode) + "; chmod 700 it)";
            }
            String ancestor = ancestorProblem(abs, euid);
            if (ancestor != null) {
                return ancestor;
            }
        } catch (NoSuchFileException e) {
            return "'" + abs + "' does not exist";
        } catch (IOException | UnsupportedOperationException e) {
            return "'" + abs + "' cannot be examined (" + describe(e) + ")";
        }
        if (!Files.isWritable(abs)) {
            return "'" + abs + "' is not writable";
        }
        if (Statvfs.isNoexec(abs)) {
            return "'" + abs + "' is on a noexec mount (the dynamic loader cannot map a library from it)";
        }
        return null;
    }

    /** The first directory above {@code abs} that another user could use to swap it, or null. */
    private static String ancestorProblem(Path abs, int euid) throws IOException {
        Path parent = abs.getParent();
        return parent == null ? null : chainProblem(abs, parent, euid);
    }

    /** The first of {@code from} and the directories above it that another user could change, or null. */
    private static String chainProblem(Path abs, Path from, int euid) throws IOException {
        // The real path: a symlinked ancestor (/var/run -> /run) is judged by what it leads to.
        for (Path p = from.toRealPath(); p != null; p = p.getParent()) {
            int mode = (int) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            int uid = (int) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            if (uid != 0 && uid != euid) {
                return "'" + abs + "' lies under '" + p + "', owned by uid " + uid
                        + ", who could replace it (uid " + euid + " cannot trust it)";
            }
            if ((mode & GROUP_OTHER_WRITE) != 0 && (mode & S_ISVTX) == 0) {
                return "'" + abs + "' lies under '" + p + "', writable by group or others without the sticky bit (mode "
                        + octal(mode) + ")";
            }
        }
        return null;
    }

    private static String octal(int mode) {
        return String.format("%04o", mode & 07777);
    }

    private static String describe(Exception e) {
        return e.getMessage() != null ? e.getClass().getSimpleName() + ": " + e.getMessage() : e.toString();
    }
}
