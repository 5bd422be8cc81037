package io.ctxprobe.probes.measurement;

import io.ctxprobe.measure.MixtureCheck;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.report.CaseResultBuilder;

import java.util.Arrays;

/**
 * The one way a shared measurement path extends a wide case (see {@link MixtureCheck}): ask after the
 * planned batches, run the extra batches only if they fit the case's deadline at the measured batch
 * time, and say so in the result.
 */
public final class Extension {

    private Extension() {}

    /** The decision after {@code wallNs} (the planned batches), with the case's deadline taken into account. */
    public static MixtureCheck decide(ProbeContext ctx, long caseStartedNs, long[] wallNs, int plannedBatches) {
        double meanBatchNs = Arrays.stream(wallNs).average().orElse(0);
        int room = MixtureCheck.EXTENSION_FACTOR * plannedBatches - wallNs.length;
        long projected = System.nanoTime() - caseStartedNs + (long) (room * meanBatchNs * 1.5);
        return MixtureCheck.ofBatchNs(wallNs, plannedBatches, projected <= ctx.options().caseDeadlineNs());
    }

    /** Records an extension that ran: the note and the planned batch count as a typed param. */
    public static void record(CaseResultBuilder result, MixtureCheck check, int plannedBatches) {
        result.param("extended-from-batches", plannedBatches)
                .note(String.format("extended from %d to %d batches: %s over the first %d", plannedBatches,
                        plannedBatches + check.extraBatches(), check.spreadText(), plannedBatches));
    }

    public static long[] concat(long[] a, long[] b) {
        long[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
