package io.ctxprobe.probes.measurement;

/**
 * A loop that runs {@code batches} batches of {@code ops} operations on the calling thread and
 * records each batch's wall time (CLOCK_MONOTONIC) and thread CPU time, read at batch edges only.
 */
@FunctionalInterface
interface BatchLoop {
    void run(int batches, long ops, long[] wallNs, long[] cpuNs);
}
