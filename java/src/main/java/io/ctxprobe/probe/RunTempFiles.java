package io.ctxprobe.probe;

import io.ctxprobe.linux.Unistd;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A run's private temporary directory and the sweep that removes those of dead runs. The directory
 * is {@code ctxprobe-run-<pid>-<start>-<random>} in {@code java.io.tmpdir}, mode 0700; {@code start}
 * is the process's start time from /proc/PID/stat (clock ticks since boot), so a later run can tell
 * a directory whose run is gone (no such pid, or the pid now names another process) from a live
 * one's. It holds what child JVMs leave: their stdout/stderr files, their JFR recordings and
 * repository (it is their {@code java.io.tmpdir}).
 *
 * <p>The sweep only removes directories of this pattern that this user owns (lstat: a symlink is
 * never followed or removed), and only when their run is gone. Processes in another pid namespace
 * that share the temporary directory look dead from here: give such runs their own
 * {@code java.io.tmpdir}.
 */
final class RunTempFiles {

    static final String PREFIX = "ctxprobe-run-";
    private static final Pattern NAME = Pattern.compile(Pattern.quote(PREFIX) + "(\\d+)-(\\d+)-[0-9a-f]+");
    private static final SecureRandom RANDOM = new SecureRandom();

    private RunTempFiles() {}

    /** Creates this process's run directory (0700) in {@code base}. */
    static Path create(Path base) throws IOException {
        long pid = ProcessHandle.current().pid();
        String start = startTicks(pid);
        if (start == null) throw new IOException("cannot read /proc/" + pid + "/stat");
        byte[] random = new byte[6];
        RANDOM.nextBytes(random);
        Path dir = base.resolve(PREFIX + pid + "-" + start + "-" + HexFormat.of().formatHex(random));
        return Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    /** Removes the run directories in {@code base} whose runs are gone; returns how many. Errors skip an entry. */
    static int sweep(Path base) {
        int removed = 0;
        int uid = ownUid();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(base, PREFIX + "*")) {
            for (Path entry : entries) {
                Matcher m = NAME.matcher(entry.getFileName().toString());
                if (!m.matches() || !stale(m.group(1), m.group(2))) continue;
                try {
                    if (!Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)
                            || (int) Files.getAttribute(entry, "unix:uid", LinkOption.NOFOLLOW_LINKS) != uid) continue;
                    deleteTree(entry);
                    removed++;
                } catch (IOException | RuntimeException e) {
                    // another user's, or going away under us: not ours to insist on
                }
            }
        } catch (IOException e) {
            return removed;
        }
        return removed;
    }

    /** Gone: no such pid, or the pid is another process now (its start time differs). */
    static boolean stale(String pid, String start) {
        return !start.equals(startTicks(Long.parseLong(pid)));
    }

    /** Field 22 of /proc/PID/stat (start time, clock ticks after boot), or null when there is no such process. */
    static String startTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return fields[19];
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Deletes {@code dir} and everything under it, never following a symlink; what is already gone is fine. */
    static void deleteTree(Path dir) throws IOException {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) return FileVisitResult.CONTINUE;
                    throw e;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    if (e != null && !(e instanceof NoSuchFileException)) throw e;
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException e) {
            // already gone
        }
    }

    private static int ownUid() {
        try {
            return Unistd.geteuid();
        } catch (RuntimeException | LinkageError e) {
            return -1;   // matches no one: the sweep then removes nothing
        }
    }
}
