package io.ctxprobe.perf;

import io.ctxprobe.host.FileText;
import io.ctxprobe.host.HostFiles;
import io.ctxprobe.host.HostPaths;
import io.ctxprobe.linux.Unistd;
import java.util.OptionalInt;

/**
 * What this host lets us open, found by opening (and closing) one event of each class through
 * {@link PerfOpenLadder} — the only reliable test: paranoid levels, seccomp, missing PMUs and LSMs
 * all answer differently — in the wording the counter group uses.
 *
 * @param software  context-switches on the calling thread (the ladder's step 1 only)
 * @param hardware  cycles: exclude_kernel=0, then exclude_kernel=1 after EACCES/EPERM
 * @param paranoid  /proc/sys/kernel/perf_event_paranoid, absent if unreadable
 */
public record PerfAvailability(ClassStatus software, ClassStatus hardware, OptionalInt paranoid) {

    /**
     * One class's answer.
     *
     * @param errnoName the errno that decided the status ("" when OPEN)
     * @param text      one line for people: "open", "open; user-space only (...)", or the ladder's
     *                  reason naming the errno and, where there is one, the fix
     */
    public record ClassStatus(PerfOpenStatus status, String errnoName, String text) {
        public boolean open() {
            return status == PerfOpenStatus.OPEN;
        }

        static ClassStatus of(PerfOpenLadder.Outcome outcome) {
            return switch (outcome) {
                case PerfOpenLadder.Opened o -> new ClassStatus(PerfOpenStatus.OPEN, "", o.text());
                case PerfOpenLadder.Refused r -> new ClassStatus(r.status(), r.errnoName(), r.reason());
            };
        }
    }

    public static PerfAvailability probe() {
        OptionalInt paranoid = readParanoid(HostFiles.live());
        return new PerfAvailability(probeClass(PerfEvent.CONTEXT_SWITCHES, paranoid),
                probeClass(PerfEvent.CYCLES, paranoid), paranoid);
    }

    /** The ladder for one event, alone on the calling thread; an fd it opens is closed at once. */
    static ClassStatus probeClass(PerfEvent event, OptionalInt paranoid) {
        PerfOpenLadder.Outcome outcome = PerfOpenLadder.open(PerfEventSpec.of(event), 0, false, false, -1, paranoid);
        if (outcome instanceof PerfOpenLadder.Opened o) {
            Unistd.close(o.fd());
        }
        return ClassStatus.of(outcome);
    }

    /** perf_event_paranoid from {@code files} (the live host, or a fixture root in tests). */
    public static OptionalInt readParanoid(HostFiles files) {
        FileText text = files.read(HostPaths.PERF_EVENT_PARANOID);
        return text.ok() ? parseParanoid(String.join("\n", text.lines())) : OptionalInt.empty();
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
