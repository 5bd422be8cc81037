package io.ctxprobe.probes.sched;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns from two stamping timelines (sched.slice). Each side's timeline is a list of runs (start,
 * end): stretches of consecutive clock stamps. A gap in one timeline is not a turn of the other:
 * interrupts, kernel threads, third tasks and hypervisor steal open gaps too. So the two timelines
 * are interleaved: a turn of A is a maximal stretch in which only A's runs fall, from the first
 * stamp of its first run to the last stamp of its last; it ends where B's next run begins. A gap
 * between two runs of the same side inside a turn is "foreign". Only the window where both sides
 * recorded counts, and the first and last turns (cut by the window's edges) are dropped. A third
 * task shows as a long foreign gap, or as a long handoff between two turns.
 */
public final class Timelines {

    /** Foreign gaps at least this long are taken as a third task on the CPU (an interrupt is shorter). */
    public static final long SHARED_GAP_NS = 50_000;

    private Timelines() {}

    /** One turn: side 0 (A) or 1 (B), its first and last stamp. */
    public record Turn(int side, long startNs, long endNs) {
        public long lengthNs() {
            return endNs - startNs;
        }
    }

    /**
     * What interleaving found: complete turns, the number of side changes (every change is one
     * involuntary switch of the side that left), foreign gaps and their total time, the gaps (foreign
     * ones and handoffs between turns) of at least {@link #SHARED_GAP_NS}, and the window both sides
     * recorded.
     */
    public record Interleaving(List<Turn> turns, int changes, int foreignGaps, int sharedGaps, long foreignNs,
                               long windowNs) {

        public List<Turn> turnsOf(int side) {
            return turns.stream().filter(t -> t.side() == side).toList();
        }

        /** True when third tasks took a visible part of the CPU: long gaps in more than 5% of the changes. */
        public boolean cpuShared() {
            return sharedGaps * 20 > changes;
        }
    }

    /** runsA, runsB: (start, end) pairs in ns, each side's in time order. */
    public static Interleaving interleave(long[] runsA, long[] runsB) {
        if (runsA.length < 2 || runsB.length < 2 || runsA.length % 2 != 0 || runsB.length % 2 != 0) {
            return new Interleaving(List.of(), 0, 0, 0, 0, 0);
        }
        long lo = Math.max(runsA[0], runsB[0]);
        long hi = Math.min(runsA[runsA.length - 1], runsB[runsB.length - 1]);
        List<Turn> turns = new ArrayList<>();
        int i = 0, j = 0, side = -1, changes = 0, foreign = 0, shared = 0;
        long turnStart = 0, lastEnd = 0, foreignNs = 0;
        while (i < runsA.length || j < runsB.length) {
            int s = j >= runsB.length || (i < runsA.length && runsA[i] < runsB[j]) ? 0 : 1;
            long start = s == 0 ? runsA[i] : runsB[j];
            long end = s == 0 ? runsA[i + 1] : runsB[j + 1];
            if (s == 0) i += 2;
            else j += 2;
            if (start < lo || start > hi) continue;
            if (side == -1) {
                side = s;
                turnStart = start;
            } else if (s != side) {
                if (changes > 0) turns.add(new Turn(side, turnStart, lastEnd));   // the first turn began before the window
                if (start - lastEnd >= SHARED_GAP_NS) shared++;   // a third task ran between the two turns
                changes++;
                side = s;
                turnStart = start;
            } else {
                foreign++;
                long gap = start - lastEnd;
                foreignNs += gap;
                if (gap >= SHARED_GAP_NS) shared++;
            }
            lastEnd = end;
        }
        return new Interleaving(List.copyOf(turns), changes, foreign, shared, foreignNs, Math.max(0, hi - lo));
    }
}
