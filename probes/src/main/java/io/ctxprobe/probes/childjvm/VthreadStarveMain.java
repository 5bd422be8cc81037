package io.ctxprobe.probes.childjvm;


import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The child JVM of vthread.starve: one carrier ({@link OneCarrierJvm}), pinned to one CPU.
 *
 * <pre>
 * java ... io.ctxprobe.probes.childjvm.VthreadStarveMain --cpu N --binding ffm|jna --spin-ns S --reps R --deadline-ms T
 * </pre>
 *
 * Per case and rep: thread A spins (a loop reading System.nanoTime, no blocking call) until thread B
 * has run or S has passed — the spin is always bounded; B records when it first runs. B's wait is
 * its first run minus the moment it was started.
 * <ul>
 * <li>{@code virtual/spin}: A and B virtual threads; A starts B from the carrier, then spins.</li>
 * <li>{@code virtual/spin-yield}: the same with Thread.yield() in A's loop.</li>
 * <li>{@code virtual/spin-yield-external}: A yields, but B is started by the main platform thread once
 *     A spins (the scheduler's external submission queue, as a wake-up from another thread is).</li>
 * <li>{@code platform/spin}: A and B platform threads on the same CPU: the kernel preempts A.</li>
 * </ul>
 * Prints one JSON line ({@link Report}) and exits 0; on an error, exit 1.
 */
public final class VthreadStarveMain {

    public static final List<String> CASES = List.of("virtual/spin", "virtual/spin-yield", "virtual/spin-yield-external",
            "platform/spin");

    private VthreadStarveMain() {}

    /** One case: per rep, B's wait and how long A spun (ns). */
    public record CaseRun(String caseId, long[] waitNs, long[] spunNs) {}

    public record Report(String jdk, String vm, int pinnedCpu, String parallelism, String maxPoolSize, long spinNs,
                         List<CaseRun> cases) {}

    public static void main(String[] args) {
        OneCarrierJvm.childMain("vthread starve child", args, child -> {
            long spinNs = Long.parseLong(child.need("spin-ns"));
            int reps = Integer.parseInt(child.need("reps"));
            List<CaseRun> cases = new ArrayList<>();
            for (String c : CASES) {
                oneRun(c, Math.min(spinNs, 20_000_000L));   // warm-up: class loading, the JIT, the carrier's start
                long[] wait = new long[reps], spun = new long[reps];
                for (int i = 0; i < reps; i++) {
                    long[] r = oneRun(c, spinNs);
                    wait[i] = r[0];
                    spun[i] = r[1];
                }
                cases.add(new CaseRun(c, wait, spun));
            }
            return new Report(Runtime.version().toString(), System.getProperty("java.vm.name"), child.cpu(),
                    System.getProperty("jdk.virtualThreadScheduler.parallelism"),
                    System.getProperty("jdk.virtualThreadScheduler.maxPoolSize"), spinNs, cases);
        });
    }

    /** What one rep shares between A, B and main. */
    private static final class Shared {
        volatile long bStartedNs;
        volatile long bRanNs;
        volatile boolean aSpinning;
        volatile Thread b;
    }

    /** {B's wait, A's spin} in ns. */
    static long[] oneRun(String caseId, long spinNs) throws InterruptedException {
        Shared s = new Shared();
        boolean virtual = caseId.startsWith("virtual/");
        boolean yield = caseId.contains("yield");
        boolean external = caseId.endsWith("external");
        Runnable bBody = () -> s.bRanNs = System.nanoTime();
        long[] spun = new long[1];
        Runnable aBody = () -> {
            long start = System.nanoTime(), end = start + spinNs;
            if (!external) {
                s.bStartedNs = System.nanoTime();
                s.b = virtual ? Thread.ofVirtual().name("ctxp-starve-b").start(bBody)
                        : Thread.ofPlatform().name("ctxp-starve-b").start(bBody);
            }
            s.aSpinning = true;
            long now;
            while ((now = System.nanoTime()) < end && s.bRanNs == 0) {
                if (yield) Thread.yield();
            }
            spun[0] = now - start;
        };
        Thread a = virtual ? Thread.ofVirtual().name("ctxp-starve-a").start(aBody)
                : Thread.ofPlatform().name("ctxp-starve-a").start(aBody);
        if (external) {
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!s.aSpinning && System.nanoTime() < giveUp) Thread.onSpinWait();
            s.bStartedNs = System.nanoTime();
            s.b = Thread.ofVirtual().name("ctxp-starve-b").start(bBody);   // from a platform thread: external submission
        }
        long joinMs = TimeUnit.NANOSECONDS.toMillis(spinNs) + 10_000;
        a.join(joinMs);
        if (s.b != null) s.b.join(joinMs);
        if (a.isAlive() || (s.b != null && s.b.isAlive())) throw new IllegalStateException(caseId + ": a thread outlived its spin");
        if (s.bRanNs == 0) throw new IllegalStateException(caseId + ": B never ran");
        return new long[] {s.bRanNs - s.bStartedNs, spun[0]};
    }
}
