package io.ctxprobe.probes.switching;

import io.ctxprobe.linux.LinuxException;
import io.ctxprobe.linux.NativePingPong;

import java.util.Map;
import java.util.Optional;

/**
 * Words for a partner process that ended in the middle of a case (process.switch, ipc.latency,
 * tlb.switch): "partner killed by signal 9 (SIGKILL) after 1234 measured round trips" instead of
 * the EPIPE the surviving side saw. The facts come from libctxprobe's partner watch (how the child
 * ended, the moment it did) and the partner's own round-trip count.
 */
public final class PartnerEnd {

    /** Signal numbers of x86-64 Linux (signal(7)); others are shown by number only. */
    private static final Map<Integer, String> SIGNALS = Map.ofEntries(Map.entry(1, "SIGHUP"), Map.entry(2, "SIGINT"),
            Map.entry(3, "SIGQUIT"), Map.entry(4, "SIGILL"), Map.entry(5, "SIGTRAP"), Map.entry(6, "SIGABRT"),
            Map.entry(7, "SIGBUS"), Map.entry(8, "SIGFPE"), Map.entry(9, "SIGKILL"), Map.entry(10, "SIGUSR1"),
            Map.entry(11, "SIGSEGV"), Map.entry(12, "SIGUSR2"), Map.entry(13, "SIGPIPE"), Map.entry(14, "SIGALRM"),
            Map.entry(15, "SIGTERM"), Map.entry(24, "SIGXCPU"), Map.entry(25, "SIGXFSZ"), Map.entry(31, "SIGSYS"));

    private PartnerEnd() {}

    /** A case ended by its partner's death: the message says how, and after how many round trips. */
    public static final class PartnerDied extends IllegalStateException {
        private final NativePingPong.ChildEnd end;

        public PartnerDied(String message, NativePingPong.ChildEnd end, Throwable cause) {
            super(message, cause);
            this.end = end;
        }

        public NativePingPong.ChildEnd end() {
            return end;
        }
    }

    /** "SIGKILL" for 9; "signal 64" for one without a name here. */
    public static String signalName(int signal) {
        return SIGNALS.getOrDefault(signal, "signal " + signal);
    }

    /** "partner killed by signal 9 (SIGKILL) after N <roundTrips>", or "partner exited with status S after ...". */
    public static String describe(NativePingPong.ChildEnd end, long roundTrips, String roundTripsWhat) {
        String how = end.signal() != 0
                ? "partner killed by signal " + end.signal() + " (" + signalName(end.signal()) + ")"
                : "partner exited with status " + end.exitCode();
        return how + " after " + roundTrips + " " + roundTripsWhat;
    }

    /** Whether the partner ended on its own account (a signal or a non-zero exit), not because it was stopped. */
    public static boolean abnormal(NativePingPong.ChildEnd end) {
        return end.signal() != 0 || end.exitCode() != 0;
    }

    /**
     * What a ping-pong run whose join failed should throw: the partner's death in words where the
     * forked side died, else the original error.
     */
    static RuntimeException of(NativePingPong pp, LinuxException failure) {
        Optional<NativePingPong.ChildEnd> end = pp.childEnd(NativePingPong.PONG);
        if (end.isEmpty() || !abnormal(end.get())) return failure;
        return new PartnerDied(describe(end.get(), pp.roundTrips(NativePingPong.PONG), "measured round trips"), end.get(),
                failure);
    }
}
