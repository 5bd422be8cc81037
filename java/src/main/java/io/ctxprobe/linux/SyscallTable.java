package io.ctxprobe.linux;

/**
 * Every Linux system call number ctxprobe's Java side passes to {@code syscall(2)}, per
 * architecture. The numbers differ: x86-64 has its own table ({@code arch/x86/entry/syscalls/
 * syscall_64.tbl}), AArch64 uses the generic one ({@code include/uapi/asm-generic/unistd.h}).
 *
 * <p>SyscallTableTest compiles every entry against each architecture's {@code <asm/unistd.h>}
 * ({@code _Static_assert(__NR_<name> == n)}, with that architecture's gcc or headers), so a wrong
 * number fails a test, not a probe. The C side takes its numbers from the same headers
 * ({@code <sys/syscall.h>}, {@code <asm/unistd.h>} in the AArch64 assembly).
 */
public enum SyscallTable {
    READ("read", 0, 63),
    WRITE("write", 1, 64),
    GETPID("getpid", 39, 172),
    GETPPID("getppid", 110, 173),
    GETTID("gettid", 186, 178),
    FUTEX("futex", 202, 98),
    PERF_EVENT_OPEN("perf_event_open", 298, 241);

    /** The number where ctxprobe has no table for the architecture: the kernel answers ENOSYS. */
    public static final long NONE = -1;

    private static final Arch CURRENT = Arch.current();

    private final String cName;
    private final long x8664;
    private final long aarch64;

    SyscallTable(String cName, long x8664, long aarch64) {
        this.cName = cName;
        this.x8664 = x8664;
        this.aarch64 = aarch64;
    }

    /** The kernel's name, as in {@code __NR_<name>} and {@code SYS_<name>}. */
    public String cName() {
        return cName;
    }

    /** The number on {@code arch}. */
    public long number(Arch arch) {
        return switch (arch) {
            case X86_64 -> x8664;
            case AARCH64 -> aarch64;
        };
    }

    /** The number on this JVM's architecture, or {@link #NONE} where ctxprobe has no table for it. */
    public long number() {
        return CURRENT == null ? NONE : number(CURRENT);
    }

    /** The name of {@code number} on this architecture (for error messages), or {@code syscall(<n>)}. */
    public static String nameOf(long number) {
        if (CURRENT != null) {
            for (SyscallTable s : values()) {
                if (s.number(CURRENT) == number) {
                    return s.cName;
                }
            }
        }
        return "syscall(" + number + ")";
    }
}
