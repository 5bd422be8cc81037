package io.ctxprobe.bench;

import io.ctxprobe.binding.Binding;
import io.ctxprobe.binding.NativeHostFacts;
import io.ctxprobe.host.HostFacts;
import io.ctxprobe.host.HostFactsCollector;
import io.ctxprobe.probe.Cleanup;
import io.ctxprobe.probe.Placement;
import io.ctxprobe.probe.Probe;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.probe.RunOptions;
import io.ctxprobe.probes.ProbeRegistry;
import io.ctxprobe.report.CaseResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What this measures: ctxprobe's figures against plain C programs of the same shape (bench/c), in
 * the same run, same placement, as interleaved pairs (ctxprobe, C, ctxprobe, C, ...) so drift on a
 * shared host hits both sides alike:
 *   thread.switch futex/same-core  vs  bench/c/build/futex_pingpong CPU CPU
 *   fiber.switch asm               vs  bench/c/build/fcontext_switch (Boost.Context jump_fcontext)
 * Prints a Markdown table per comparison and the median ratio with its range.
 *
 * How to run: {@code make bench} or
 * {@code java --enable-native-access=ALL-UNNAMED -cp bench/target/ctxprobe-bench.jar io.ctxprobe.bench.CompareWithC [pairs]}.
 */
public final class CompareWithC {

    private static final Pattern NS_PER_SWITCH = Pattern.compile("ns_per_switch=([0-9.]+)");

    private CompareWithC() {}

    public static void main(String[] args) throws Exception {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path cDir = Path.of(System.getProperty("ctxprobe.bench.c", "bench/c/build"));
        HostFacts host = new HostFactsCollector(Path.of("/"), new NativeHostFacts()).collect();
        Binding binding = Binding.ffm();
        ProbeContext ctx = new ProbeContext(binding, host,
                new RunOptions(binding.getAffinity(0), EnumSet.of(Placement.SAME_CORE), false, 21), new Cleanup());
        int cpu = ctx.cpus().first();
        System.out.printf("host: %s, %s; kernel %s; %d pairs, CPU %d%n%n", host.summary().cpuModel(),
                host.summary().ptiText(), host.summary().kernel(), pairs, cpu);

        compare("thread.switch futex/same-core vs bench/c futex_pingpong " + cpu + " " + cpu, pairs,
                () -> median(ctx, "thread.switch", "futex/same-core"),
                () -> runC(cDir.resolve("futex_pingpong"), String.valueOf(cpu), String.valueOf(cpu)));
        Path fcontext = cDir.resolve("fcontext_switch");
        if (Files.isExecutable(fcontext)) {
            compare("fiber.switch asm vs Boost.Context jump_fcontext (pinned to CPU " + cpu + ")", pairs,
                    () -> median(ctx, "fiber.switch", "asm"),
                    () -> runC(Path.of("taskset"), "-c", String.valueOf(cpu), fcontext.toString()));
        } else {
            System.out.println("fiber.switch vs jump_fcontext: skipped: " + fcontext
                    + " not built (apt-get install -y libboost-context-dev; make -C bench/c)");
        }
    }

    interface Measure {
        double ns() throws Exception;
    }

    private static void compare(String title, int pairs, Measure ctxprobe, Measure c) throws Exception {
        System.out.println("### " + title);
        System.out.println();
        System.out.println("| pair | ctxprobe ns/switch | C ns/switch | ctxprobe / C |");
        System.out.println("|---:|---:|---:|---:|");
        double[] ratios = new double[pairs];
        for (int i = 0; i < pairs; i++) {
            double a = ctxprobe.ns();
            double b = c.ns();
            ratios[i] = a / b;
            System.out.printf(Locale.ROOT, "| %d | %.1f | %.1f | %.3f |%n", i + 1, a, b, ratios[i]);
        }
        double[] sorted = ratios.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "%nmedian ratio %.3f (range %.3f-%.3f over %d pairs)%n%n",
                sorted[sorted.length / 2], sorted[0], sorted[sorted.length - 1], pairs);
    }

    private static double median(ProbeContext ctx, String probeId, String caseId) throws InterruptedException {
        Probe probe = ProbeRegistry.select(List.of(probeId)).getFirst();
        for (CaseResult r : probe.run(ctx)) {
            if (r.caseId().equals(caseId)) {
                if (r.stats() == null) throw new IllegalStateException(r.key() + ": " + r.status().label() + ": " + r.reason());
                return r.stats().median();
            }
        }
        throw new IllegalStateException(probeId + " has no case " + caseId);
    }

    private static double runC(Path program, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(program.toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IllegalStateException(String.join(" ", command) + " failed: " + out.strip());
        Matcher m = NS_PER_SWITCH.matcher(out);
        if (!m.find()) throw new IllegalStateException("no ns_per_switch in: " + out.strip());
        return Double.parseDouble(m.group(1));
    }
}
