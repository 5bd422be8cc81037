package io.ctxprobe.probes.switching;

import io.ctxprobe.measure.SwitchCounts;

import java.util.ArrayList;
import java.util.List;

/**
 * What the kernel's counts must show for a ping-pong case to be what it claims — a pure function of
 * the counts, the placement and the mechanism, so that every flag can be fired on synthetic counts.
 *
 * <ul>
 * <li>A spinning handoff never blocks (voluntary switches per round trip at most
 *     {@value #MAX_SPIN_SLEEPS_PER_ROUND_TRIP}); and on one CPU it cannot hand over by itself at all:
 *     each handoff waits for the scheduler to preempt the spinner, so the figure is a time slice —
 *     flagged "not switching".</li>
 * <li>On one CPU a blocking or yielding round trip switches at least twice (getrusage on the timed
 *     round; perf on the counted round where it exists), and a blocking one sleeps at least once (the
 *     token comes back only after someone waited).</li>
 * <li>Across CPUs a blocking round trip sleeps at most {@link Mechanism#maxSleepsPerWait()} per wait
 *     (plus {@value #SLEEP_SLACK_PER_ROUND_TRIP} for the rare spurious wake-up); fewer is normal (a
 *     waiter that finds the token already there does not sleep).</li>
 * <li>Each side ran on its pinned CPU at the start and end of every round, and nothing migrated.</li>
 * </ul>
 */
final class PingPongValidation {

    /** A spinning handoff may be preempted by other work now and then (involuntary), but it never blocks. */
    static final double MAX_SPIN_SLEEPS_PER_ROUND_TRIP = 0.01;
    /** Slack over the mechanism's sleeps per round trip, for the rare spurious wake-up. */
    static final double SLEEP_SLACK_PER_ROUND_TRIP = 0.05;

    private PingPongValidation() {}

    /**
     * The counts of one case. {@code ranOn}: for each round (timed, then counted), each side's CPU at
     * [start, end]. {@code perfSwitches}/{@code migrations} are null where perf gave none (or there was
     * no counted round).
     */
    record Counts(Mechanism mechanism, int pingCpu, int pongCpu, long roundTrips, long voluntary, long involuntary,
                  Long perfSwitches, long countedRoundTrips, Long migrations, List<int[][]> ranOn, List<String> sideNames) {

        static Counts of(PingPongRound.Spec spec, List<SwitchCounts> timed, long roundTrips, List<SwitchCounts> counted,
                         long countedRoundTrips, List<int[][]> ranOn) {
            return new Counts(spec.mechanism(), spec.pair().first(), spec.pair().second(), roundTrips,
                    timed.stream().mapToLong(SwitchCounts::voluntary).sum(),
                    timed.stream().mapToLong(SwitchCounts::involuntary).sum(),
                    counted == null ? null : SwitchCounts.totalPerfSwitches(counted), countedRoundTrips,
                    counted == null ? null : SwitchCounts.totalMigrations(counted), ranOn,
                    List.of(spec.name(0), spec.name(1)));
        }

        boolean oneCpu() {
            return pingCpu == pongCpu;
        }
    }

    /** The note that shows the counts, and the flags (empty: the case is what it claims). */
    record Outcome(String note, List<String> flags) {}

    static Outcome validate(Counts c) {
        double perRoundTrip = (double) (c.voluntary() + c.involuntary()) / c.roundTrips();
        double sleepsPerRoundTrip = (double) c.voluntary() / c.roundTrips();
        double involuntaryPerRoundTrip = (double) c.involuntary() / c.roundTrips();
        Double perfPerRoundTrip = c.perfSwitches() == null || c.countedRoundTrips() <= 0 ? null
                : (double) c.perfSwitches() / c.countedRoundTrips();
        String note = String.format("%.3g context switches per round trip (%s; %.3g of them voluntary)%s", perRoundTrip,
                SwitchCounts.RUSAGE_SOURCE, sleepsPerRoundTrip,
                perfPerRoundTrip == null ? "" : String.format("; %.3g in the counted round (perf)", perfPerRoundTrip));
        List<String> flags = new ArrayList<>();
        Mechanism m = c.mechanism();
        if (m == Mechanism.SPIN) {
            // Being preempted by other work on a busy host is the host's noise (involuntary, in the counts).
            if (sleepsPerRoundTrip > MAX_SPIN_SLEEPS_PER_ROUND_TRIP) {
                flags.add(String.format("a spinning handoff must not block; the kernel counted %.3g voluntary switches per round trip",
                        sleepsPerRoundTrip));
            }
            if (c.oneCpu()) {
                flags.add(String.format("not switching: a spinning handoff never gives up the CPU, so on one CPU each handoff "
                        + "waited for the scheduler to preempt the spinner (%.3g involuntary switches per round trip): "
                        + "the figure is a time slice, not a handoff", involuntaryPerRoundTrip));
            }
        } else if (c.oneCpu()) {
            if (perRoundTrip < 2) {
                flags.add(String.format("not switching: a round trip on one CPU must switch at least twice; getrusage counted %.3g",
                        perRoundTrip));
            }
            if (perfPerRoundTrip != null && perfPerRoundTrip < 2) {
                flags.add(String.format("not switching: a round trip on one CPU must switch at least twice; perf counted %.3g",
                        perfPerRoundTrip));
            }
            if (m.blocking() && sleepsPerRoundTrip < 1) {
                flags.add(String.format("not sleeping: a blocking round trip on one CPU must sleep at least once; getrusage "
                        + "counted %.3g voluntary switches per round trip", sleepsPerRoundTrip));
            }
        } else if (m.blocking() && sleepsPerRoundTrip > 2 * m.maxSleepsPerWait() + SLEEP_SLACK_PER_ROUND_TRIP) {
            flags.add(String.format("%.3g sleeps per round trip: more than %d per wait", sleepsPerRoundTrip, m.maxSleepsPerWait()));
        }
        int[] expected = {c.pingCpu(), c.pongCpu()};
        for (int[][] round : c.ranOn()) {
            for (int side = 0; side < 2; side++) {
                if (round[side][0] != expected[side] || round[side][1] != expected[side]) {
                    flags.add(String.format("%s was pinned to CPU %d but ran on CPU %d/%d (start/end)",
                            c.sideNames().get(side), expected[side], round[side][0], round[side][1]));
                }
            }
        }
        if (c.migrations() != null && c.migrations() > 0) flags.add(c.migrations() + " CPU migrations while pinned (counted round)");
        return new Outcome(note, flags);
    }
}
