package io.ctxprobe.report;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where an output goes, decided and checked before anything is measured, so a bad path costs one
 * line and exit 2 instead of a finished run. What each kind of path gets:
 * <ul>
 * <li>{@code -}: standard output.</li>
 * <li>a regular file, or nothing yet: replaced atomically (a temporary sibling, fsync, rename, fsync
 * of the directory), keeping the old file's mode and owner; missing parent directories are made.</li>
 * <li>a symlink: what it leads to is judged and written (a regular target is replaced, the link
 * stays); a link to nothing is refused.</li>
 * <li>a character device ({@code /dev/null}) or a FIFO: written through — opened and written,
 * never renamed over, so the node stays what it was.</li>
 * <li>a directory, a socket or a block device: refused (ctxprobe never writes onto a disk device).</li>
 * </ul>
 * The kind is checked again just before writing; a path that changed kind meanwhile is an error,
 * not a surprise.
 */
public final class OutputTarget {

    /** How the output reaches its path. */
    public enum Mode { STDOUT, REPLACE, WRITE_THROUGH }

    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    private static final int S_IFLNK = 0120000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFIFO = 0010000;

    private final String given;
    private final Path file;
    private final Mode mode;

    private OutputTarget(String given, Path file, Mode mode) {
        this.given = given;
        this.file = file;
        this.mode = mode;
    }

    /**
     * Checks {@code given} as an output path. Throws {@link IllegalArgumentException} with one line
     * (the path and what is wrong) when nothing could be written there.
     */
    public static OutputTarget check(String given) {
        if (given.equals("-")) {
            return new OutputTarget(given, null, Mode.STDOUT);
        }
        if (given.isBlank()) {
            throw new IllegalArgumentException("'" + given + "' names no file");
        }
        Path path;
        try {
            path = Path.of(given).toAbsolutePath();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("'" + given + "' is not a usable path (" + e.getReason() + ")");
        }
        Path file = resolve(given, path);
        return new OutputTarget(given, file, classify(given, file));
    }

    /** The path ctxprobe writes: {@code path} itself, or what a symlink there leads to. */
    private static Path resolve(String given, Path path) {
        if (!Files.isSymbolicLink(path)) {
            return path;
        }
        try {
            return path.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("'" + given + "' is a symlink to nothing that exists; name a file");
        }
    }

    private static Mode classify(String given, Path file) {
        int type;
        try {
            type = (int) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS) & S_IFMT;
        } catch (NoSuchFileException e) {
            requireCreatableIn(given, file.getParent());
            return Mode.REPLACE;
        } catch (IOException e) {
            throw new IllegalArgumentException("'" + given + "' cannot be examined (" + e.getMessage() + ")");
        }
        return switch (type) {
            case S_IFREG -> {
                requireCreatableIn(given, file.getParent());
                yield Mode.REPLACE;
            }
            case S_IFCHR, S_IFIFO -> {
                if (!Files.isWritable(file)) {
                    throw new IllegalArgumentException("'" + given + "' is not writable");
                }
                yield Mode.WRITE_THROUGH;
            }
            case S_IFDIR -> throw new IllegalArgumentException("'" + given + "' is a directory; name a file");
            case S_IFSOCK -> throw new IllegalArgumentException("'" + given + "' is a socket; name a file");
            case S_IFBLK -> throw new IllegalArgumentException("'" + given
                    + "' is a block device; ctxprobe never writes onto a disk device");
            default -> throw new IllegalArgumentException("'" + given + "' is not a file ctxprobe can write");
        };
    }

    /** The nearest existing directory above a file to be created must be a writable directory. */
    private static void requireCreatableIn(String given, Path dir) {
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing)) {
            throw new IllegalArgumentException("'" + given + "': '" + existing + "' is not a directory");
        }
        if (!Files.isWritable(existing)) {
            throw new IllegalArgumentException("'" + given + "': directory '" + existing + "' is not writable");
        }
    }

    public Mode mode() {
        return mode;
    }

    public boolean isStdout() {
        return mode == Mode.STDOUT;
    }

    /** What to tell the user: the path as given, or "standard output". */
    public String describe() {
        return isStdout() ? "standard output" : given;
    }

    /** Writes {@code text} as this target's mode says; an error is an IOException naming the path. */
    public void write(String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        switch (mode) {
            case STDOUT -> writeStdout(bytes);
            case WRITE_THROUGH -> writeThrough(bytes);
            case REPLACE -> replace(bytes);
        }
    }

    private static void writeStdout(byte[] bytes) throws IOException {
        PrintStream out = System.out;
        out.write(bytes);
        out.flush();
        if (out.checkError()) {
            throw new IOException("standard output: write failed");
        }
    }

    private void writeThrough(byte[] bytes) throws IOException {
        if (classifyNow() != Mode.WRITE_THROUGH) {
            throw new IOException(given + ": changed from a device or FIFO to another kind of file since the run started");
        }
        // No CREATE, no TRUNCATE: the node exists and stays what it is.
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE)) {
            out.write(bytes);
        }
    }

    private void replace(byte[] bytes) throws IOException {
        if (classifyNow() != Mode.REPLACE) {
            throw new IOException(given + ": is no longer a regular file (or absent) as it was when the run started");
        }
        Path dir = file.getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + file.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            // CREATE_NEW without attributes: a new report gets the mode the user's umask gives any file.
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(bytes));
                ch.force(true);
            }
            keepOwnerAndMode(tmp);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true); // the rename itself survives a crash
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** A replaced report keeps the old one's permissions (and, where allowed, its owner and group). */
    private void keepOwnerAndMode(Path tmp) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.setAttribute(tmp, "unix:gid", Files.getAttribute(file, "unix:gid", LinkOption.NOFOLLOW_LINKS));
            Files.setAttribute(tmp, "unix:uid", Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS));
        } catch (IOException | SecurityException notPermitted) {
            // Only root may give a file away: an ordinary user's report simply stays theirs.
        }
        // After the chown, which clears set-id bits: the mode is the old file's, whole.
        Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS));
    }

    private Mode classifyNow() {
        try {
            return classify(given, file);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
