package io.ctxprobe.bench;

import io.ctxprobe.binding.Binding;
import io.ctxprobe.binding.NativeHostFacts;
import io.ctxprobe.host.HostFacts;
import io.ctxprobe.host.HostFactsCollector;
import io.ctxprobe.linux.CpuSet;
import io.ctxprobe.probe.Cleanup;
import io.ctxprobe.probe.Placement;
import io.ctxprobe.probe.Probe;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.probe.RunOptions;
import io.ctxprobe.probes.ProbeRegistry;
import io.ctxprobe.probes.tlb.TlbStepLocator;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.Derived;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What this measures: tlb.reach's L1 dTLB reach (the quick suite's 4 KiB {@code L1 reach} figure: coarse sweep,
 * then refinement) against a plain C fine chase, {@code bench/c/build/tlb_chase 16 TO 4 CPU} — sparse
 * and packed every 4 pages, no libctxprobe, its own random cycles — whose curve (each point's
 * fastest batch, as the probe feeds its locator) goes through the same step rule
 * ({@link TlbStepLocator#locateOnCurve}). Interleaved pairs (ctxprobe, C, ctxprobe,
 * C, ...), both pinned to the first allowed CPU. Each C side is two sweeps combined by the minimum of
 * each side, as the locator combines repeats. Target: the two L1 reaches within 4 pages on every pair.
 * Prints a Markdown table and the largest difference.
 *
 * <p>How to run: {@code make bench}, or
 * {@code java --enable-native-access=ALL-UNNAMED -cp bench/target/ctxprobe-bench.jar io.ctxprobe.bench.TlbReachVsC [pairs]}.
 */
public final class TlbReachVsC {

    private static final Pattern POINT = Pattern.compile("pages=(\\d+) sparse_min_ns=([0-9.]+) packed_min_ns=([0-9.]+)");
    private static final long TARGET_PAGES = 4;

    private TlbReachVsC() {}

    public static void main(String[] args) throws Exception {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path chase = Path.of(System.getProperty("ctxprobe.bench.c", "bench/c/build")).resolve("tlb_chase");
        if (!Files.isExecutable(chase)) {
            System.out.println("tlb.reach vs C fine chase: skipped: " + chase + " not built (make -C bench/c)");
            return;
        }
        HostFacts host = new HostFactsCollector(Path.of("/"), new NativeHostFacts()).collect();
        Binding binding = Binding.ffm();
        CpuSet cpus = binding.getAffinity(0);
        int cpu = cpus.first();
        ProbeContext ctx = new ProbeContext(binding, host,
                new RunOptions(cpus, EnumSet.of(Placement.SAME_CORE), List.of(), true, null), new Cleanup());
        Probe probe = ProbeRegistry.select(List.of("tlb.reach")).getFirst();

        System.out.printf(Locale.ROOT, "### tlb.reach 4 KiB \"L1 reach\" (quick) vs bench/c tlb_chase every 4 pages, same step rule"
                + " (CPU %d, %d pairs, target: within %d pages)%n%n", cpu, pairs, TARGET_PAGES);
        System.out.println("| pair | ctxprobe L1 (pages) | C fine chase L1 (pages) | difference (pages) | CPUID |");
        System.out.println("|---:|---:|---:|---:|---|");
        long worst = 0;
        int within = 0;
        for (int i = 0; i < pairs; i++) {
            Derived l1 = l1(probe, ctx);
            long lower = l1.low() == null ? -1 : l1.low().longValue();
            long upper = l1.high().longValue();
            long to = Math.max(160, 2 * upper);
            TlbStepLocator.Level c = fineChase(chase, to, cpu);
            String cText = c == null ? "no step in 16.." + to : c.start().lower() + "–" + c.start().upper();
            long diff = c == null ? Long.MAX_VALUE : Math.abs(lower - c.start().lower());
            worst = Math.max(worst, diff);
            if (diff <= TARGET_PAGES) within++;
            String cpuid = l1.reference() != null ? (long) l1.reference().value() + ": " + l1.reference().verdict() : "-";
            System.out.printf(Locale.ROOT, "| %d | %d–%d | %s | %s | %s |%n", i + 1, lower, upper, cText,
                    diff == Long.MAX_VALUE ? "-" : String.valueOf(diff), cpuid);
        }
        System.out.printf(Locale.ROOT, "%n%d of %d pairs within %d pages; largest difference %s pages%n%n", within, pairs,
                TARGET_PAGES, worst == Long.MAX_VALUE ? "-" : String.valueOf(worst));
    }

    /** The 4 KiB L1 reach figure of one run (set on the sparse point that confirmed the step). */
    private static Derived l1(Probe probe, ProbeContext ctx) throws InterruptedException {
        List<CaseResult> results = probe.run(ctx);
        for (CaseResult r : results) {
            if (r.caseId().startsWith("4k/") && r.derived("L1 reach").isPresent()) return r.derived("L1 reach").get();
        }
        throw new IllegalStateException("tlb.reach located no 4 KiB L1 reach: " + results.stream()
                .filter(r -> r.caseId().startsWith("4k/sparse/")).flatMap(r -> r.notes().stream())
                .filter(n -> n.contains("reach")).findFirst().orElse("no note"));
    }

    /** Two sweeps of the C program from 16 to {@code to} pages, combined by the minimum of each side; the L1 step or null. */
    private static TlbStepLocator.Level fineChase(Path chase, long to, int cpu) throws IOException, InterruptedException {
        double[][] a = sweep(chase, to, cpu);
        double[][] b = sweep(chase, to, cpu);
        int n = a[0].length;
        long[] pages = new long[n];
        double[] sparse = new double[n];
        double[] packed = new double[n];
        for (int i = 0; i < n; i++) {
            pages[i] = (long) a[0][i];
            sparse[i] = Math.min(a[1][i], b[1][i]);
            packed[i] = Math.min(a[2][i], b[2][i]);
        }
        List<TlbStepLocator.Level> levels = TlbStepLocator.locateOnCurve(pages, sparse, packed, pages);
        return levels.isEmpty() ? null : levels.getFirst();
    }

    /** One run of bench/c/build/tlb_chase 16 TO 4 CPU: rows pages, sparse, packed. */
    private static double[][] sweep(Path chase, long to, int cpu) throws IOException, InterruptedException {
        List<String> command = List.of(chase.toString(), "16", String.valueOf(to), "4", String.valueOf(cpu));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IllegalStateException(String.join(" ", command) + " failed: " + out.strip());
        List<double[]> rows = new ArrayList<>();
        Matcher m = POINT.matcher(out);
        while (m.find()) {
            rows.add(new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3))});
        }
        if (rows.size() < 2) throw new IllegalStateException("too few points from " + String.join(" ", command) + ": " + out.strip());
        double[][] cols = new double[3][rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            for (int c = 0; c < 3; c++) cols[c][i] = rows.get(i)[c];
        }
        return cols;
    }
}
