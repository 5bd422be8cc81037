package io.ctxprobe.probes.tlb;

import io.ctxprobe.probes.measurement.NativeLoops;
import io.ctxprobe.probes.measurement.InThreadMeasurement;
import io.ctxprobe.probes.measurement.Cases;
import io.ctxprobe.host.Fact;
import io.ctxprobe.linux.CtxprobeLib;
import io.ctxprobe.measure.CounterReadings;
import io.ctxprobe.linux.Errno;
import io.ctxprobe.measure.BatchPlan;
import io.ctxprobe.probe.Probe;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.CaseResultBuilder;
import io.ctxprobe.report.Status;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * tlb.reach — how many pages the data TLBs cover, measured: a dependent pointer chase over N lines
 * one per 4 KiB page (sparse) against the same N lines packed into N/64 pages (the cache control).
 * {@code sparse - packed} is the TLB's share; where it steps up, a TLB level ran out. Derived from
 * the curve only ({@link TlbReachCurve} holds the rule): the L1 and L2 reach and the page-walk
 * penalty, set beside what CPUID claims. The same sparse chase on transparent huge pages and on
 * hugetlbfs pages shows whether huge pages enlarge the reach on this host. Unit: ns per load.
 */
public final class TlbReachProbe implements Probe {

    public static final String ID = "tlb.reach";
    private static final String UNIT = "ns/load";

    static final long[] DEFAULT_PAGES = {8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 3072, 4096, 6144, 8192,
            16384, 32768, 65536};
    static final long[] QUICK_PAGES = {16, 32, 64, 96, 128, 192, 256, 1024, 2048, 4096, 6144, 8192, 16384};

    private static final int QUICK_BATCHES = 5;
    private static final long QUICK_BATCH_NS = 1_500_000;
    private static final long DEFAULT_BATCH_NS = 10_000_000;

    private final long[] pagesOverride;

    public TlbReachProbe() {
        this(null);
    }

    /** Tests: a reduced N list. */
    TlbReachProbe(long[] pages) {
        this.pagesOverride = pages == null ? null : pages.clone();
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "TLB reach: pointer chase one line per page vs packed, 4 KiB, THP and hugetlbfs pages; derived L1/L2 reach and walk penalty vs CPUID";
    }

    @Override
    public List<ParamSpec> parameters() {
        return InThreadMeasurement.PARAMETERS;
    }

    /** One layout's curve: per N the case result (null median where the case did not run). */
    private record Curve(String prefix, List<CaseResult> results, double[] medians) {}

    @Override
    public List<CaseResult> run(ProbeContext ctx) {
        long[] pages = pagesOverride != null ? pagesOverride : ctx.options().quick() ? QUICK_PAGES : DEFAULT_PAGES;
        List<CaseResult> results = new ArrayList<>();
        int cpu = ctx.cpus().first();
        try (ProbeContext.Pin _ = ctx.pinCurrentThread(cpu)) {
            Curve sparse = curve(ctx, "4k/sparse", CtxprobeLib.TLB_SPARSE_4K, pages, cpu);
            Curve packed = curve(ctx, "4k/packed", CtxprobeLib.TLB_PACKED, pages, cpu);
            results.addAll(sparse.results());
            results.addAll(packed.results());
            TlbReachCurve fourK = derive(ctx, "4k", pages, sparse, packed, results, null);

            String thp = TlbHostFacts.thpMode(ctx.host());
            if ("never".equals(thp)) {
                results.add(CaseResult.skipped(ID, "thp", Map.of(), UNIT, "transparent huge pages are off (THP enabled = never)"));
            } else {
                Curve thpCurve = curve(ctx, "thp/sparse", CtxprobeLib.TLB_SPARSE_THP, pages, cpu);
                results.addAll(thpCurve.results());
                derive(ctx, "thp", pages, thpCurve, packed, results, fourK);
            }

            Curve huge = curve(ctx, "hugetlb/sparse", CtxprobeLib.TLB_SPARSE_HUGETLB, pages, cpu);
            if (huge.results().stream().allMatch(r -> r.status() == Status.SKIPPED)) {
                results.add(CaseResult.skipped(ID, "hugetlb", Map.of(), UNIT, huge.results().get(0).reason()));
            } else {
                results.addAll(huge.results());
                derive(ctx, "hugetlb", pages, huge, packed, results, fourK);
            }
        }
        return results;
    }

    private Curve curve(ProbeContext ctx, String prefix, int layout, long[] pages, int cpu) {
        List<CaseResult> out = new ArrayList<>();
        double[] medians = new double[pages.length];
        String skip = null;
        for (int i = 0; i < pages.length; i++) {
            long n = pages[i];
            String caseId = prefix + "/" + n;
            if (skip != null) {
                out.add(CaseResult.skipped(ID, caseId, Map.of("pages", String.valueOf(n)), UNIT, skip));
                medians[i] = Double.NaN;
                continue;
            }
            CaseResult r = Cases.attempt(ctx, ID, caseId, UNIT, () -> point(ctx, caseId, layout, n, cpu));
            if (r.status() == Status.SKIPPED) skip = r.reason();
            out.add(r);
            medians[i] = r.stats() == null ? Double.NaN : r.stats().median();
        }
        return new Curve(prefix, out, medians);
    }

    private static CaseResult point(ProbeContext ctx, String caseId, int layout, long n, int cpu) {
        boolean quick = ctx.options().quick();
        int batches = ctx.options().batches() != null ? ctx.options().batches() : quick ? QUICK_BATCHES
                : ctx.options().measuredBatches();
        long batchNs = quick ? QUICK_BATCH_NS : DEFAULT_BATCH_NS;
        long started = System.nanoTime();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment wall = arena.allocate(ValueLayout.JAVA_LONG, batches);
            MemorySegment huge = arena.allocate(ValueLayout.JAVA_LONG);
            long pilotOps = Math.max(2 * n, 20_000);
            int rc = CtxprobeLib.tlbChaseRun(layout, n, 0, 1, pilotOps, wall, huge);
            if (rc < 0) {
                if (layout == CtxprobeLib.TLB_SPARSE_HUGETLB) {
                    throw new io.ctxprobe.probe.ProbeUnavailableException("hugetlbfs pages could not be mapped (MAP_HUGETLB: "
                            + Errno.name(-rc) + "); " + TlbHostFacts.nrHugepages()
                            + " — reserve some with sysctl vm.nr_hugepages=N");
                }
                CtxprobeLib.check("ctxprobe_tlb_chase_run", rc);
            }
            double pilotNs = (double) wall.get(ValueLayout.JAVA_LONG, 0) / pilotOps;
            long ops = Math.max(2 * n, (long) (batchNs / Math.max(pilotNs, 0.1)));
            BatchPlan plan = new BatchPlan(1, batches, ops);
            // Counted per load over the run (the warm-up batch included): dTLB misses per load where a PMU exists.
            CounterReadings events = InThreadMeasurement.counted(ctx, (long) (plan.warmup() + batches) * ops, () -> CtxprobeLib.check(
                    "ctxprobe_tlb_chase_run", CtxprobeLib.tlbChaseRun(layout, n, plan.warmup(), batches, ops, wall, huge)));
            long[] wallNs = wall.toArray(ValueLayout.JAVA_LONG);
            String layoutText = switch (layout) {
                case CtxprobeLib.TLB_SPARSE_4K -> "sparse: one line per 4 KiB page";
                case CtxprobeLib.TLB_PACKED -> "packed: the same lines contiguous (cache control)";
                case CtxprobeLib.TLB_SPARSE_THP -> "sparse on transparent huge pages (madvise)";
                default -> "sparse on hugetlbfs pages (MAP_HUGETLB)";
            };
            CaseResultBuilder b = new CaseResultBuilder(ID, caseId, UNIT).param("pages", n).param("layout", layoutText)
                    .param("cpu", cpu).batches(plan, 1, wallNs, null)
                    .timer("CLOCK_MONOTONIC (C)", NativeLoops.clockReadNs())
                    .counters(events.counters());
            events.notes().forEach(b::note);
            long kib = huge.get(ValueLayout.JAVA_LONG, 0);
            if (layout == CtxprobeLib.TLB_SPARSE_THP || layout == CtxprobeLib.TLB_SPARSE_HUGETLB) {
                b.param("hugeKiB", kib < 0 ? "unreadable" : String.valueOf(kib));
                if (layout == CtxprobeLib.TLB_SPARSE_THP && kib == 0) {
                    b.note("the kernel gave no transparent huge page (AnonHugePages 0 kB): this point ran on 4 KiB pages");
                }
            }
            return b.wallMs((System.nanoTime() - started) / 1e6).build();
        }
    }

    /**
     * Adds the derived cases {@code <prefix>/reach/l1}, {@code <prefix>/reach/l2} (unit pages) and
     * {@code <prefix>/walk-penalty} (ns per load past the L2 reach), each skipped with "not found in
     * the measured range" when the rule finds no such step. {@code base} (the 4 KiB curve) is what a
     * huge-page curve is compared with.
     */
    private static TlbReachCurve derive(ProbeContext ctx, String prefix, long[] pages, Curve sparse, Curve packed,
                                        List<CaseResult> out, TlbReachCurve base) {
        List<Integer> ok = new ArrayList<>();
        for (int i = 0; i < pages.length; i++) {
            if (!Double.isNaN(sparse.medians()[i]) && !Double.isNaN(packed.medians()[i])) ok.add(i);
        }
        if (ok.size() < 2) {
            out.add(CaseResult.skipped(ID, prefix + "/reach/l1", Map.of(), "pages", "too few measured points to derive a reach"));
            return null;
        }
        long[] n = ok.stream().mapToLong(i -> pages[i]).toArray();
        double[] s = ok.stream().mapToDouble(i -> sparse.medians()[i]).toArray();
        double[] p = ok.stream().mapToDouble(i -> packed.medians()[i]).toArray();
        TlbReachCurve c = new TlbReachCurve(n, s, p);
        String range = "measured N = " + n[0] + ".." + n[n.length - 1] + " pages";
        String rule = "rule: a step is the first N where sparse - packed exceeds the plateau's median by more than"
                + " max(one cache-hit load = " + fmt(c.unit()) + " ns, the plateau itself), confirmed by the next N";

        Optional<Fact> l1Fact = TlbHostFacts.cpuidDataTlb(ctx.host(), 1);
        Optional<Fact> l2Fact = TlbHostFacts.cpuidDataTlb(ctx.host(), 2);
        String page = prefix.equals("4k") ? "4 KiB" : prefix.equals("thp") ? "transparent huge" : "hugetlbfs";

        TlbReachCurve.Step l1 = c.l1();
        if (l1 == null) {
            out.add(CaseResult.skipped(ID, prefix + "/reach/l1", Map.of(), "pages",
                    "L1 dTLB reach (" + page + " pages): not found in the measured range (" + range + ")"));
        } else {
            CaseResultBuilder b = derived(prefix + "/reach/l1", "pages", l1.reachPages())
                    .note(String.format("sparse - packed steps from %s ns at %d pages to %s ns at %d pages; %s",
                            fmt(c.difference(l1.index() - 1)), l1.reachPages(), fmt(c.difference(l1.index())),
                            l1.firstAbovePages(), rule));
            l1Fact.ifPresent(f -> b.note("CPUID says " + TlbHostFacts.entries(f) + " L1 dTLB 4K entries (" + f.name()
                    + "); measured reach ≈ " + l1.reachPages() + " pages"));
            if (base != null) b.note(compare("L1", base.l1(), l1));
            out.add(b.build());
        }
        TlbReachCurve.Step l2 = c.l2();
        if (l2 == null) {
            out.add(CaseResult.skipped(ID, prefix + "/reach/l2", Map.of(), "pages",
                    "L2 TLB reach (" + page + " pages): not found in the measured range (" + range + ")"
                            + l2Fact.map(f -> "; CPUID says " + TlbHostFacts.entries(f) + " L2 entries").orElse("")));
            out.add(CaseResult.skipped(ID, prefix + "/walk-penalty", Map.of(), "ns/miss",
                    "page-walk penalty: no L2 step found in the measured range (" + range + ")"));
        } else {
            CaseResultBuilder b = derived(prefix + "/reach/l2", "pages", l2.reachPages())
                    .note(String.format("sparse - packed steps from %s ns at %d pages to %s ns at %d pages; %s",
                            fmt(c.difference(l2.index() - 1)), l2.reachPages(), fmt(c.difference(l2.index())),
                            l2.firstAbovePages(), rule));
            l2Fact.ifPresent(f -> {
                b.note("CPUID says " + TlbHostFacts.entries(f) + " L2 entries (" + f.name() + "); measured reach ≈ "
                        + l2.reachPages() + " pages");
                if (f.flag() != null) b.note("host facts flag that CPUID value: " + f.flag());
            });
            if (base != null) b.note(compare("L2", base.l2(), l2));
            out.add(b.build());
            double[] r = c.walkRange();
            out.add(derived(prefix + "/walk-penalty", "ns/miss", c.walkPenalty())
                    .note(String.format("median of sparse - packed from %d pages on (past the L2 reach): %s ns per load,"
                                    + " range %s..%s ns", l2.firstAbovePages(), fmt(c.walkPenalty()), fmt(r[0]), fmt(r[1])))
                    .build());
        }
        if (base != null && l1 == null && base.l1() != null) {
            out.add(CaseResult.skipped(ID, prefix + "/vs-4k", Map.of(), "pages", "no L1 step on " + page
                    + " pages in the measured range (" + range + "), while 4 KiB pages step after "
                    + base.l1().reachPages() + " pages: huge pages enlarged the reach beyond the measured range"));
        }
        return c;
    }

    private static String compare(String level, TlbReachCurve.Step fourK, TlbReachCurve.Step huge) {
        if (fourK == null) return level + ": the 4 KiB curve has no such step to compare with";
        if (huge.reachPages() > fourK.reachPages()) {
            return level + ": huge pages enlarged the reach: " + huge.reachPages() + " vs " + fourK.reachPages() + " 4 KiB pages";
        }
        return level + ": huge pages did not enlarge the reach here: " + huge.reachPages() + " vs "
                + fourK.reachPages() + " 4 KiB pages";
    }

    private static CaseResultBuilder derived(String caseId, String unit, double value) {
        BatchPlan one = new BatchPlan(0, 1, 1);
        return new CaseResultBuilder(ID, caseId, unit).param("derived", "from the measured curve").valuesInUnit(one,
                new double[] {value}, null);
    }

    private static String fmt(double v) {
        return String.format("%.2f", v);
    }

}
