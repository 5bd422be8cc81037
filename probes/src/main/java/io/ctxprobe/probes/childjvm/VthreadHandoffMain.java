package io.ctxprobe.probes.childjvm;

import io.ctxprobe.probes.switching.ParkHandoff;
import io.ctxprobe.binding.Binding;
import io.ctxprobe.linux.Resource;
import io.ctxprobe.probe.Cleanup;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The child JVM of vthread.switch's one-carrier case. A virtual-thread scheduler with one carrier
 * needs {@code -Djdk.virtualThreadScheduler.parallelism=1 -Djdk.virtualThreadScheduler.maxPoolSize=1}
 * at JVM start, hence a JVM of its own:
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -Djdk.virtualThreadScheduler.parallelism=1 \
 *      -Djdk.virtualThreadScheduler.maxPoolSize=1 -cp CLASSPATH io.ctxprobe.probes.childjvm.VthreadHandoffMain \
 *      --cpu N --binding ffm|jna --warmup W --batches B --target-batch-ns T --deadline-ms D
 * </pre>
 *
 * The main platform thread pins itself to the CPU before any virtual thread exists: the carrier is
 * created by the thread that starts the first virtual thread, and a new Linux thread inherits its
 * creator's affinity. Nothing here calls setAffinity from a virtual thread (that would pin the
 * carrier behind the scheduler's back); each side reports the carrier it ran on instead. Prints one
 * line of JSON ({@link Report}) on stdout and exits 0; on any error, the error on stderr and exit 1.
 */
public final class VthreadHandoffMain {


    private VthreadHandoffMain() {}

    /** What one side saw at one edge of the measured window, from inside the virtual thread. */
    public record CarrierSeen(String thread, String edge, int carrierTid, int cpu, String carrierAffinity) {}

    /**
     * The child's answer. Switch counts are getrusage(RUSAGE_SELF) deltas over the measured batches,
     * taken by ping at its edges: process-wide, every thread of this JVM (GC, JIT...) included.
     */
    public record Report(int pinnedCpu, String binding, int mainTid, String parallelism, String maxPoolSize,
                         long jitWarmupRoundTrips, long jitWarmupNs,
                         int warmup, int batches, long opsPerBatch, long[] wallNs, double clockReadNs,
                         List<CarrierSeen> carriers, long voluntarySwitches, long involuntarySwitches) {}

    public static void main(String[] args) {
        OneCarrierJvm.childMain("vthread handoff child", args, child -> run(child.binding(), child.cpu(),
                Integer.parseInt(child.need("warmup")), Integer.parseInt(child.need("batches")),
                Long.parseLong(child.need("target-batch-ns")), child.deadlineMs()));
    }

    static Report run(Binding binding, int cpu, int warmup, int batches, long targetBatchNs, long deadlineMs) {
        List<CarrierSeen> seen = new CopyOnWriteArrayList<>();
        Resource.Rusage[] rusage = new Resource.Rusage[2];
        ParkHandoff handoff = new ParkHandoff();
        ParkHandoff.Batches run = handoff.run(true, "ctxp-vping", "ctxp-vpong",
                () -> handoff.drive(warmup, batches, targetBatchNs, edge -> {
                    if (edge == ParkHandoff.AFTER) rusage[edge] = Resource.getrusage(Resource.RUSAGE_SELF);
                    seen.add(carrier(binding, "ping", edge));
                    if (edge == ParkHandoff.BEFORE) rusage[edge] = Resource.getrusage(Resource.RUSAGE_SELF);
                }),
                () -> handoff.serve(edge -> seen.add(carrier(binding, "pong", edge))),
                deadlineMs, new Cleanup(), "vthread.switch handoff");
        Resource.Rusage before = rusage[ParkHandoff.BEFORE];
        Resource.Rusage after = rusage[ParkHandoff.AFTER];
        return new Report(cpu, binding.name(), binding.gettid(),
                System.getProperty("jdk.virtualThreadScheduler.parallelism"),
                System.getProperty("jdk.virtualThreadScheduler.maxPoolSize"),
                run.jitWarmupRoundTrips(), run.jitWarmupNs(),
                run.plan().warmup(), run.plan().batches(), run.plan().opsPerBatch(), run.wallNs(),
                ParkHandoff.nanoTimeReadNs(), List.copyOf(seen),
                after.voluntarySwitches() - before.voluntarySwitches(),
                after.involuntarySwitches() - before.involuntarySwitches());
    }

    /**
     * Called on a virtual thread: gettid and sched_getcpu answer for its carrier, which is what we
     * want to know. Reading the carrier's affinity is harmless; setting it would not be.
     */
    public static CarrierSeen carrier(Binding binding, String thread, int edge) {
        return new CarrierSeen(thread, edge == ParkHandoff.BEFORE ? "start" : "end", binding.gettid(),
                binding.currentCpu(), binding.getAffinity(0).toString());
    }

}
