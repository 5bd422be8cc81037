package io.ctxprobe.linux;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * linux/futex.h through syscall(SYS_futex): process-private wait and wake on a 32-bit word.
 * The outcomes a waiter expects (value changed, timed out, interrupted) are returned, not thrown.
 */
public final class Futex {
    private Futex() {}

    public static final int FUTEX_WAIT = 0;
    public static final int FUTEX_WAKE = 1;
    /** Private futexes skip the mm-wide hash lookup: all our waiters share one address space. */
    public static final int FUTEX_PRIVATE_FLAG = 128;

    /*
     * long syscall(SYS_futex, uint32_t *uaddr, int futex_op, uint32_t val,
     *              const struct timespec *timeout, uint32_t *uaddr2, uint32_t val3);
     */

    /**
     * Sleeps while {@code *word == expected}, at most {@code timeoutNs} (relative; negative =
     * forever). Returns 0 when woken, or {@code -EAGAIN} (the word already differed),
     * {@code -ETIMEDOUT}, {@code -EINTR}; any other failure throws {@link LinuxException}.
     */
    public static int wait(MemorySegment word, int expected, long timeoutNs) {
        checkWord(word);
        try (Arena arena = Arena.ofConfined()) {
            long ts = 0;
            if (timeoutNs >= 0) {
                MemorySegment t = arena.allocate(16, 8);
                t.set(JAVA_LONG, 0, timeoutNs / 1_000_000_000L);
                t.set(JAVA_LONG, 8, timeoutNs % 1_000_000_000L);
                ts = t.address();
            }
            Unistd.syscall(Unistd.SYS_FUTEX, word.address(), FUTEX_WAIT | FUTEX_PRIVATE_FLAG,
                    expected, ts, 0, 0);
            return 0;
        } catch (LinuxException e) {
            return switch (e.errno()) {
                case Errno.EAGAIN, Errno.ETIMEDOUT, Errno.EINTR -> -e.errno();
                default -> throw e;
            };
        }
    }

    /** Wakes up to {@code count} waiters on {@code word}; returns how many were woken. */
    public static int wake(MemorySegment word, int count) {
        checkWord(word);
        return (int) Unistd.syscall(Unistd.SYS_FUTEX, word.address(), FUTEX_WAKE | FUTEX_PRIVATE_FLAG,
                count, 0, 0, 0);
    }

    // The kernel needs a 4-byte aligned word (EINVAL otherwise) in native memory.
    private static void checkWord(MemorySegment word) {
        if (!word.isNative() || word.byteSize() < 4 || (word.address() & 3) != 0) {
            throw new IllegalArgumentException("a futex word must be a native, 4-byte aligned segment of >= 4 bytes");
        }
    }
}
