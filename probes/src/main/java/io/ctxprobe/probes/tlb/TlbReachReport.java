package io.ctxprobe.probes.tlb;

import io.ctxprobe.host.Fact;
import io.ctxprobe.host.HostFacts;
import io.ctxprobe.measure.BatchPlan;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.CaseResultBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * tlb.reach's derived cases for one page kind ({@code 4k}, {@code thp}, {@code hugetlb}):
 * {@code <prefix>/reach/l1} and {@code /reach/l2} (unit pages: the last N still at the plateau, with
 * the whole interval and its evidence typed in the params), {@code <prefix>/walk-penalty}. Each reach
 * sets CPUID's figure beside it with a plain verdict; CPUID can be wrong (a hypervisor's), so it is
 * reported, never used to decide anything.
 */
final class TlbReachReport {

    private final String probe;
    private final String prefix;
    private final TlbReachCurve coarse;
    private final List<TlbStepLocator.Level> levels;
    private final String stopped;

    /** {@code coarse} may be null (fewer than two points ran); {@code stopped} says why refining ended early, or null. */
    TlbReachReport(String probe, String prefix, TlbReachCurve coarse, List<TlbStepLocator.Level> levels, String stopped) {
        this.probe = probe;
        this.prefix = prefix;
        this.coarse = coarse;
        this.levels = levels;
        this.stopped = stopped;
    }

    /** The located step at level 1 or 2, or null. */
    TlbStepLocator.Level level(int level) {
        return levels.size() < level ? null : levels.get(level - 1);
    }

    List<CaseResult> cases(HostFacts host, TlbReachReport base) {
        List<CaseResult> out = new ArrayList<>();
        if (coarse == null) {
            out.add(CaseResult.skipped(probe, prefix + "/reach/l1", Map.of(), "pages", "too few measured points to derive a reach"));
            return out;
        }
        String range = "measured N = " + coarse.pagesAt(0) + ".." + coarse.pagesAt(coarse.size() - 1) + " pages";
        String page = prefix.equals("4k") ? "4 KiB" : prefix.equals("thp") ? "transparent huge" : "hugetlbfs";
        for (int l = 1; l <= 2; l++) {
            Optional<Fact> cpuid = TlbHostFacts.cpuidDataTlb(host, l);
            String name = l == 1 ? "L1 dTLB" : "L2 TLB";
            TlbStepLocator.Level level = level(l);
            if (level == null) {
                out.add(CaseResult.skipped(probe, prefix + "/reach/l" + l, Map.of(), "pages", name + " reach (" + page
                        + " pages): not found in the measured range (" + range + ")"
                        + cpuid.map(f -> "; CPUID says " + TlbHostFacts.entries(f) + " entries").orElse("")));
            } else {
                out.add(reach(level, name, page, cpuid, base == null ? null : base.level(l)));
            }
        }
        TlbReachCurve.Step l2 = coarse.l2();
        if (l2 == null) {
            out.add(CaseResult.skipped(probe, prefix + "/walk-penalty", Map.of(), "ns/miss",
                    "page-walk penalty: no L2 step found in the measured range (" + range + ")"));
        } else {
            double[] r = coarse.walkRange();
            out.add(derived(prefix + "/walk-penalty", "ns/miss", coarse.walkPenalty())
                    .note(String.format(Locale.ROOT, "median of sparse - packed over the coarse points from %d pages on"
                                    + " (past the L2 step): %s ns per load, range %s..%s ns", l2.firstAbovePages(),
                            fmt(coarse.walkPenalty()), fmt(r[0]), fmt(r[1])))
                    .build());
        }
        if (base != null && level(1) == null && base.level(1) != null) {
            out.add(CaseResult.skipped(probe, prefix + "/vs-4k", Map.of(), "pages", "no L1 step on " + page
                    + " pages in the measured range (" + range + "), while 4 KiB pages step after "
                    + base.level(1).start().lower() + " pages: huge pages enlarged the reach beyond the measured range"));
        }
        return out;
    }

    private CaseResult reach(TlbStepLocator.Level lv, String name, String page, Optional<Fact> cpuid, TlbStepLocator.Level base) {
        TlbStepLocator.Boundary start = lv.start();
        TlbStepLocator.Boundary sat = lv.saturation();
        CaseResultBuilder b = derived(prefix + "/reach/l" + lv.level(), "pages", start.lower() >= 0 ? start.lower() : start.upper())
                .param("rise.lower", start.lower()).param("rise.upper", start.upper())
                .param("rise.d.lower", fmt(start.dLower())).param("rise.d.upper", fmt(start.dUpper()))
                .param("saturation.lower", sat.lower()).param("saturation.upper", sat.upper())
                .param("saturation.d.lower", fmt(sat.dLower())).param("saturation.d.upper", fmt(sat.dUpper()))
                .param("plateau", fmt(lv.plateau())).param("top", fmt(lv.top())).param("top.pages", lv.topPages())
                .param("shape", lv.gradual() ? "gradual" : "sharp").param("refined", lv.refined());
        String where = lv.gradual()
                ? String.format(Locale.ROOT, "the rise starts between %d (d = %s ns) and %d pages (%s ns) and saturates"
                                + " between %d (%s ns) and %d pages (%s ns): a gradual step", start.lower(), fmt(start.dLower()),
                        start.upper(), fmt(start.dUpper()), sat.lower(), fmt(sat.dLower()), sat.upper(), fmt(sat.dUpper()))
                : String.format(Locale.ROOT, "d = sparse - packed is at the plateau up to %d pages (%s ns) and from %d pages"
                                + " (%s ns) on holds at the step's level: a sharp step", start.lower(), fmt(start.dLower()),
                        start.upper(), fmt(start.dUpper()));
        b.note(String.format(Locale.ROOT, "%s reach (%s pages): %s; plateau %s ns, top %s ns at %d pages",
                name, page, where, fmt(lv.plateau()), fmt(lv.top()), lv.topPages()));
        boolean coarseOnly = !lv.located() && start.why().startsWith(TlbStepLocator.COARSE_ONLY);
        b.note("rule: d from each point's fastest batch; the rise starts where d holds above the plateau by 5% of the"
                + " step (at least 0.1 cache-hit load) and saturates where it holds at 90% of it, for every following"
                + " point" + (coarseOnly ? "" : "; each located to within max(4 pages, 5% of N) by bisection, the first"
                + " point above re-measured (minimum of two), " + lv.refined() + " refined points"));
        cpuid.ifPresent(f -> {
            Integer e = TlbHostFacts.entries(f);
            if (e == null) return;
            String verdict = TlbStepLocator.cpuidVerdict(e, lv);
            b.param("cpuid", e).param("cpuid.verdict", verdict);
            b.note("CPUID says " + e + " entries (" + f.name() + "): " + verdict + " (measured " + start.lower() + "–"
                    + sat.upper() + " pages)");
            if (f.flag() != null) b.note("host facts flag that CPUID value: " + f.flag());
        });
        if (base != null) b.note(compare("L" + lv.level(), base, lv));
        if (coarseOnly) {
            b.note("not refined in the quick suite (it refines the 4 KiB curve's steps and the huge-page curves' L1):"
                    + " the interval is the coarse grid's");
        } else if (!lv.located()) {
            b.flag(name + " not located to the tolerance: " + (start.located() ? sat.why() : start.why())
                    + (stopped != null ? "; " + stopped : ""));
        }
        return b.build();
    }

    private static String compare(String level, TlbStepLocator.Level fourK, TlbStepLocator.Level huge) {
        long h = huge.start().lower();
        long f = fourK.start().lower();
        if (h > fourK.saturation().upper()) {
            return level + ": huge pages enlarged the reach: " + h + " vs " + f + " 4 KiB pages";
        }
        return level + ": huge pages did not enlarge the reach here: " + h + " vs " + f + " 4 KiB pages";
    }

    private CaseResultBuilder derived(String caseId, String unit, double value) {
        BatchPlan one = new BatchPlan(0, 1, 1);
        return new CaseResultBuilder(probe, caseId, unit).param("derived", "from the measured curve").valuesInUnit(one,
                new double[] {value}, null);
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }
}
