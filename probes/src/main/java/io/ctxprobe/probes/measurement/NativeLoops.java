package io.ctxprobe.probes.measurement;

import io.ctxprobe.linux.CtxprobeLib;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Adapts a libctxprobe batch function (the header's batch protocol) to a {@link BatchLoop}. */
public final class NativeLoops {

    /** The shape of every {@code ctxprobe_*_run} function once its leading arguments are bound. */
    @FunctionalInterface
    public interface NativeRun {
        int run(long warmup, long batches, long ops, MemorySegment wallNs, MemorySegment cpuNs);
    }

    private NativeLoops() {}

    public static BatchLoop of(String call, NativeRun run) {
        return (batches, ops, wallNs, cpuNs) -> run(call, run, 0, batches, ops, wallNs, cpuNs);
    }

    /** One call of a batch function; its per-batch wall and CPU times land in the arrays. */
    static void run(String call, NativeRun run, long warmup, int batches, long ops, long[] wallNs, long[] cpuNs) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment wall = arena.allocate(ValueLayout.JAVA_LONG, batches);
            MemorySegment cpu = arena.allocate(ValueLayout.JAVA_LONG, batches);
            CtxprobeLib.check(call, run.run(warmup, batches, ops, wall, cpu));
            MemorySegment.copy(wall, ValueLayout.JAVA_LONG, 0, wallNs, 0, batches);
            MemorySegment.copy(cpu, ValueLayout.JAVA_LONG, 0, cpuNs, 0, batches);
        }
    }

    /** Cost of one CLOCK_MONOTONIC read from C, in ns (measured, back to back). */
    public static double clockReadNs() {
        long ps = CtxprobeLib.timerCostPs(100_000);
        if (ps < 0) CtxprobeLib.check("ctxprobe_timer_cost_ps", (int) ps);
        return ps / 1000.0;
    }
}
