package io.ctxprobe.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/** unistd.h: thread and process ids, fd I/O, pipes, and the generic syscall(2). */
public final class Unistd {
    private Unistd() {}

    public static final int O_NONBLOCK = 0x800;
    public static final int O_CLOEXEC = 0x80000;

    // System call numbers on this JVM's architecture (x86-64 and AArch64 differ): SyscallTable
    // holds both tables, checked against each architecture's headers by SyscallTableTest.
    public static final long SYS_READ = SyscallTable.READ.number();
    public static final long SYS_WRITE = SyscallTable.WRITE.number();
    public static final long SYS_GETPID = SyscallTable.GETPID.number();
    public static final long SYS_GETPPID = SyscallTable.GETPPID.number();
    public static final long SYS_GETTID = SyscallTable.GETTID.number();
    public static final long SYS_FUTEX = SyscallTable.FUTEX.number();
    public static final long SYS_PERF_EVENT_OPEN = SyscallTable.PERF_EVENT_OPEN.number();

    /* pid_t gettid(void);   (glibc 2.30+; cannot fail) */
    private static final Downcall GETTID = Libc.plain("gettid", FunctionDescriptor.of(JAVA_INT));

    /* pid_t getpid(void); */
    private static final Downcall GETPID = Libc.plain("getpid", FunctionDescriptor.of(JAVA_INT));

    /* int isatty(int fd);   1 for a terminal, else 0 (errno ENOTTY or EBADF: either way "not a terminal") */
    private static final Downcall ISATTY = Libc.plain("isatty", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    /* uid_t geteuid(void);   (cannot fail) */
    private static final Downcall GETEUID = Libc.plain("geteuid", FunctionDescriptor.of(JAVA_INT));

    /*
     * pid_t getppid(void);
     * Bound WITHOUT errno capture: it cannot fail, and it is measured as the bare cost of one FFM
     * downcall, so the handle sits in a holder class whose static final field the JIT can fold.
     */
    private static final class Getppid {
        static final MethodHandle HANDLE =
                Libc.plain("getppid", FunctionDescriptor.of(JAVA_INT)).handle();
    }

    /* ssize_t read(int fd, void *buf, size_t count); */
    private static final Downcall READ = Libc.errno("read",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));

    /* ssize_t write(int fd, const void *buf, size_t count); */
    private static final Downcall WRITE = Libc.errno("write",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));

    /* int close(int fd); */
    private static final Downcall CLOSE = Libc.errno("close",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    /* int pipe2(int pipefd[2], int flags); */
    private static final Downcall PIPE2 = Libc.errno("pipe2",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));

    /* long syscall(long number, ...);   six variadic longs are always passed: the kernel ignores
     * the ones a call does not use, and one fixed arity keeps one handle. */
    private static final Downcall SYSCALL = Libc.errnoVariadic("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG,
                    JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG), 1);

    public static int gettid() {
        try {
            return (int) GETTID.handle().invokeExact();
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** Whether {@code fd} is a terminal (the CLI's progress line and colour go only to one). */
    public static boolean isatty(int fd) {
        try {
            return (int) ISATTY.handle().invokeExact(fd) == 1;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** The effective uid: whose files and directories this process may trust. */
    public static int geteuid() {
        try {
            return (int) GETEUID.handle().invokeExact();
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    public static int getpid() {
        try {
            return (int) GETPID.handle().invokeExact();
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    public static int getppid() {
        try {
            return (int) Getppid.HANDLE.invokeExact();
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** The raw {@code ()int} handle of getppid, for a hot loop that measures the downcall itself. */
    public static MethodHandle getppidHandle() {
        return Getppid.HANDLE;
    }

    /** Reads up to {@code n} bytes into {@code buf}; returns the count (0 at end of file). */
    public static long read(int fd, MemorySegment buf, long n) {
        checkBounds(buf, n);
        try {
            MemorySegment errno = Libc.errnoSlot();
            long rc = (long) READ.handle().invokeExact(errno, fd, buf, n);
            return Libc.check("read", rc, errno);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    public static long write(int fd, MemorySegment buf, long n) {
        checkBounds(buf, n);
        try {
            MemorySegment errno = Libc.errnoSlot();
            long rc = (long) WRITE.handle().invokeExact(errno, fd, buf, n);
            return Libc.check("write", rc, errno);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    // A native segment's size is the only guard between n and a heap overrun in C.
    private static void checkBounds(MemorySegment buf, long n) {
        if (n < 0 || n > buf.byteSize()) {
            throw new IndexOutOfBoundsException("n=" + n + " but the buffer holds " + buf.byteSize() + " bytes");
        }
    }

    public static void close(int fd) {
        try {
            MemorySegment errno = Libc.errnoSlot();
            int rc = (int) CLOSE.handle().invokeExact(errno, fd);
            Libc.check("close", rc, errno);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** A pipe: {@code [readEnd, writeEnd]}; flags O_CLOEXEC, O_NONBLOCK. */
    public static int[] pipe2(int flags) {
        MemorySegment fds = Libc.scratch();
        try {
            MemorySegment errno = Libc.errnoSlot();
            int rc = (int) PIPE2.handle().invokeExact(errno, fds, flags);
            Libc.check("pipe2", rc, errno);
            return new int[] {fds.get(JAVA_INT, 0), fds.get(JAVA_INT, 4)};
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /**
     * syscall(2) with up to six arguments (missing ones are 0). Throws {@link LinuxException}
     * named after the system call (e.g. {@code perf_event_open}) when it returns -1.
     */
    public static long syscall(long number, long... args) {
        if (args.length > 6) {
            throw new IllegalArgumentException("a system call takes at most 6 arguments, got " + args.length);
        }
        long[] a = java.util.Arrays.copyOf(args, 6);
        try {
            MemorySegment errno = Libc.errnoSlot();
            long rc = (long) SYSCALL.handle().invokeExact(errno, number, a[0], a[1], a[2], a[3], a[4], a[5]);
            return Libc.check(syscallName(number), rc, errno);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** The name used in error messages for a system call number (this architecture's table). */
    static String syscallName(long number) {
        return SyscallTable.nameOf(number);
    }
}
