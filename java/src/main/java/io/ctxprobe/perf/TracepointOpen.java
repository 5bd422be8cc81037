package io.ctxprobe.perf;

import io.ctxprobe.host.HostFiles;
import io.ctxprobe.linux.Errno;
import io.ctxprobe.linux.Ioctl;
import io.ctxprobe.linux.LinuxException;
import io.ctxprobe.linux.Unistd;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Opens one tracepoint on one CPU (every task there: pid -1), in counting or sampling mode, with an
 * optional kernel-side filter. CPU-wide rather than per task because a per-task event is scheduled
 * out before the kernel switches address space (perf_event_task_sched_out runs in
 * prepare_task_switch, switch_mm after it): it would miss exactly the task-switch tlb_flush events.
 * The filter then restricts counting to the measured tasks ({@code common_pid == 123 || ...}).
 * Needs CAP_PERFMON (root) where perf_event_paranoid > 0, and for raw samples wherever it is > -1.
 */
public final class TracepointOpen {

    /** _IOW('$', 6, char *): a filter string for a tracepoint event. */
    static final long PERF_EVENT_IOC_SET_FILTER = 0x40082406L;
    /** _IO('$', 5): send this event's records into another event's ring (same CPU). */
    static final long PERF_EVENT_IOC_SET_OUTPUT = 0x2405L;
    /** CLOCK_MONOTONIC: sample times comparable across CPUs and with the timed loops' clock. */
    static final int CLOCK_MONOTONIC = 1;

    /** A tracepoint perf will not give: the reason, ready for a skip. */
    public static final class RefusedException extends RuntimeException {
        public RefusedException(String message) {
            super(message);
        }
    }

    private TracepointOpen() {}

    /** Counting: each event once, read_format with both times. Opened disabled. */
    public static int counting(TracepointFormat tp, int cpu, String filter) {
        return open(tp, -1, cpu, -1, filter, false, false);
    }

    /** Counting as a member of {@code leader}'s group on the same CPU: enabled and disabled with it. */
    public static int counting(TracepointFormat tp, int cpu, int leader, String filter) {
        return open(tp, -1, cpu, leader, filter, false, false);
    }

    /**
     * Counting on task {@code pid} and every task it creates later (inherit), any CPU, enabled at
     * once: what {@code perf stat -e category:name -- program} counts. It counts a task-switch
     * tlb_flush only when the tasks on both sides of the switch carry the same inherited counters
     * (perf then keeps them scheduled in across the switch): open it before the task forks or
     * creates threads. The probes use the CPU-wide form.
     */
    public static int countingInherited(TracepointFormat tp, int pid, String filter) {
        return open(tp, pid, -1, -1, filter, false, true);
    }

    /**
     * Sampling every event (period 1) with PERF_SAMPLE_TID | TIME | CPU | RAW, times on
     * CLOCK_MONOTONIC. Opened disabled; map it with {@link PerfRingBuffer#map} or redirect it with
     * {@link #setOutput}.
     */
    public static int sampling(TracepointFormat tp, int cpu, String filter) {
        return open(tp, -1, cpu, -1, filter, true, false);
    }

    /** Sampling as a member of {@code leader}'s group on the same CPU: enabled and disabled with it. */
    public static int sampling(TracepointFormat tp, int cpu, int leader, String filter) {
        return open(tp, -1, cpu, leader, filter, true, false);
    }

    /**
     * One perf_event_open. A group leader (and a lone event) opens disabled; a member opens enabled
     * and counts while its leader does (perf_event_open(2)); an inherited event counts at once.
     */
    private static int open(TracepointFormat tp, int pid, int cpu, int leader, String filter, boolean sample, boolean inherit) {
        int fd;
        try (Arena arena = Arena.ofConfined()) {
            // Every event on CLOCK_MONOTONIC: the kernel refuses a group whose members' clocks differ.
            long flags = (inherit || leader >= 0 ? 0 : PerfEventAttr.DISABLED) | (inherit ? PerfEventAttr.INHERIT : 0)
                    | PerfEventAttr.USE_CLOCKID;
            MemorySegment attr = PerfEventAttr.counting(arena, PerfEvent.Type.TRACEPOINT, tp.id(), flags);
            if (sample) {
                PerfEventAttr.SAMPLE_PERIOD.set(attr, 0L, 1L);
                PerfEventAttr.SAMPLE_TYPE.set(attr, 0L, PerfRecords.TRACEPOINT_SAMPLE);
                PerfEventAttr.READ_FORMAT.set(attr, 0L, 0L);
            }
            PerfEventAttr.CLOCKID.set(attr, 0L, CLOCK_MONOTONIC);
            fd = (int) Unistd.syscall(Unistd.SYS_PERF_EVENT_OPEN, attr.address(), pid, cpu, leader, PerfOpenLadder.PERF_FLAG_FD_CLOEXEC);
        } catch (LinuxException e) {
            throw refused(tp, pid >= 0 ? "task " + pid : "CPU " + cpu, sample, e.errno());
        }
        if (filter != null) {
            try (Arena arena = Arena.ofConfined()) {
                Ioctl.ioctl(fd, PERF_EVENT_IOC_SET_FILTER, arena.allocateFrom(filter).address());
            } catch (LinuxException e) {
                Unistd.close(fd);
                throw new IllegalArgumentException("tracepoint " + tp.name() + ": filter '" + filter + "' refused ("
                        + e.errnoName() + ")", e);
            }
        }
        return fd;
    }

    /** Sends {@code fd}'s records into the ring of {@code target} (both on the same CPU). */
    public static void setOutput(int fd, int target) {
        Ioctl.ioctl(fd, PERF_EVENT_IOC_SET_OUTPUT, target);
    }

    private static RefusedException refused(TracepointFormat tp, String where, boolean sample, int errno) {
        String what = "tracepoint " + tp.name() + " on " + where + (sample ? " (sampling raw data)" : " (counting)");
        if (errno == Errno.EACCES || errno == Errno.EPERM) {
            return new RefusedException(what + ": not permitted (" + Errno.name(errno) + ", perf_event_paranoid="
                    + PerfAvailability.readParanoid(HostFiles.live()).stream().mapToObj(String::valueOf).findFirst().orElse("?")
                    + "): tracepoints on a whole CPU" + (sample ? " with raw data" : "")
                    + " need root or CAP_PERFMON");
        }
        return new RefusedException(what + ": " + PerfOpenLadder.classify(PerfEvent.Kind.TRACEPOINT, errno,
                PerfAvailability.readParanoid(HostFiles.live())).text());
    }

    /** One read of a counting fd: the count (times are read but a tracepoint is never multiplexed). */
    public static long readCount(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(java.lang.foreign.ValueLayout.JAVA_LONG, 3);
            long n = Unistd.read(fd, buf, buf.byteSize());
            if (n != buf.byteSize()) throw new IllegalStateException("short read from tracepoint fd " + fd + ": " + n + " bytes");
            return buf.getAtIndex(java.lang.foreign.ValueLayout.JAVA_LONG, 0);
        }
    }

    /** Enables a group at once through its leader (PERF_IOC_FLAG_GROUP), or a lone event. */
    public static void enable(int leader) {
        Ioctl.ioctl(leader, PerfCounter.PERF_EVENT_IOC_ENABLE, PerfCounterGroup.PERF_IOC_FLAG_GROUP);
    }

    public static void disable(int leader) {
        Ioctl.ioctl(leader, PerfCounter.PERF_EVENT_IOC_DISABLE, PerfCounterGroup.PERF_IOC_FLAG_GROUP);
    }
}
