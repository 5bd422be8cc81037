package io.ctxprobe.perf;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.ctxprobe.linux.Ioctl;
import io.ctxprobe.linux.Unistd;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One perf counter in counting mode on one thread (any CPU), enabled from the start. It counts
 * only that thread: open one per measured thread (inherit covers only threads created later).
 * Every read carries time_enabled and time_running so multiplexing is visible and can be scaled.
 */
public final class PerfCounter implements AutoCloseable {
    public static final long PERF_EVENT_IOC_ENABLE = 0x2400;
    public static final long PERF_EVENT_IOC_DISABLE = 0x2401;
    public static final long PERF_EVENT_IOC_RESET = 0x2403;

    /**
     * One read(2) with read_format TOTAL_TIME_ENABLED | TOTAL_TIME_RUNNING; both times are -1
     * for a counter opened {@link #openValueOnly value-only}.
     */
    public record Reading(long value, long timeEnabledNs, long timeRunningNs) {
        /** The value extrapolated to the whole enabled time; the raw value if it never ran. */
        public long scaled() {
            if (timeRunningNs <= 0 || timeRunningNs >= timeEnabledNs) {
                return value;
            }
            return Math.round(value * ((double) timeEnabledNs / timeRunningNs));
        }

        /** Whether the counter shared the PMU with others (then {@link #scaled()} differs from value). */
        public boolean multiplexed() {
            return timeRunningNs < timeEnabledNs;
        }
    }

    private final PerfEvent event;
    private final int fd;
    private final boolean withTimes;
    private boolean closed;

    private PerfCounter(PerfEvent event, int fd, boolean withTimes) {
        this.event = event;
        this.fd = fd;
        this.withTimes = withTimes;
    }

    /**
     * Opens {@code event} on thread {@code tid} (0 = the calling thread), counting user and kernel
     * mode. Throws LinuxException from perf_event_open on failure.
     */
    public static PerfCounter open(PerfEvent event, int tid) {
        return new PerfCounter(event, openFd(event, tid, 0, PerfEventAttr.TIMES), true);
    }

    /**
     * Opens with read_format 0, so that one read(2) returns a single u64: the form libctxprobe's
     * hot loops read (ctxprobe_pingpong_set_counter_fd). A read(2) of 8 bytes on a counter with
     * times fails with ENOSPC, so fds handed to C must be opened here. {@link #read()} then
     * reports the times as -1 (not read, not zero).
     */
    public static PerfCounter openValueOnly(PerfEvent event, int tid) {
        return new PerfCounter(event, openFd(event, tid, 0, 0), false);
    }

    /**
     * Opens with extra attr flags (e.g. {@link PerfEventAttr#EXCLUDE_KERNEL} for a hardware event
     * on a paranoid host). Refuses exclude_kernel for software events: they would count 0.
     */
    public static PerfCounter open(PerfEvent event, int tid, long flags) {
        if (event.kind() == PerfEvent.Kind.SOFTWARE && (flags & PerfEventAttr.EXCLUDE_KERNEL) != 0) {
            throw new IllegalArgumentException(event.displayName()
                    + " happens in the kernel: opened with exclude_kernel=1 it would count 0");
        }
        return new PerfCounter(event, openFd(event, tid, flags, PerfEventAttr.TIMES), true);
    }

    /** Opened enabled, alone; throws LinuxException (no ladder: the caller asked for exactly this). */
    static int openFd(PerfEvent event, int tid, long flags, long readFormat) {
        return PerfOpenLadder.openFd(event.type(), event.config(), flags, readFormat, tid, -1);
    }

    public PerfEvent event() {
        return event;
    }

    public int fd() {
        return fd;
    }

    public Reading read() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(JAVA_LONG, withTimes ? 3 : 1);
            long n = Unistd.read(fd, buf, buf.byteSize());
            if (n != buf.byteSize()) {
                throw new IllegalStateException("short read from perf fd " + fd + ": " + n + " bytes");
            }
            if (!withTimes) {
                return new Reading(buf.getAtIndex(JAVA_LONG, 0), -1, -1);
            }
            return new Reading(buf.getAtIndex(JAVA_LONG, 0), buf.getAtIndex(JAVA_LONG, 1), buf.getAtIndex(JAVA_LONG, 2));
        }
    }

    public void reset() {
        Ioctl.ioctl(fd, PERF_EVENT_IOC_RESET, 0);
    }

    public void enable() {
        Ioctl.ioctl(fd, PERF_EVENT_IOC_ENABLE, 0);
    }

    public void disable() {
        Ioctl.ioctl(fd, PERF_EVENT_IOC_DISABLE, 0);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Unistd.close(fd);
        }
    }

    @Override
    public String toString() {
        return event.displayName() + " (fd " + fd + ")";
    }
}
