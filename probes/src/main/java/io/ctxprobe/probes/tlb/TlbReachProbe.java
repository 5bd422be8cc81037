package io.ctxprobe.probes.tlb;

import io.ctxprobe.probes.measurement.NativeLoops;
import io.ctxprobe.probes.measurement.InThreadMeasurement;
import io.ctxprobe.probes.measurement.Cases;
import io.ctxprobe.linux.NativeCore;
import io.ctxprobe.linux.NativeTlb;
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
import java.util.TreeMap;

/**
 * tlb.reach — how many pages the data TLBs cover, measured: a dependent pointer chase over N lines
 * one per 4 KiB page (sparse) against the same N lines packed into N/64 pages (the cache control).
 * {@code sparse - packed} is the TLB's share; where it steps up, a TLB level ran out. After the
 * coarse sweep the probe measures the points {@link TlbStepLocator} asks for until each step is
 * located (L1 within 4 pages, each boundary of a gradual L2 within 5% of its N); the L1 and L2 reach
 * (intervals, with their evidence) and the page-walk penalty come from the curve only, as derived
 * figures on the sparse cases that confirmed each step ({@link TlbReachReport}), with CPUID's figure
 * set beside them as a reference with a verdict, never as the answer. The same sparse chase on transparent huge pages and on
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
    /** A bound on refined measurements per layout (the locator's own budget is 24 per step). */
    private static final int MAX_REFINED_POINTS = 2 * TlbStepLocator.MAX_REFINED_PER_LEVEL + 4;

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

    /**
     * Every measurement of one layout, by N; a second one at the same N (a re-measure the refinement
     * asks for) is the case {@code <prefix>/<N>/again}. After the first skipped point the layout's
     * later points are skipped with the same reason.
     */
    private static final class Series {
        final String prefix;
        final NativeTlb.Layout layout;
        final TreeMap<Long, List<Double>> fastest = new TreeMap<>();
        final List<CaseResult> results = new ArrayList<>();
        String skip;

        Series(String prefix, NativeTlb.Layout layout) {
            this.prefix = prefix;
            this.layout = layout;
        }

        int count(long n) {
            return fastest.getOrDefault(n, List.of()).size();
        }

        /** The fastest figure at the nearest measured N at or above n (else below), or null. */
        Double nearestFastest(long n) {
            Map.Entry<Long, List<Double>> e = fastest.ceilingEntry(n) != null ? fastest.ceilingEntry(n) : fastest.floorEntry(n);
            return e == null ? null : e.getValue().get(0);
        }

        boolean allSkipped() {
            return results.stream().allMatch(r -> r.status() == Status.SKIPPED);
        }
    }

    @Override
    public List<CaseResult> run(ProbeContext ctx) {
        long[] pages = pagesOverride != null ? pagesOverride : ctx.options().quick() ? QUICK_PAGES : DEFAULT_PAGES;
        List<CaseResult> results = new ArrayList<>();
        int cpu = ctx.cpus().first();
        try (ProbeContext.Pin _ = ctx.pinCurrentThread(cpu)) {
            Series sparse = new Series("4k/sparse", NativeTlb.Layout.SPARSE_4K);
            Series packed = new Series("4k/packed", NativeTlb.Layout.PACKED);
            sweep(ctx, sparse, pages, cpu);
            sweep(ctx, packed, pages, cpu);
            TlbReachReport fourK = refineAndReport(ctx, "4k", pages, sparse, packed, cpu, results, null);

            String thp = TlbHostFacts.thpMode(ctx.host());
            if ("never".equals(thp)) {
                results.add(CaseResult.skipped(ID, "thp", Map.of(), UNIT, "transparent huge pages are off (THP enabled = never)"));
            } else {
                Series thpCurve = new Series("thp/sparse", NativeTlb.Layout.SPARSE_THP);
                sweep(ctx, thpCurve, pages, cpu);
                refineAndReport(ctx, "thp", pages, thpCurve, packed, cpu, results, fourK);
            }

            Series huge = new Series("hugetlb/sparse", NativeTlb.Layout.SPARSE_HUGETLB);
            sweep(ctx, huge, pages, cpu);
            if (huge.allSkipped()) {
                results.add(CaseResult.skipped(ID, "hugetlb", Map.of(), UNIT, huge.results.get(0).reason()));
            } else {
                refineAndReport(ctx, "hugetlb", pages, huge, packed, cpu, results, fourK);
            }
        }
        return results;
    }

    /** The coarse sweep of one layout over the grid. */
    private static void sweep(ProbeContext ctx, Series s, long[] pages, int cpu) {
        for (long n : pages) measure(ctx, s, n, cpu, null);
    }

    /**
     * Measures one point of a series (or records it skipped after the series' first skip). Returns, and
     * keeps for the locator, the point's fastest batch (interference only slows a chase); NaN when it did not run.
     */
    private static double measure(ProbeContext ctx, Series s, long n, int cpu, String refinement) {
        String caseId = s.prefix + "/" + n + (s.count(n) == 0 ? "" : "/again");
        CaseResult r;
        if (s.skip != null) {
            r = CaseResult.skipped(ID, caseId, Map.of("pages", String.valueOf(n)), UNIT, s.skip);
        } else {
            Double estimate = refinement == null ? null : s.nearestFastest(n);
            r = Cases.attempt(ctx, ID, caseId, UNIT, () -> point(ctx, caseId, s.layout, n, cpu, refinement, estimate));
            if (r.status() == Status.SKIPPED) s.skip = r.reason();
        }
        s.results.add(r);
        double fastest = r.stats() == null ? Double.NaN : r.stats().min();
        if (!Double.isNaN(fastest)) s.fastest.computeIfAbsent(n, k -> new ArrayList<>()).add(fastest);
        return fastest;
    }

    /** Sparse and packed paired by N and by measurement (the packed control is shared by every layout). */
    private static List<TlbStepLocator.Sample> samples(Series sparse, Series packed) {
        List<TlbStepLocator.Sample> out = new ArrayList<>();
        for (Map.Entry<Long, List<Double>> e : sparse.fastest.entrySet()) {
            List<Double> p = packed.fastest.getOrDefault(e.getKey(), List.of());
            for (int i = 0; i < Math.min(e.getValue().size(), p.size()); i++) {
                out.add(new TlbStepLocator.Sample(e.getKey(), e.getValue().get(i), p.get(i)));
            }
        }
        return out;
    }

    /**
     * After the coarse sweep: the points {@link TlbStepLocator} asks for, until every step is located
     * (or a point fails), then the layout's cases with their derived figures. The packed control is measured
     * at a refined N only when this layout needs one more packed measurement there than exist.
     */
    private static TlbReachReport refineAndReport(ProbeContext ctx, String prefix, long[] pages, Series sparse, Series packed,
                                                  int cpu, List<CaseResult> out, TlbReachReport base) {
        int packedBefore = prefix.equals("4k") ? 0 : packed.results.size();
        // the quick suite's budget: huge-page curves refine their L1 step only (their L2 is the coarse interval)
        int refine = prefix.equals("4k") || !ctx.options().quick() ? TlbStepLocator.LEVELS : 1;
        String stopped = null;
        for (int i = 0; i < MAX_REFINED_POINTS; i++) {
            Optional<TlbStepLocator.Request> r = TlbStepLocator.next(pages, samples(sparse, packed), refine);
            if (r.isEmpty()) break;
            long n = r.get().pages();
            double s = measure(ctx, sparse, n, cpu, r.get().why());
            double p = packed.count(n) < sparse.count(n) ? measure(ctx, packed, n, cpu, r.get().why()) : 0;
            if (Double.isNaN(s) || Double.isNaN(p)) {
                stopped = "the refinement stopped: the point at " + n + " pages did not run";
                break;
            }
        }
        List<TlbStepLocator.Sample> samples = samples(sparse, packed);
        TlbReachReport report = new TlbReachReport(ID, prefix, TlbStepLocator.coarseCurve(pages, samples),
                TlbStepLocator.levels(pages, samples, refine), stopped);
        out.addAll(report.attach(sparse.results, ctx.host(), base));
        out.addAll(packed.results.subList(packedBefore, packed.results.size()));
        return report;
    }

    /**
     * One point. {@code estimateNs} (ns per load, from the nearest measured N) sizes the batches of a
     * refined point without a pilot run: each run maps and touches N pages afresh, which costs more
     * than the chase itself at a few thousand pages in a VM. Null: a pilot run sizes them.
     */
    private static CaseResult point(ProbeContext ctx, String caseId, NativeTlb.Layout layout, long n, int cpu,
                                    String refinement, Double estimateNs) {
        boolean quick = ctx.options().quick();
        int batches = ctx.options().batches() != null ? ctx.options().batches() : quick ? QUICK_BATCHES
                : ctx.options().measuredBatches();
        long batchNs = quick ? QUICK_BATCH_NS : DEFAULT_BATCH_NS;
        long started = System.nanoTime();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment wall = arena.allocate(ValueLayout.JAVA_LONG, batches);
            MemorySegment huge = arena.allocate(ValueLayout.JAVA_LONG);
            double perLoadNs;
            if (estimateNs == null) {
                long pilotOps = Math.max(2 * n, 20_000);
                check(layout, NativeTlb.reachRun(layout, n, 0, 1, pilotOps, wall, huge));
                perLoadNs = (double) wall.get(ValueLayout.JAVA_LONG, 0) / pilotOps;
            } else {
                perLoadNs = estimateNs;
            }
            long ops = Math.max(2 * n, (long) (batchNs / Math.max(perLoadNs, 0.1)));
            BatchPlan plan = new BatchPlan(1, batches, ops);
            int[] rc = new int[1];
            // Counted per load over the run (the warm-up batch included): dTLB misses per load where a PMU exists.
            CounterReadings events = InThreadMeasurement.counted(ctx, (long) (plan.warmup() + batches) * ops,
                    () -> rc[0] = NativeTlb.reachRun(layout, n, plan.warmup(), batches, ops, wall, huge));
            check(layout, rc[0]);
            long[] wallNs = wall.toArray(ValueLayout.JAVA_LONG);
            String layoutText = switch (layout) {
                case SPARSE_4K -> "sparse: one line per 4 KiB page";
                case PACKED -> "packed: the same lines contiguous (cache control)";
                case SPARSE_THP -> "sparse on transparent huge pages (madvise)";
                default -> "sparse on hugetlbfs pages (MAP_HUGETLB)";
            };
            CaseResultBuilder b = new CaseResultBuilder(ID, caseId, UNIT).param("pages", n).param("layout", layoutText)
                    .param("cpu", cpu).batches(plan, 1, wallNs, null)
                    .timer("CLOCK_MONOTONIC (C)", NativeLoops.clockReadNs())
                    .counters(events.counters());
            if (refinement != null) b.param("refinement", refinement);
            events.notes().forEach(b::note);
            long kib = huge.get(ValueLayout.JAVA_LONG, 0);
            if (layout == NativeTlb.Layout.SPARSE_THP || layout == NativeTlb.Layout.SPARSE_HUGETLB) {
                b.param("hugeKiB", kib < 0 ? "unreadable" : String.valueOf(kib));
                if (layout == NativeTlb.Layout.SPARSE_THP && kib == 0) {
                    b.note("the kernel gave no transparent huge page (AnonHugePages 0 kB): this point ran on 4 KiB pages");
                }
            }
            return b.wallMs((System.nanoTime() - started) / 1e6).build();
        }
    }

    /** A run's negative errno: hugetlbfs's failed reservation is a skip with the fix, anything else an error. */
    private static void check(NativeTlb.Layout layout, int rc) {
        if (rc >= 0) return;
        if (layout == NativeTlb.Layout.SPARSE_HUGETLB) {
            throw new io.ctxprobe.probe.ProbeUnavailableException("hugetlbfs pages could not be mapped (MAP_HUGETLB: "
                    + Errno.name(-rc) + "); " + TlbHostFacts.nrHugepages() + " — reserve some with sysctl vm.nr_hugepages=N");
        }
        NativeCore.check("ctxprobe_tlb_reach_run", rc);
    }
}
