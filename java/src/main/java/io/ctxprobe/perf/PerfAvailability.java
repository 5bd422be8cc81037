package io.ctxprobe.perf;

import io.ctxprobe.linux.Errno;
import io.ctxprobe.linux.LinuxException;
import io.ctxprobe.linux.Unistd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * What this host lets us open, found by opening (and closing) one event of each class — the
 * only reliable test: paranoid levels, seccomp, missing PMUs and LSMs all answer differently.
 *
 * @param software  context-switches on the calling thread, exclude_kernel=0
 * @param hardware  cycles: exclude_kernel=0, then exclude_kernel=1 after EACCES/EPERM
 * @param paranoid  /proc/sys/kernel/perf_event_paranoid, absent if unreadable
 */
public record PerfAvailability(ClassStatus software, ClassStatus hardware, OptionalInt paranoid) {

    public static final Path PARANOID = Path.of("/proc/sys/kernel/perf_event_paranoid");

    public enum Status {
        OPEN, NO_PMU, NOT_PERMITTED, UNSUPPORTED, ERROR
    }

    /**
     * @param errnoName the errno that decided the status ("" when OPEN)
     * @param text      one line for people, naming the errno and, where there is one, the fix
     */
    public record ClassStatus(Status status, String errnoName, String text) {
        public boolean open() {
            return status == Status.OPEN;
        }
    }

    public static PerfAvailability probe() {
        OptionalInt paranoid = readParanoid(PARANOID);
        return new PerfAvailability(probeSoftware(paranoid), probeHardware(paranoid), paranoid);
    }

    static ClassStatus probeSoftware(OptionalInt paranoid) {
        // Only exclude_kernel=0 is tried: a software count opened with exclude_kernel=1 is 0,
        // so "open but useless" must read as not permitted.
        int errno = tryOpen(PerfEvent.CONTEXT_SWITCHES, 0);
        if (errno == 0) {
            return new ClassStatus(Status.OPEN, "", "software events open (exclude_kernel=0)");
        }
        return classify(PerfEvent.Kind.SOFTWARE, errno, paranoid);
    }

    static ClassStatus probeHardware(OptionalInt paranoid) {
        // Step 1: count user and kernel mode, as for software events.
        int errno = tryOpen(PerfEvent.CYCLES, 0);
        if (errno == 0) {
            return new ClassStatus(Status.OPEN, "", "hardware events open (exclude_kernel=0)");
        }
        // Step 2: EACCES/EPERM comes before the kernel looks the event up, so it says nothing
        // about a PMU; user mode only is allowed at paranoid 2, and then ENOENT means no PMU.
        if (errno == Errno.EACCES || errno == Errno.EPERM) {
            int userOnly = tryOpen(PerfEvent.CYCLES, PerfEventAttr.EXCLUDE_KERNEL);
            if (userOnly == 0) {
                return new ClassStatus(Status.OPEN, "", "hardware events open in user mode only (exclude_kernel=1; "
                        + Errno.name(errno) + " with kernel mode" + paranoidText(paranoid) + ")");
            }
            errno = userOnly;
        }
        return classify(PerfEvent.Kind.HARDWARE, errno, paranoid);
    }

    /** Turns a failed open's errno into a status and a line naming the errno (pure: tested on fixtures). */
    static ClassStatus classify(PerfEvent.Kind kind, int errno, OptionalInt paranoid) {
        String name = Errno.name(errno);
        String what = kind == PerfEvent.Kind.SOFTWARE ? "software events" : "hardware events";
        return switch (errno) {
            case Errno.ENOENT, Errno.EOPNOTSUPP, Errno.ENODEV -> kind == PerfEvent.Kind.HARDWARE
                    ? new ClassStatus(Status.NO_PMU, name, "no hardware PMU (" + name + ")")
                    : new ClassStatus(Status.UNSUPPORTED, name, what + " not supported by this kernel (" + name + ")");
            case Errno.EACCES, Errno.EPERM -> new ClassStatus(Status.NOT_PERMITTED, name,
                    "not permitted (" + name + ")" + paranoidText(paranoid)
                            + "; try sysctl kernel.perf_event_paranoid=1 or run as root"
                            + (errno == Errno.EPERM ? " (EPERM may also come from a seccomp filter)" : ""));
            case Errno.ENOSYS -> new ClassStatus(Status.UNSUPPORTED, name,
                    "perf_event_open is not available (" + name + "): kernel without CONFIG_PERF_EVENTS or filtered");
            default -> new ClassStatus(Status.ERROR, name, what + ": perf_event_open failed: "
                    + Errno.message(errno) + " (" + name + ")");
        };
    }

    private static String paranoidText(OptionalInt paranoid) {
        return paranoid.isPresent() ? ": perf_event_paranoid=" + paranoid.getAsInt() : "";
    }

    /** 0 if the event opened (and was closed again), else the errno, saved before anything else. */
    private static int tryOpen(PerfEvent event, long flags) {
        int fd;
        try {
            fd = PerfCounter.openFd(event, 0, flags, PerfEventAttr.TIMES);
        } catch (LinuxException e) {
            return e.errno();
        }
        Unistd.close(fd);
        return 0;
    }

    static OptionalInt readParanoid(Path file) {
        try {
            return parseParanoid(Files.readString(file));
        } catch (IOException e) {
            return OptionalInt.empty();
        }
    }

    /** The file's one integer (may be negative); absent if empty or not a number. */
    static OptionalInt parseParanoid(String text) {
        try {
            return OptionalInt.of(Integer.parseInt(text.strip()));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }
}
