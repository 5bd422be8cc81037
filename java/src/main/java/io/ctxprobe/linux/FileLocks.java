package io.ctxprobe.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * fcntl.h's open(2) and sys/file.h's flock(2): the advisory whole-file lock that serializes runs
 * across users (a flock can be taken on a read-only descriptor, so the lock file need not be
 * writable by everyone). The JDK's FileChannel.lock is an fcntl record lock instead, which needs a
 * writable descriptor and is dropped when any descriptor of the file in the process closes.
 */
public final class FileLocks {
    private FileLocks() {}

    public static final int O_RDONLY = 0;
    public static final int O_CREAT = 0100;
    /** Differs by architecture (AbiPerArchTest): on AArch64 x86-64's 0400000 is O_LARGEFILE. */
    public static final int O_NOFOLLOW = oNofollow(Arch.current());
    public static final int O_CLOEXEC = 02000000;

    public static final int LOCK_EX = 2;
    public static final int LOCK_NB = 4;
    public static final int LOCK_UN = 8;

    /* int open(const char *pathname, int flags, ...);   the mode is the one variadic argument */
    private static final Downcall OPEN = Libc.errnoVariadic("open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), 2);

    /* int flock(int fd, int operation); */
    private static final Downcall FLOCK = Libc.errno("flock", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));

    /** open(2); throws {@link LinuxException} (e.g. ELOOP for a symlink under O_NOFOLLOW). */
    public static int open(Path path, int flags, int mode) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.errnoSlot();
            int rc = (int) OPEN.handle().invokeExact(errno, arena.allocateFrom(path.toString()), flags, mode);
            return Libc.check("open", rc, errno);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** flock(2) with LOCK_NB added: true when taken, false when another holder has it (EWOULDBLOCK). */
    public static boolean tryLock(int fd, int operation) {
        try {
            MemorySegment errno = Libc.errnoSlot();
            int rc = (int) FLOCK.handle().invokeExact(errno, fd, operation | LOCK_NB);
            Libc.check("flock", rc, errno);
            return true;
        } catch (LinuxException e) {
            if (e.errno() == Errno.EAGAIN) { // EWOULDBLOCK is EAGAIN on Linux
                return false;
            }
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** O_NOFOLLOW on {@code arch}: 0100000 on AArch64, 0400000 on x86-64 (and where ctxprobe has no build). */
    static int oNofollow(Arch arch) {
        return arch == Arch.AARCH64 ? 0100000 : 0400000;
    }
}
