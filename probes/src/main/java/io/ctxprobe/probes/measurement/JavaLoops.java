package io.ctxprobe.probes.measurement;

import io.ctxprobe.binding.Binding;
import io.ctxprobe.linux.Time;

import java.util.function.IntSupplier;

/**
 * Batch loops that run in Java: one call per operation, timed per batch through the run's binding
 * (so {@code --binding jna} times with JNA's clock_gettime). Thread CPU time is read at batch edges
 * only: on some hosts it is a system call.
 */
public final class JavaLoops {

    private JavaLoops() {}

    public static BatchLoop calls(Binding clock, IntSupplier call) {
        return (batches, ops, wallNs, cpuNs) -> {
            int sink = 0;
            for (int b = 0; b < batches; b++) {
                long cpu0 = clock.clockNs(Time.CLOCK_THREAD_CPUTIME_ID);
                long t0 = clock.clockNs(Time.CLOCK_MONOTONIC);
                for (long i = 0; i < ops; i++) {
                    sink += call.getAsInt();
                }
                long t1 = clock.clockNs(Time.CLOCK_MONOTONIC);
                long cpu1 = clock.clockNs(Time.CLOCK_THREAD_CPUTIME_ID);
                wallNs[b] = t1 - t0;
                cpuNs[b] = cpu1 - cpu0;
            }
            Blackhole.consume(sink);
        };
    }

    /** Cost of one CLOCK_MONOTONIC read through the binding, in ns (back to back, after a warm-up). */
    public static double clockReadNs(Binding clock) {
        int reads = 20_000;
        for (int i = 0; i < reads; i++) clock.clockNs(Time.CLOCK_MONOTONIC);
        long t0 = clock.clockNs(Time.CLOCK_MONOTONIC);
        for (int i = 0; i < reads; i++) clock.clockNs(Time.CLOCK_MONOTONIC);
        long t1 = clock.clockNs(Time.CLOCK_MONOTONIC);
        return (double) (t1 - t0) / (reads + 1);
    }

    /** Keeps results alive so the JIT cannot drop the calls that produced them. */
    static final class Blackhole {
        private static volatile int sink;

        private Blackhole() {}

        static void consume(int value) {
            sink = value;
        }
    }
}
