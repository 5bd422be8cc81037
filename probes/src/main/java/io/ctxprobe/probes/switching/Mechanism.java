package io.ctxprobe.probes.switching;

import io.ctxprobe.linux.CtxprobeLib;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How the two sides of a ping-pong wait for the token and hand it over (ctxprobe.h CTXPROBE_MECH_*).
 * The first four are the switch mechanisms of thread.switch and process.switch; SPIN never enters
 * the kernel (cache.c2c, fiber migration).
 */
public enum Mechanism {
    FUTEX(CtxprobeLib.MECH_FUTEX, true, "FUTEX_WAIT/FUTEX_WAKE on one shared word"),
    PIPE(CtxprobeLib.MECH_PIPE, true, "a pipe per direction: 1-byte write, blocking read"),
    EVENTFD(CtxprobeLib.MECH_EVENTFD, true, "an eventfd per direction: write 1, blocking read"),
    YIELD(CtxprobeLib.MECH_YIELD, false, "the shared word polled with sched_yield(), both sides SCHED_FIFO"),
    SPIN(CtxprobeLib.MECH_SPIN, false, "the shared word polled with pause only: no system call"),
    /** ipc.latency's unix-socket channel; not a switch mechanism (not in {@link #switchMechanisms()}). */
    UNIX(CtxprobeLib.MECH_UNIX, true, "a socketpair(AF_UNIX, SOCK_STREAM): 1-byte send, blocking recv");

    private final int code;
    private final boolean blocking;
    private final String what;

    Mechanism(int code, boolean blocking, String what) {
        this.code = code;
        this.blocking = blocking;
        this.what = what;
    }

    public int code() {
        return code;
    }

    /** A waiter sleeps in the kernel until woken (futex, pipe, eventfd), rather than polling. */
    public boolean blocking() {
        return blocking;
    }

    /**
     * How many times one blocking wait may sleep. Once for futex, pipe and eventfd. A unix socket
     * pair is one socket per end for both directions: when the partner reads, the freed send space
     * wakes this end's wait queue too, so a wait for the reply can end early and sleep again.
     */
    public int maxSleepsPerWait() {
        return this == UNIX ? 2 : 1;
    }

    public String what() {
        return what;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mechanisms a switch probe runs: every one but SPIN (spinning is cache.c2c's subject). */
    public static List<Mechanism> switchMechanisms() {
        return List.of(FUTEX, PIPE, EVENTFD, YIELD);
    }

    public static List<String> switchLabels() {
        return switchMechanisms().stream().map(Mechanism::label).toList();
    }

    public static Mechanism of(String label) {
        return Arrays.stream(values()).filter(m -> m.label().equals(label)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown mechanism '" + label + "'"));
    }
}
