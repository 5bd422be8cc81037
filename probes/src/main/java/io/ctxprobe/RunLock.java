package io.ctxprobe;

import io.ctxprobe.linux.FileLocks;
import io.ctxprobe.linux.LinuxException;
import io.ctxprobe.linux.Unistd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * One measuring run per host at a time. Two runs pinned to the same CPUs double each other's
 * figures and both look clean, so the measuring part of a run holds an advisory {@code flock} on
 * one lock file per host, the same path for every user: {@code /run/lock/ctxprobe.lock} (else
 * {@code /var/tmp/ctxprobe.lock}). It is opened read-only with {@code O_NOFOLLOW} (a planted symlink
 * fails the open instead of leading root elsewhere) and created world-readable, so any user's run
 * can take it. A second run waits, saying which pid holds it (from {@code /proc/locks}), until the
 * first ends or the deadline passes.
 *
 * <p>Scope: a flock is per file, so runs serialize across users and across network namespaces
 * (they share the file system), but not across containers or mount namespaces with their own
 * {@code /run} and {@code /var/tmp}: those do not see the same file. The lock is released when its
 * descriptor closes, so a killed run never leaves it held.
 */
public final class RunLock implements AutoCloseable {

    /** Where the lock lives, first usable of these directories. */
    static final List<Path> DIRECTORIES = List.of(Path.of("/run/lock"), Path.of("/var/tmp"));
    static final String NAME = "ctxprobe.lock";
    /** Names another lock file (tests; hosts that share /run/lock with others they must not serialize with). */
    public static final String FILE_PROPERTY = "ctxprobe.lock.file";
    private static final Duration POLL = Duration.ofMillis(200);

    private final Path path;
    private final int fd;

    private RunLock(Path path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    public Path path() {
        return path;
    }

    /**
     * Takes the host's run lock, waiting up to {@code deadline} for another run to finish; tells
     * {@code say} once that it waits, and for whom.
     *
     * @throws IllegalStateException when the deadline passes (the message names the holder)
     * @throws LinuxException when the lock file cannot be opened at all (e.g. another user made it
     *                        unreadable), which the caller reports and may run without
     */
    public static RunLock acquire(Duration deadline, Consumer<String> say) throws InterruptedException {
        return acquire(lockFile(), deadline, say);
    }

    static RunLock acquire(Path path, Duration deadline, Consumer<String> say) throws InterruptedException {
        int fd = FileLocks.open(path, FileLocks.O_RDONLY | FileLocks.O_CREAT | FileLocks.O_NOFOLLOW | FileLocks.O_CLOEXEC, 0644);
        try {
            makeReadableByAll(path);
            long end = System.nanoTime() + deadline.toNanos();
            boolean told = false;
            while (!FileLocks.tryLock(fd, FileLocks.LOCK_EX)) {
                String holder = holder(path).stream().mapToObj(pid -> "pid " + pid).findFirst().orElse("a process");
                if (System.nanoTime() > end) {
                    throw new IllegalStateException("another ctxprobe run (" + holder + ") still holds " + path + " after "
                            + deadline.toSeconds() + " s; --no-lock runs anyway (its figures may then be disturbed)");
                }
                if (!told) {
                    say.accept("ctxprobe: another ctxprobe run (" + holder + ") is measuring on this host; waiting for it"
                            + " (lock " + path + "; --no-lock runs anyway)");
                    told = true;
                }
                Thread.sleep(POLL);
            }
            if (told) {
                say.accept("ctxprobe: the other run ended; measuring now");
            }
            return new RunLock(path, fd);
        } catch (RuntimeException | InterruptedException e) {
            Unistd.close(fd);
            throw e;
        }
    }

    @Override
    public void close() {
        Unistd.close(fd); // closing the only descriptor releases the flock
    }

    static Path lockFile() {
        String configured = System.getProperty(FILE_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        for (Path dir : DIRECTORIES) {
            if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                return dir.resolve(NAME);
            }
        }
        return Path.of(System.getProperty("java.io.tmpdir")).resolve(NAME);
    }

    /** A lock file this user created under a restrictive umask must still be lockable by others. */
    private static void makeReadableByAll(Path path) {
        try {
            if ((int) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS) == Unistd.geteuid()) {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-r--r--"));
            }
        } catch (IOException | UnsupportedOperationException e) {
            // Only others' runs are affected; they will say they cannot open it.
        }
    }

    /** The pid holding a flock on {@code path}, from /proc/locks. */
    static OptionalLong holder(Path path) {
        try {
            long inode = (long) Files.getAttribute(path, "unix:ino", LinkOption.NOFOLLOW_LINKS);
            return holderPid(Files.readAllLines(Path.of("/proc/locks")), inode);
        } catch (IOException | UnsupportedOperationException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * The pid of the FLOCK entry on {@code inode} in /proc/locks text, e.g.
     * {@code "1: FLOCK  ADVISORY  WRITE 4242 00:19:1234 0 EOF"} (a waiter's line has "->" after
     * the number and is skipped).
     */
    static OptionalLong holderPid(List<String> procLocks, long inode) {
        for (String line : procLocks) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 6 || !f[1].equals("FLOCK")) {
                continue;
            }
            String[] dev = f[5].split(":");
            try {
                if (dev.length == 3 && Long.parseLong(dev[2]) == inode) {
                    return OptionalLong.of(Long.parseLong(f[4]));
                }
            } catch (NumberFormatException e) {
                // not a line of the shape above
            }
        }
        return OptionalLong.empty();
    }
}
