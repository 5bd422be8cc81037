package io.ctxprobe.perf;

import io.ctxprobe.linux.Errno;
import io.ctxprobe.linux.LinuxException;
import io.ctxprobe.linux.Unistd;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.OptionalInt;

/**
 * The one place that opens a counting event and, when it will not open, says why: the fallback
 * ladder of async-profiler's {@code perfEvents_linux.cpp}, used by {@link PerfAvailability} (one
 * event of each class, opened and closed) and by {@link PerfCounterGroup} (every asked-for event).
 * <ol>
 * <li>as asked (in the group, or alone), exclude_kernel=0: software events and tracepoints are only
 *     ever tried so, since a software event opened with exclude_kernel=1 counts 0;</li>
 * <li>hardware only, after EACCES/EPERM: again with exclude_kernel=1. EACCES comes before the kernel
 *     looks the event up, so only this answer tells "no PMU" (ENOENT) from "not permitted"; what
 *     opens is labelled user-space only;</li>
 * <li>in a group only, after EINVAL (the group cannot hold it, or read_format GROUP is refused, e.g.
 *     with inherit on some kernels): the same event alone, with its own enabled/running times.</li>
 * </ol>
 * Each step saves the errno before anything else (it travels in LinuxException, captured at the
 * call). A step that fails has opened nothing, so the ladder never leaves an fd behind; a caller
 * opening several events closes the ones already open when a later one throws.
 */
public final class PerfOpenLadder {
    private PerfOpenLadder() {}

    /** PERF_FLAG_FD_CLOEXEC: a forked child must not inherit our counters. */
    static final long PERF_FLAG_FD_CLOEXEC = 8;
    static final long GROUP_FORMAT = PerfEventAttr.FORMAT_GROUP | PerfEventAttr.TIMES;

    /** The ladder's answer for one event. */
    public sealed interface Outcome permits Opened, Refused {}

    /**
     * An open fd. {@code note} is null for a plain open, else one line saying how it differs
     * ("user-space only (exclude_kernel=1): ...", "alone: ...").
     */
    public record Opened(int fd, boolean inGroup, boolean userOnly, String note) implements Outcome {
        /** "open", or "open; &lt;note&gt;": the availability listing's wording. */
        public String text() {
            return note == null ? "open" : "open; " + note;
        }
    }

    /** Not opened: the status, the errno that decided it (0 when never tried) and the reason for people. */
    public record Refused(PerfOpenStatus status, int errno, String reason) implements Outcome {
        /** The errno's name ("ENOENT"); "" when the event was never tried. */
        public String errnoName() {
            return errno == 0 ? "" : Errno.name(errno);
        }

        /** "not permitted (...)" as it is, anything else as "unavailable: &lt;reason&gt;". */
        public String text() {
            return status == PerfOpenStatus.NOT_PERMITTED ? reason : "unavailable: " + reason;
        }
    }

    /**
     * Runs the ladder for {@code spec} on task {@code tid} (0 = the calling thread), any CPU.
     * {@code group}: open into a group whose leader is {@code leader} (-1: this event would lead it);
     * {@code inherit}: also count threads the task creates later. Opened disabled unless it joins an
     * existing leader (members follow the leader's enable).
     */
    public static Outcome open(PerfEventSpec spec, int tid, boolean inherit, boolean group, int leader,
            OptionalInt paranoid) {
        // Step 1: as asked, counting kernel and user mode.
        int rc = tryOpen(spec, tid, inherit, group, leader, 0);
        if (rc >= 0) {
            return new Opened(rc, group, false, null);
        }
        int errno = -rc;
        long flags = 0;
        String userOnly = null;
        // Step 2: hardware refused for permission: user mode only (allowed at paranoid 2).
        if (spec.kind() == PerfEvent.Kind.HARDWARE && permission(errno)) {
            userOnly = "user-space only (exclude_kernel=1): kernel mode not permitted (" + Errno.name(errno) + ")"
                    + paranoidText(paranoid);
            rc = tryOpen(spec, tid, inherit, group, leader, PerfEventAttr.EXCLUDE_KERNEL);
            if (rc >= 0) {
                return new Opened(rc, group, true, userOnly);
            }
            if (permission(-rc)) {
                userOnly = null;              // refused either way: the first answer stands
            } else {
                errno = -rc;                  // ENOENT here means no PMU; EINVAL goes on to step 3
                flags = PerfEventAttr.EXCLUDE_KERNEL;
            }
        }
        // Step 3: the group cannot hold it: alone, own fd and own times.
        if (group && errno == Errno.EINVAL) {
            rc = tryOpen(spec, tid, inherit, false, -1, flags);
            if (rc >= 0) {
                String alone = "alone: the group refused it (EINVAL)";
                return new Opened(rc, false, userOnly != null, userOnly == null ? alone : alone + "; " + userOnly);
            }
            errno = -rc;
        }
        return classify(spec.kind(), errno, paranoid);
    }

    /** An event that is not even tried (a tracepoint tracefs does not list). */
    public static Refused notFound(String reason) {
        return new Refused(PerfOpenStatus.NOT_FOUND, 0, reason);
    }

    /**
     * A failed open's errno as a status and a reason naming it, and the fix where there is one: the
     * one wording of every perf refusal (pure: tested on numbers).
     */
    public static Refused classify(PerfEvent.Kind kind, int errno, OptionalInt paranoid) {
        String name = Errno.name(errno);
        return switch (errno) {
            case Errno.ENOENT, Errno.EOPNOTSUPP, Errno.ENODEV -> kind == PerfEvent.Kind.HARDWARE
                    ? new Refused(PerfOpenStatus.NO_PMU, errno, "no hardware PMU (" + name + ")")
                    : new Refused(PerfOpenStatus.UNSUPPORTED, errno, "not supported by this kernel (" + name + ")");
            case Errno.EACCES, Errno.EPERM -> new Refused(PerfOpenStatus.NOT_PERMITTED, errno,
                    "not permitted (" + name + ")" + paranoidText(paranoid)
                            + (kind == PerfEvent.Kind.TRACEPOINT ? " (tracepoints need root or CAP_PERFMON below -1)" : "")
                            + "; try sysctl kernel.perf_event_paranoid=1 or run as root"
                            + (errno == Errno.EPERM ? " (EPERM may also come from a seccomp filter)" : ""));
            case Errno.ENOSYS -> new Refused(PerfOpenStatus.UNSUPPORTED, errno,
                    "perf_event_open is not available (" + name + "): kernel without CONFIG_PERF_EVENTS or filtered");
            default -> new Refused(PerfOpenStatus.ERROR, errno,
                    "perf_event_open failed: " + Errno.message(errno) + " (" + name + ")");
        };
    }

    private static boolean permission(int errno) {
        return errno == Errno.EACCES || errno == Errno.EPERM;
    }

    private static String paranoidText(OptionalInt paranoid) {
        return paranoid.isPresent() ? ": perf_event_paranoid=" + paranoid.getAsInt() : "";
    }

    /** One rung: the fd, or -errno (saved at the call, before anything else runs). */
    private static int tryOpen(PerfEventSpec spec, int tid, boolean inherit, boolean group, int leader, long flags) {
        boolean follows = group && leader >= 0;
        long attrFlags = flags | (inherit ? PerfEventAttr.INHERIT : 0) | (follows ? 0 : PerfEventAttr.DISABLED);
        try {
            return openFd(spec.type(), spec.config(), attrFlags, group ? GROUP_FORMAT : PerfEventAttr.TIMES, tid,
                    follows ? leader : -1);
        } catch (LinuxException e) {
            return -e.errno();
        }
    }

    /* int perf_event_open(struct perf_event_attr *attr, pid_t pid, int cpu, int group_fd,
     *                     unsigned long flags);   (no glibc wrapper: syscall(SYS_perf_event_open))
     * The one perf_event_open call of ctxprobe; throws LinuxException carrying the errno. */
    static int openFd(int type, long config, long attrFlags, long readFormat, int tid, int groupFd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = PerfEventAttr.counting(arena, type, config, attrFlags);
            PerfEventAttr.READ_FORMAT.set(attr, 0L, readFormat);
            return (int) Unistd.syscall(Unistd.SYS_PERF_EVENT_OPEN, attr.address(), tid, -1, groupFd,
                    PERF_FLAG_FD_CLOEXEC);
        }
    }
}
