package io.ctxprobe.bench;

import io.ctxprobe.binding.Binding;
import io.ctxprobe.binding.NativeHostFacts;
import io.ctxprobe.host.HostFacts;
import io.ctxprobe.host.HostFactsCollector;
import io.ctxprobe.linux.CpuSet;
import io.ctxprobe.linux.NativeSched;
import io.ctxprobe.probe.Cleanup;
import io.ctxprobe.probe.Placement;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.probe.RunOptions;
import io.ctxprobe.probes.sched.SchedWakeupProbe;
import io.ctxprobe.report.CaseResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * What this measures: sched.wakeup's timer cases against Debian rt-tests' {@code cyclictest} of the
 * same shape — one thread pinned to one CPU, an absolute clock_nanosleep every 1 ms, latency = wake
 * time - the expiry asked for — on an idle CPU and on one busy with a hog (a pinned Java thread
 * spinning, for both tools alike), SCHED_OTHER and SCHED_FIFO priority 1 (cyclictest -p 0 / -p 1).
 * Interleaved pairs (ctxprobe, cyclictest, ...) so drift hits both; p50 and p99 in us, cyclictest's
 * from its histogram (-h, 1 us buckets). Differences to keep in mind: ctxprobe sets its sleeper's
 * timer slack to 1 ns; cyclictest stamps with its own clock reads and rounds to 1 us.
 *
 * How to run: {@code bench/cyclictest-compare.sh [pairs]} (installs rt-tests when missing), or
 * {@code java --enable-native-access=ALL-UNNAMED -cp bench/target/ctxprobe-bench.jar io.ctxprobe.bench.CompareWithCyclictest [pairs]}.
 */
public final class CompareWithCyclictest {

    private static final int LOOPS = 2000;

    private CompareWithCyclictest() {}

    public static void main(String[] args) throws Exception {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        String cyclictest = System.getProperty("ctxprobe.bench.cyclictest", "/usr/bin/cyclictest");
        if (!Files.isExecutable(Path.of(cyclictest))) {
            System.out.println("cyclictest comparison: skipped: no " + cyclictest + " (apt-get install rt-tests; "
                    + "bench/cyclictest-compare.sh does it)");
            return;
        }
        HostFacts host = new HostFactsCollector(Path.of("/"), new NativeHostFacts()).collect();
        Binding binding = Binding.ffm();
        CpuSet cpus = binding.getAffinity(0);
        int cpu = cpus.first();
        System.out.printf("## sched.wakeup timer cases vs cyclictest%n%nhost: %s; kernel %s; CPU %d; %d wake-ups 1 ms apart "
                + "per run; %d pairs%n%n", host.summary().cpuModel(), host.summary().kernel(), cpu, LOOPS, pairs);
        ProbeContext ctx = new ProbeContext(binding, host, new RunOptions(cpus, EnumSet.of(Placement.SAME_CORE), false, null),
                new Cleanup());
        System.out.println("| case | pair | ctxprobe p50 us | ctxprobe p99 us | cyclictest p50 us | cyclictest p99 us |");
        System.out.println("|---|---|---|---|---|---|");
        for (String caseId : List.of("timer/idle", "timer/busy", "timer/idle/fifo", "timer/busy/fifo")) {
            for (int pair = 1; pair <= pairs; pair++) {
                CaseResult r = new SchedWakeupProbe().runCase(ctx, NativeSched.WakeupSource.TIMER, caseId.contains("busy"),
                        caseId.endsWith("fifo"));
                String ours = r.stats() == null ? r.status().label() + ": " + r.reason()
                        : r.params().get("p50-us") + " | " + r.params().get("p99-us");
                String theirs = cyclictest(cyclictest, cpu, caseId.endsWith("fifo") ? 1 : 0, caseId.contains("busy"), binding);
                System.out.printf("| %s | %d | %s | %s |%n", caseId, pair, ours, theirs);
            }
        }
    }

    /** One cyclictest run; "p50 | p99" in us from its histogram, or why it failed. */
    private static String cyclictest(String bin, int cpu, int prio, boolean busy, Binding binding)
            throws IOException, InterruptedException {
        Hog hog = busy ? new Hog(binding, cpu) : null;
        try {
            Process p = new ProcessBuilder(bin, "-m", "-q", "-t1", "-a", String.valueOf(cpu), "-i", "1000", "-l",
                    String.valueOf(LOOPS), "-p", String.valueOf(prio), "-h", "20000").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) return "failed: " + out.strip().lines().findFirst().orElse("") + " |";
            return histogramPercentiles(out);
        } finally {
            if (hog != null) hog.stop();
        }
    }

    /** cyclictest -h prints "LATENCY_US COUNT" lines; nearest-rank p50 and p99. */
    static String histogramPercentiles(String out) {
        TreeMap<Integer, Long> buckets = new TreeMap<>();
        for (String line : out.lines().toList()) {
            String[] w = line.trim().split("\\s+");
            if (w.length == 2 && w[0].matches("\\d+") && w[1].matches("\\d+")) buckets.merge(Integer.parseInt(w[0]), Long.parseLong(w[1]), Long::sum);
        }
        long total = buckets.values().stream().mapToLong(Long::longValue).sum();
        if (total == 0) return "no histogram |";
        List<String> out2 = new ArrayList<>();
        for (double q : new double[] {0.50, 0.99}) {
            long rank = (long) Math.ceil(q * total), seen = 0;
            for (var e : buckets.entrySet()) {
                seen += e.getValue();
                if (seen >= rank) {
                    out2.add(String.format(Locale.ROOT, "%d", e.getKey()));
                    break;
                }
            }
        }
        return String.join(" | ", out2);
    }

    /** A Java platform thread spinning on one CPU, for cyclictest's busy runs. */
    private static final class Hog {
        private volatile boolean stop;
        private final Thread thread;

        Hog(Binding binding, int cpu) {
            thread = Thread.ofPlatform().name("ctxp-bench-hog").start(() -> {
                binding.setAffinity(0, CpuSet.of(cpu));
                while (!stop) Thread.onSpinWait();
            });
        }

        void stop() throws InterruptedException {
            stop = true;
            thread.join();
        }
    }
}
