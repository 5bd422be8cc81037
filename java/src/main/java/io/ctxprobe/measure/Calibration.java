package io.ctxprobe.measure;

/**
 * Sizes a batch so it dwarfs the timer: from a pilot's cost per operation, the number of operations
 * that fills {@code targetBatchNs}, clamped to [minOps, maxOps]. A batch of 1 ms against a 30 ns
 * clock read leaves the timer 0.003% of the figure; the chosen ratio is recorded in each result.
 */
public final class Calibration {

    private Calibration() {}

    public static long opsFor(double pilotNsPerOp, long targetBatchNs, long minOps, long maxOps) {
        if (minOps <= 0 || maxOps < minOps) throw new IllegalArgumentException("bad ops range " + minOps + ".." + maxOps);
        if (!(pilotNsPerOp > 0)) return minOps;   // a pilot too fast to see: the smallest batch is still safe
        double ops = targetBatchNs / pilotNsPerOp;
        return Math.max(minOps, Math.min(maxOps, (long) Math.ceil(ops)));
    }
}
