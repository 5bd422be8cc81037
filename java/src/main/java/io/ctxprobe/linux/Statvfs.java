package io.ctxprobe.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;

/** sys/statvfs.h: the one flag the loader needs to know before it fails obscurely. */
public final class Statvfs {
    private Statvfs() {}

    /** ST_NOEXEC in f_flag. */
    public static final long ST_NOEXEC = 8;

    /** struct statvfs (x86-64, 112 bytes): f_flag at 72. */
    static final StructLayout STATVFS_LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("f_bsize"), JAVA_LONG.withName("f_frsize"), JAVA_LONG.withName("f_blocks"),
            JAVA_LONG.withName("f_bfree"), JAVA_LONG.withName("f_bavail"), JAVA_LONG.withName("f_files"),
            JAVA_LONG.withName("f_ffree"), JAVA_LONG.withName("f_favail"), JAVA_LONG.withName("f_fsid"),
            JAVA_LONG.withName("f_flag"), JAVA_LONG.withName("f_namemax"),
            MemoryLayout.sequenceLayout(6, JAVA_INT).withName("__f_spare"));
    private static final VarHandle F_FLAG = STATVFS_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("f_flag"));

    /* int statvfs(const char *restrict path, struct statvfs *restrict buf); */
    private static final Downcall STATVFS = Libc.errno("statvfs", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));

    /** True when {@code dir} is on a noexec mount; false when it is not or statvfs fails. */
    public static boolean isNoexec(Path dir) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment path = arena.allocateFrom(dir.toString());
            MemorySegment buf = arena.allocate(STATVFS_LAYOUT);
            MemorySegment errno = Libc.errnoSlot();
            int rc = (int) STATVFS.handle().invokeExact(errno, path, buf);
            // If statvfs itself fails, let dlopen have the last word (its error names the dir).
            return rc == 0 && ((long) F_FLAG.get(buf, 0L) & ST_NOEXEC) != 0;
        } catch (Throwable t) {
            return false;
        }
    }
}
