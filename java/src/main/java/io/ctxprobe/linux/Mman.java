package io.ctxprobe.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;

/** sys/mman.h: mmap, munmap, mprotect (fiber stacks with guard pages, TLB working sets). */
public final class Mman {
    private Mman() {}

    public static final int PROT_NONE = 0x0;
    public static final int PROT_READ = 0x1;
    public static final int PROT_WRITE = 0x2;
    public static final int PROT_EXEC = 0x4;

    public static final int MAP_SHARED = 0x01;
    public static final int MAP_PRIVATE = 0x02;
    public static final int MAP_FIXED = 0x10;
    public static final int MAP_ANONYMOUS = 0x20;
    public static final int MAP_NORESERVE = 0x4000;
    public static final int MAP_POPULATE = 0x8000;
    public static final int MAP_STACK = 0x20000;
    public static final int MAP_HUGETLB = 0x40000;

    /** mmap's failure value, (void *) -1. */
    private static final long MAP_FAILED = -1L;

    /* void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset); */
    private static final Downcall MMAP = Libc.errno("mmap",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));

    /* int munmap(void *addr, size_t length); */
    private static final Downcall MUNMAP = Libc.errno("munmap",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));

    /* int mprotect(void *addr, size_t len, int prot); */
    private static final Downcall MPROTECT = Libc.errno("mprotect",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));

    /** Maps {@code length} bytes; the segment has that size and must be released with munmap. */
    public static MemorySegment mmap(MemorySegment addr, long length, int prot, int flags, int fd, long offset) {
        try {
            MemorySegment errno = Libc.errnoSlot();
            MemorySegment p = (MemorySegment) MMAP.handle().invokeExact(errno, addr, length, prot, flags, fd, offset);
            Libc.check("mmap", p.address() == MAP_FAILED ? -1L : 0L, errno);
            return p.reinterpret(length);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** Anonymous private memory, the common case. */
    public static MemorySegment mmapAnonymous(long length, int prot) {
        return mmap(MemorySegment.NULL, length, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    }

    public static void munmap(MemorySegment addr, long length) {
        try {
            MemorySegment errno = Libc.errnoSlot();
            int rc = (int) MUNMAP.handle().invokeExact(errno, addr, length);
            Libc.check("munmap", rc, errno);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    public static void munmap(MemorySegment mapping) {
        munmap(mapping, mapping.byteSize());
    }

    public static void mprotect(MemorySegment addr, long length, int prot) {
        try {
            MemorySegment errno = Libc.errnoSlot();
            int rc = (int) MPROTECT.handle().invokeExact(errno, addr, length, prot);
            Libc.check("mprotect", rc, errno);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }
}
