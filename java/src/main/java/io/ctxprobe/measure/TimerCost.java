package io.ctxprobe.measure;

/**
 * The clock that timed a case, what one read of it costs on this host (measured, back to back),
 * and its share of the median batch: two reads per batch over the batch's length.
 */
public record TimerCost(String clock, double readNs, double batchMedianNs, double share) {

    public static TimerCost of(String clock, double readNs, double batchMedianNs) {
        double share = batchMedianNs > 0 ? 2 * readNs / batchMedianNs : Double.NaN;
        return new TimerCost(clock, readNs, batchMedianNs, share);
    }
}
