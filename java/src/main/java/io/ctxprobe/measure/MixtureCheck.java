package io.ctxprobe.measure;

import java.util.Arrays;
import java.util.Locale;

/**
 * Whether a case's batches describe one figure or a mixture, and what to do about it: the decision
 * every shared measurement path (in-thread loops, ping-pongs, creation loops) takes after its batches.
 *
 * <p>Rule: the relative spread is (p95 − p5) / median of the batch values. Up to
 * {@value #MAX_RELATIVE_SPREAD} the median stands ({@link Action#ACCEPT}). Above it, a case that has
 * not yet run {@value #EXTENSION_FACTOR}x its planned batches runs the rest ({@link Action#EXTEND}) —
 * where its deadline allows, and if it was planned with at least {@link #MIN_BATCHES_TO_EXTEND} — so a
 * rare regime shows its share instead of tipping the median. After
 * that, a spread still above the bound with two or more {@link Modes} is a mixture
 * ({@link Action#FLAG_MIXED}: flagged, the modes reported); with one mode it is a wide but single
 * distribution, a tail ({@link Action#ACCEPT_WIDE}: a note, not a flag). The test is scale-free, so
 * it may run on raw batch times as well as on values in the case's unit.
 *
 * @param relativeSpread (p95 − p5) / median of the batches so far
 * @param modes          the batches' modes (one for a clean case)
 * @param action         what the measurement path does next
 * @param extraBatches   for {@link Action#EXTEND}, how many more batches; else 0
 */
public record MixtureCheck(double relativeSpread, Modes modes, Action action, int extraBatches) {

    /** Above this relative spread a case is extended, then (if still multimodal) flagged. */
    public static final double MAX_RELATIVE_SPREAD = 0.3;
    /** A wide case may run up to this many times its planned batches. */
    public static final int EXTENSION_FACTOR = 2;
    /**
     * Fewer planned batches are never extended: even doubled they are too few for {@link Modes} to
     * tell two groups apart (it needs {@value Modes#MIN_SAMPLES}), so more batches would only cost time.
     */
    public static final int MIN_BATCHES_TO_EXTEND = (Modes.MIN_SAMPLES + EXTENSION_FACTOR - 1) / EXTENSION_FACTOR;

    public enum Action { ACCEPT, EXTEND, FLAG_MIXED, ACCEPT_WIDE }

    /**
     * The decision for {@code values} (one per batch measured so far) of a case planned at
     * {@code plannedBatches}; {@code mayExtend} false when the case's deadline leaves no room.
     */
    public static MixtureCheck of(double[] values, int plannedBatches, boolean mayExtend) {
        if (values.length == 0) throw new IllegalArgumentException("no batches to check");
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double median = Stats.percentile(sorted, 50);
        double spread = median > 0 ? (Stats.percentile(sorted, 95) - Stats.percentile(sorted, 5)) / median : 0;
        Modes modes = Modes.of(values);
        if (!(spread > MAX_RELATIVE_SPREAD)) return new MixtureCheck(spread, modes, Action.ACCEPT, 0);
        int room = EXTENSION_FACTOR * plannedBatches - values.length;
        if (mayExtend && room > 0 && plannedBatches >= MIN_BATCHES_TO_EXTEND) return new MixtureCheck(spread, modes, Action.EXTEND, room);
        return new MixtureCheck(spread, modes, modes.multimodal() ? Action.FLAG_MIXED : Action.ACCEPT_WIDE, 0);
    }

    /** The same for batch times in ns (any unit works: the test is scale-free). */
    public static MixtureCheck ofBatchNs(long[] wallNs, int plannedBatches, boolean mayExtend) {
        return of(Arrays.stream(wallNs).asDoubleStream().toArray(), plannedBatches, mayExtend);
    }

    /** "(p95 - p5)/median 0.45 > 0.3". */
    public String spreadText() {
        return String.format(Locale.ROOT, "(p95 - p5)/median %.3g %s %.1f", relativeSpread,
                relativeSpread > MAX_RELATIVE_SPREAD ? ">" : "<=", MAX_RELATIVE_SPREAD);
    }

    /** The flag's reason for a mixture: "mixed: 2 modes: 2.51 (48%), 5.02 (52%) (in ns per batch...)". */
    public String mixedReason() {
        return "mixed: the batches fall into " + modes.describe() + " [" + spreadText() + " after extension]";
    }
}
