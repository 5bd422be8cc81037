package io.ctxprobe.probes.tlb;

import io.ctxprobe.host.Fact;
import io.ctxprobe.host.HostFacts;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.Derived;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * tlb.reach's derived figures for one page kind ({@code 4k}, {@code thp}, {@code hugetlb}), set on the
 * sparse case where each step was confirmed (never cases of their own):
 * <ul>
 *   <li>{@value #L1_REACH} / {@value #L2_REACH}: where the rise starts, as an interval in pages (the
 *       last N at the plateau lies in [low, high]), on the sparse case at the interval's upper end,
 *       with CPUID's entry count as its {@link Derived.Reference} and a plain verdict; CPUID can be
 *       wrong (a hypervisor's), so it is reported, never used to decide anything;</li>
 *   <li>{@value #L1_SATURATION} / {@value #L2_SATURATION}: for a gradual step, where the rise reaches
 *       90% of the step, on the sparse case at that interval's upper end;</li>
 *   <li>{@value #WALK_PENALTY}: ns per miss past the L2 step, on the first coarse point above it.</li>
 * </ul>
 * The evidence (d = sparse - packed either side of each boundary, plateau, top, shape, refined points)
 * is in params {@code l1.*} / {@code l2.*} of the case holding the figure, and in its notes. A figure
 * not found in the measured range is absent; a note on the layout's last measured point says why.
 */
final class TlbReachReport {

    static final String L1_REACH = "L1 reach";
    static final String L2_REACH = "L2 reach";
    static final String L1_SATURATION = "L1 reach (saturation)";
    static final String L2_SATURATION = "L2 reach (saturation)";
    static final String WALK_PENALTY = "walk penalty";

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

    static String reachLabel(int level) {
        return level == 1 ? L1_REACH : L2_REACH;
    }

    /** {@code sparse} (this layout's sparse cases, in order) with the derived figures, evidence and absence notes set. */
    List<CaseResult> attach(List<CaseResult> sparse, HostFacts host, TlbReachReport base) {
        List<CaseResult> out = new ArrayList<>(sparse);
        int last = largestMeasured(out);
        if (last < 0) return out;
        if (coarse == null) {
            out.set(last, out.get(last).withNote("too few measured points to derive a reach"));
            return out;
        }
        String range = "measured N = " + coarse.pagesAt(0) + ".." + coarse.pagesAt(coarse.size() - 1) + " pages";
        String page = prefix.equals("4k") ? "4 KiB" : prefix.equals("thp") ? "transparent huge" : "hugetlbfs";
        for (int l = 1; l <= 2; l++) {
            Optional<Fact> cpuid = TlbHostFacts.cpuidDataTlb(host, l);
            String name = l == 1 ? "L1 dTLB" : "L2 TLB";
            TlbStepLocator.Level level = level(l);
            if (level == null) {
                note(out, last, name + " reach (" + page + " pages): not found in the measured range (" + range + ")"
                        + cpuid.map(f -> "; CPUID says " + TlbHostFacts.entries(f) + " entries").orElse(""));
            } else {
                reach(out, level, name, page, cpuid, base == null ? null : base.level(l));
            }
        }
        TlbReachCurve.Step l2 = coarse.l2();
        if (l2 == null) {
            note(out, last, "page-walk penalty: no L2 step found in the measured range (" + range + ")");
        } else {
            double[] r = coarse.walkRange();
            int at = lastMeasured(out, l2.firstAbovePages());
            List<String> from = new ArrayList<>();
            for (int i = 0; i < coarse.size(); i++) {
                if (coarse.pagesAt(i) >= l2.firstAbovePages()) from.addAll(keys(coarse.pagesAt(i)));
            }
            if (at >= 0) {
                out.set(at, out.get(at).withDerived(new Derived(WALK_PENALTY, coarse.walkPenalty(), null, null, "ns/miss", from,
                        String.format(Locale.ROOT, "median of sparse - packed over the coarse points from %d pages on"
                                + " (past the L2 step): %s ns per load, range %s..%s ns", l2.firstAbovePages(),
                                fmt(coarse.walkPenalty()), fmt(r[0]), fmt(r[1])), null)));
            }
        }
        if (base != null && level(1) == null && base.level(1) != null) {
            note(out, last, "no L1 step on " + page + " pages in the measured range (" + range + "), while 4 KiB pages step"
                    + " after " + base.level(1).start().lower() + " pages: huge pages enlarged the reach beyond the measured range");
        }
        return out;
    }

    /** One level's figures on the sparse cases where its boundaries were confirmed. */
    private void reach(List<CaseResult> out, TlbStepLocator.Level lv, String name, String page, Optional<Fact> cpuid,
                       TlbStepLocator.Level base) {
        TlbStepLocator.Boundary start = lv.start();
        TlbStepLocator.Boundary sat = lv.saturation();
        int at = lastMeasured(out, start.upper());
        if (at < 0) return;   // the confirming point did not run: no figure (the refinement's stop is in the notes)
        String p = "l" + lv.level() + ".";
        Map<String, String> evidence = new LinkedHashMap<>();
        evidence.put(p + "rise.lower", String.valueOf(start.lower()));
        evidence.put(p + "rise.upper", String.valueOf(start.upper()));
        evidence.put(p + "rise.d.lower", fmt(start.dLower()));
        evidence.put(p + "rise.d.upper", fmt(start.dUpper()));
        evidence.put(p + "saturation.lower", String.valueOf(sat.lower()));
        evidence.put(p + "saturation.upper", String.valueOf(sat.upper()));
        evidence.put(p + "saturation.d.lower", fmt(sat.dLower()));
        evidence.put(p + "saturation.d.upper", fmt(sat.dUpper()));
        evidence.put(p + "plateau", fmt(lv.plateau()));
        evidence.put(p + "top", fmt(lv.top()));
        evidence.put(p + "top.pages", String.valueOf(lv.topPages()));
        evidence.put(p + "shape", lv.gradual() ? "gradual" : "sharp");
        evidence.put(p + "refined", String.valueOf(lv.refined()));
        String where = lv.gradual()
                ? String.format(Locale.ROOT, "the rise starts between %d (d = %s ns) and %d pages (%s ns) and saturates"
                                + " between %d (%s ns) and %d pages (%s ns): a gradual step", start.lower(), fmt(start.dLower()),
                        start.upper(), fmt(start.dUpper()), sat.lower(), fmt(sat.dLower()), sat.upper(), fmt(sat.dUpper()))
                : String.format(Locale.ROOT, "d = sparse - packed is at the plateau up to %d pages (%s ns) and from %d pages"
                                + " (%s ns) on holds at the step's level: a sharp step", start.lower(), fmt(start.dLower()),
                        start.upper(), fmt(start.dUpper()));
        List<String> notes = new ArrayList<>();
        notes.add(String.format(Locale.ROOT, "%s reach (%s pages): %s; plateau %s ns, top %s ns at %d pages",
                name, page, where, fmt(lv.plateau()), fmt(lv.top()), lv.topPages()));
        boolean coarseOnly = !lv.located() && start.why().startsWith(TlbStepLocator.COARSE_ONLY);
        notes.add("rule: d from each point's fastest batch; the rise starts where d holds above the plateau by 5% of the"
                + " step (at least 0.1 cache-hit load) and saturates where it holds at 90% of it, for every following"
                + " point" + (coarseOnly ? "" : "; each located to within max(4 pages, 5% of N) by bisection, the first"
                + " point above re-measured (minimum of two), " + lv.refined() + " refined points"));
        String figureNote = lv.gradual() ? "the last N at the plateau; a gradual step (see " + reachLabel(lv.level())
                + " (saturation))" : "the last N at the plateau; a sharp step";
        Derived.Reference ref = null;
        Integer e = cpuid.map(TlbHostFacts::entries).orElse(null);
        if (e != null) {
            Fact f = cpuid.get();
            String verdict = TlbStepLocator.cpuidVerdict(e, lv);
            ref = new Derived.Reference("CPUID " + name + " " + (prefix.equals("4k") ? "4K " : "") + "entries", e, f.name(), verdict);
            notes.add("CPUID says " + e + " entries (" + f.name() + "): " + verdict + " (measured " + start.lower() + "–"
                    + sat.upper() + " pages)");
            if (f.flag() != null) notes.add("host facts flag that CPUID value: " + f.flag());
        }
        if (base != null) notes.add(compare("L" + lv.level(), base, lv));
        if (coarseOnly) {
            notes.add("not refined in the quick suite (it refines the 4 KiB curve's steps and the huge-page curves' L1):"
                    + " the interval is the coarse grid's");
            figureNote += "; the coarse grid's interval (not refined)";
        } else if (!lv.located()) {
            String why = name + " not located to the tolerance: " + (start.located() ? sat.why() : start.why())
                    + (stopped != null ? "; " + stopped : "");
            notes.add(why);
            figureNote += "; " + why;
        }
        Derived reach = new Derived(reachLabel(lv.level()), null, start.lower() >= 0 ? (double) start.lower() : null,
                (double) start.upper(), "pages", boundaryKeys(start.lower(), start.upper()), figureNote, ref);
        CaseResult host = out.get(at).withParams(evidence).withDerived(reach);
        for (String n : notes) host = host.withNote(n);
        out.set(at, host);
        if (lv.gradual() && sat.upper() >= 0) {
            int satAt = lastMeasured(out, sat.upper());
            if (satAt >= 0) {
                out.set(satAt, out.get(satAt).withDerived(Derived.interval(lv.level() == 1 ? L1_SATURATION : L2_SATURATION,
                        null, sat.lower() >= 0 ? (double) sat.lower() : null, (double) sat.upper(), "pages",
                        boundaryKeys(sat.lower(), sat.upper()).toArray(String[]::new))
                        .withNote("where d reaches 90% of the step: at or below the lower end, above it from the upper end on")));
            }
        }
    }

    private List<String> boundaryKeys(long lower, long upper) {
        List<String> k = new ArrayList<>();
        if (lower >= 0) k.addAll(keys(lower));
        k.addAll(keys(upper));
        return k;
    }

    /** The sparse and packed keys at N (the curve's d there is their difference). */
    private List<String> keys(long n) {
        return List.of(probe + "/" + prefix + "/sparse/" + n, probe + "/4k/packed/" + n);
    }

    /** The last measured case at N (a re-measure, where there is one: it confirmed the point), or -1. */
    private static int lastMeasured(List<CaseResult> cases, long n) {
        for (int i = cases.size() - 1; i >= 0; i--) {
            CaseResult c = cases.get(i);
            if (c.stats() != null && String.valueOf(n).equals(c.params().get("pages"))) return i;
        }
        return -1;
    }

    /** The measured case with the largest N (the end of the measured range), or -1. */
    private static int largestMeasured(List<CaseResult> cases) {
        int best = -1;
        for (int i = 0; i < cases.size(); i++) {
            CaseResult c = cases.get(i);
            if (c.stats() == null || c.params().get("pages") == null) continue;
            if (best < 0 || Long.parseLong(c.params().get("pages")) > Long.parseLong(cases.get(best).params().get("pages"))) best = i;
        }
        return best;
    }

    private static void note(List<CaseResult> out, int at, String note) {
        out.set(at, out.get(at).withNote(note));
    }

    private static String compare(String level, TlbStepLocator.Level fourK, TlbStepLocator.Level huge) {
        long h = huge.start().lower();
        long f = fourK.start().lower();
        if (h > fourK.saturation().upper()) {
            return level + ": huge pages enlarged the reach: " + h + " vs " + f + " 4 KiB pages";
        }
        return level + ": huge pages did not enlarge the reach here: " + h + " vs " + f + " 4 KiB pages";
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }
}
