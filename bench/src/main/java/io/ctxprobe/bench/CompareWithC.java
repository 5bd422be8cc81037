package io.ctxprobe.bench;

import io.ctxprobe.binding.Binding;
import io.ctxprobe.binding.NativeHostFacts;
import io.ctxprobe.host.HostFacts;
import io.ctxprobe.host.HostFactsCollector;
import io.ctxprobe.probe.Cleanup;
import io.ctxprobe.linux.CpuSet;
import io.ctxprobe.probe.Placement;
import io.ctxprobe.probe.PlacementPlanner;
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
 *   thread.switch and process.switch, futex and pipe, same-core  vs  bench/c/build/pingpong MODE MECH CPU CPU
 *   thread.switch futex/cross-core                                vs  bench/c/build/pingpong thread futex A B
 *   fiber.switch asm (best of its placed loops)                   vs  bench/c/build/fcontext_switch (Boost.Context)
 *                                                                     and bench/c/build/asm_switch (the project's .S),
 *                                                                     both from the same placed loops, best placement
 *   process.create fork/helper, posix-spawn/helper, fork-exec/helper (a small parent, as the C program)
 *                                                                 vs  bench/c/build/create KIND 20 CPU
 *   thread.create pthread, clone-raw                              vs  bench/c/build/create KIND 20 CPU
 * Prints a Markdown table per comparison and the median ratio with its range.
 *
 * How to run: {@code make bench} or
 * {@code java --enable-native-access=ALL-UNNAMED -cp bench/target/ctxprobe-bench.jar io.ctxprobe.bench.CompareWithC [pairs] [all|fiber]}
 * ({@code fiber}: the fiber.switch comparison only).
 */
public final class CompareWithC {

    private static final Pattern NS_PER_SWITCH = Pattern.compile("ns_per_switch=([0-9.]+)");
    private static final Pattern US_PER_CREATE = Pattern.compile("us_per_create=([0-9.]+)");

    private CompareWithC() {}

    public static void main(String[] args) throws Exception {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        String only = args.length > 1 ? args[1] : "all";
        if (!only.equals("all") && !only.equals("fiber")) {
            System.err.println("CompareWithC: unknown selection '" + only + "' (all, fiber)");
            System.exit(2);
        }
        Path cDir = Path.of(System.getProperty("ctxprobe.bench.c", "bench/c/build"));
        HostFacts host = new HostFactsCollector(Path.of("/"), new NativeHostFacts()).collect();
        Binding binding = Binding.ffm();
        CpuSet cpus = binding.getAffinity(0);
        int cpu = cpus.first();
        System.out.printf("host: %s, %s; kernel %s; %d pairs, CPU %d%n%n", host.summary().cpuModel(),
                host.summary().ptiText(), host.summary().kernel(), pairs, cpu);
        if (only.equals("fiber")) {
            compareFiberSwitch(context(binding, host, cpus, Placement.SAME_CORE, "futex"), cpu, pairs, cDir);
            return;
        }

        for (String mode : List.of("thread", "process")) {
            for (String mech : List.of("futex", "pipe")) {
                String probe = mode + ".switch";
                ProbeContext ctx = context(binding, host, cpus, Placement.SAME_CORE, mech);
                compare(probe + " " + mech + "/same-core vs bench/c pingpong " + mode + " " + mech + " " + cpu + " " + cpu, pairs,
                        () -> median(ctx, probe, mech + "/same-core"),
                        () -> runC(cDir.resolve("pingpong"), mode, mech, String.valueOf(cpu), String.valueOf(cpu)));
            }
        }
        ProbeContext cross = context(binding, host, cpus, Placement.CROSS_CORE, "futex");
        PlacementPlanner.Plan plan = cross.planner().plan(Placement.CROSS_CORE);
        if (plan.pair() != null) {
            String a = String.valueOf(plan.pair().first());
            String b = String.valueOf(plan.pair().second());
            compare("thread.switch futex/cross-core vs bench/c pingpong thread futex " + a + " " + b
                            + " (cross-core varies run to run: read the range)", pairs,
                    () -> median(cross, "thread.switch", "futex/cross-core"),
                    () -> runC(cDir.resolve("pingpong"), "thread", "futex", a, b));
        } else {
            System.out.println("cross-core: skipped: " + plan.skipReason());
        }
        compareFiberSwitch(context(binding, host, cpus, Placement.SAME_CORE, "futex"), cpu, pairs, cDir);
        compareCreation(binding, host, cpus, cpu, pairs, cDir.resolve("create"));
    }

    /**
     * Creation against bench/c/build/create: the helper-side process cases (a small parent like the C
     * program) and the C-loop thread cases, all on the first CPU. process.create runs in its quick
     * form (fork curve at 0 and 16 MiB only) so a pair stays a few seconds.
     */
    private static void compareCreation(Binding binding, HostFacts host, CpuSet cpus, int cpu, int pairs, Path create)
            throws Exception {
        if (!Files.isExecutable(create)) {
            System.out.println("creation: skipped: " + create + " not built (make -C bench/c)");
            return;
        }
        ProbeContext ctx = new ProbeContext(binding, host,
                new RunOptions(cpus, EnumSet.of(Placement.SAME_CORE), List.of(), true, 21), new Cleanup());
        for (String kind : List.of("fork", "posix-spawn", "fork-exec")) {
            compare("process.create " + kind + "/helper vs bench/c create " + kind + " 20 " + cpu, pairs, "us/create",
                    () -> median(ctx, "process.create", kind + "/helper"),
                    () -> runC(create, US_PER_CREATE, kind, "20", String.valueOf(cpu)));
        }
        for (String kind : List.of("pthread", "clone-raw")) {
            compare("thread.create " + kind + " vs bench/c create " + kind + " 20 " + cpu, pairs, "us/create",
                    () -> median(ctx, "thread.create", kind),
                    () -> runC(create, US_PER_CREATE, kind, "20", String.valueOf(cpu)));
        }
    }

    /**
     * fiber.switch asm against Boost.Context's jump_fcontext and the project's own .S, each driven from
     * C through the same placed loops (native/src/loop_placement.h: 4 copies, best copy reported), in
     * interleaved triples (ctxprobe, Boost, .S, ctxprobe, ...), the C batches as long as the probe's.
     * Target: ctxprobe within 1.05x of the best C reference. Each side's chosen placement and spread is shown, so a layout effect is visible.
     */
    private static void compareFiberSwitch(ProbeContext ctx, int cpu, int pairs, Path cDir) throws Exception {
        Path boost = cDir.resolve("fcontext_switch");
        Path asm = cDir.resolve("asm_switch");
        if (!Files.isExecutable(asm)) {
            System.out.println("fiber.switch vs C: skipped: " + asm + " not built (make -C bench/c)");
            return;
        }
        boolean haveBoost = Files.isExecutable(boost);
        System.out.println("### fiber.switch asm vs Boost.Context jump_fcontext and the project's .S, from the same placed C loops"
                + " (pinned to CPU " + cpu + ")");
        System.out.println();
        if (!haveBoost) {
            System.out.println("Boost.Context: skipped: " + boost + " not built (bench/install-deps.sh installs libboost-context-dev)");
            System.out.println();
        }
        System.out.println("| pair | ctxprobe ns/switch (placement, spread) | Boost ns/switch (placement, spread) "
                + "| .S in C ns/switch (placement, spread) | ctxprobe / Boost | ctxprobe / .S | ctxprobe / best C "
                + "| fastest batch: ctxprobe / best C |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|");
        double[] vsBoost = new double[pairs];
        double[] vsAsm = new double[pairs];
        double[] vsBest = new double[pairs];
        double[] fastestVsBest = new double[pairs];
        for (int i = 0; i < pairs; i++) {
            CaseResult probe = caseOf(ctx, "fiber.switch", "asm");
            double a = probe.stats().median();
            // The C programs run 21 batches per copy: given the probe's batch size, both sides' batches
            // last as long, so a busy host's preemptions hit them alike.
            long roundTrips = probe.plan().opsPerBatch() * C_PLACED_BATCHES;
            Placed b = haveBoost ? runPlaced(cpu, boost, roundTrips) : null;
            Placed c = runPlaced(cpu, asm, roundTrips);
            vsAsm[i] = a / c.ns();
            vsBoost[i] = b == null ? Double.NaN : a / b.ns();
            vsBest[i] = a / (b == null ? c.ns() : Math.min(b.ns(), c.ns()));
            fastestVsBest[i] = fastest(probe) / (b == null ? c.fastest() : Math.min(b.fastest(), c.fastest()));
            System.out.printf(Locale.ROOT, "| %d | %.2f (%s, %s) | %s | %.2f (%s, %s) | %s | %.3f | %.3f | %.3f |%n", i + 1, a,
                    probe.params().get("placement"), probe.params().get("placement spread"),
                    b == null ? "—" : String.format(Locale.ROOT, "%.2f (%s, %s)", b.ns(), b.placement(), b.spread()),
                    c.ns(), c.placement(), c.spread(),
                    b == null ? "—" : String.format(Locale.ROOT, "%.3f", vsBoost[i]), vsAsm[i], vsBest[i], fastestVsBest[i]);
        }
        System.out.println();
        if (haveBoost) System.out.println("ctxprobe / Boost: " + summary(vsBoost));
        System.out.println("ctxprobe / .S in C: " + summary(vsAsm));
        double best = median(vsBest);
        System.out.printf(Locale.ROOT, "ctxprobe / best C reference: %s — target <= 1.05: %s%n", summary(vsBest),
                best <= 1.05 ? "met" : "NOT met");
        System.out.printf(Locale.ROOT, "fastest batch, ctxprobe / best C (what a busy host's preemptions leave out): %s%n%n",
                summary(fastestVsBest));
    }

    /** The probe's fastest batch over every placement (each "placement +N" param's min), ns/switch. */
    private static double fastest(CaseResult probe) {
        Pattern min = Pattern.compile("\\(min ([0-9.]+),");
        double best = Double.MAX_VALUE;
        for (var e : probe.params().entrySet()) {
            if (!e.getKey().startsWith("placement +")) continue;
            Matcher m = min.matcher(e.getValue());
            if (m.find()) best = Math.min(best, Double.parseDouble(m.group(1)));
        }
        if (best == Double.MAX_VALUE) throw new IllegalStateException(probe.key() + " reports no placements: " + probe.params());
        return best;
    }

    /** A bench/c switch program's line: the best copy's ns/switch, which copy, and worst/best. */
    record Placed(double ns, String placement, String spread, double fastest) {}

    private static final Pattern PLACED = Pattern.compile(
            "ns_per_switch=([0-9.]+) placement=(\\S+) spread=([0-9.]+) fastest=([0-9.]+)");

    /** PLACED_BATCHES of bench/c/placed_report.h: a C switch program's batches per copy. */
    private static final int C_PLACED_BATCHES = 21;

    private static Placed runPlaced(int cpu, Path program, long roundTrips) throws IOException, InterruptedException {
        List<String> command = List.of("taskset", "-c", String.valueOf(cpu), program.toString(), String.valueOf(roundTrips));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IllegalStateException(String.join(" ", command) + " failed: " + out.strip());
        Matcher m = PLACED.matcher(out);
        if (!m.find()) throw new IllegalStateException("no placed figure in: " + out.strip());
        return new Placed(Double.parseDouble(m.group(1)), m.group(2), m.group(3), Double.parseDouble(m.group(4)));
    }

    private static String summary(double[] ratios) {
        double[] sorted = ratios.clone();
        Arrays.sort(sorted);
        return String.format(Locale.ROOT, "median %.3f (range %.3f-%.3f over %d pairs)", median(ratios), sorted[0],
                sorted[sorted.length - 1], ratios.length);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static ProbeContext context(Binding binding, HostFacts host, CpuSet cpus, Placement placement, String mechanism) {
        return new ProbeContext(binding, host,
                new RunOptions(cpus, EnumSet.of(placement), List.of(mechanism), false, 21), new Cleanup());
    }

    interface Measure {
        double ns() throws Exception;
    }

    private static void compare(String title, int pairs, Measure ctxprobe, Measure c) throws Exception {
        compare(title, pairs, "ns/switch", ctxprobe, c);
    }

    private static void compare(String title, int pairs, String unit, Measure ctxprobe, Measure c) throws Exception {
        System.out.println("### " + title);
        System.out.println();
        System.out.println("| pair | ctxprobe " + unit + " | C " + unit + " | ctxprobe / C |");
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
        return caseOf(ctx, probeId, caseId).stats().median();
    }

    /** One case of a probe run now; one that has no figure is an error. */
    private static CaseResult caseOf(ProbeContext ctx, String probeId, String caseId) throws InterruptedException {
        Probe probe = ProbeRegistry.select(List.of(probeId)).getFirst();
        for (CaseResult r : probe.run(ctx)) {
            if (r.caseId().equals(caseId)) {
                if (r.stats() == null) throw new IllegalStateException(r.key() + ": " + r.status().label() + ": " + r.reason());
                return r;
            }
        }
        throw new IllegalStateException(probeId + " has no case " + caseId);
    }

    private static double runC(Path program, String... args) throws IOException, InterruptedException {
        return runC(program, NS_PER_SWITCH, args);
    }

    /** Runs a C program and parses the first {@code figure} (e.g. ns_per_switch=, us_per_create=). */
    private static double runC(Path program, Pattern figure, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(program.toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IllegalStateException(String.join(" ", command) + " failed: " + out.strip());
        Matcher m = figure.matcher(out);
        if (!m.find()) throw new IllegalStateException("no " + figure.pattern() + " in: " + out.strip());
        return Double.parseDouble(m.group(1));
    }
}
