package io.ctxprobe.probe;

import io.ctxprobe.binding.Binding;
import io.ctxprobe.host.HostFacts;
import io.ctxprobe.linux.CpuSet;

/**
 * Everything a probe may use: the binding for its Java-side calls (ffm or jna), the host's facts,
 * the validated run options, and the place to register what must be undone if the run is cut short.
 */
public record ProbeContext(Binding binding, HostFacts host, RunOptions options, Cleanup cleanup) {

    public CpuSet cpus() {
        return options.cpus();
    }

    public PlacementPlanner planner() {
        return new PlacementPlanner(options.cpus(), host.topology());
    }

    /**
     * Pins the calling thread to one CPU until the returned handle is closed, then restores its
     * previous affinity. Must be called from a platform thread (pinning from a virtual thread pins its
     * carrier, and the pin outlives the virtual thread).
     */
    public Pin pinCurrentThread(int cpu) {
        if (Thread.currentThread().isVirtual()) {
            throw new IllegalStateException("refusing to pin a virtual thread's carrier");
        }
        CpuSet previous = binding.getAffinity(0);
        binding.setAffinity(0, CpuSet.of(cpu));
        return new Pin(binding, previous, cpu);
    }

    /** An active pin; closing it restores the thread's previous affinity. */
    public static final class Pin implements AutoCloseable {
        private final Binding binding;
        private final CpuSet previous;
        private final int cpu;

        Pin(Binding binding, CpuSet previous, int cpu) {
            this.binding = binding;
            this.previous = previous;
            this.cpu = cpu;
        }

        public int cpu() {
            return cpu;
        }

        @Override
        public void close() {
            binding.setAffinity(0, previous);
        }
    }
}
