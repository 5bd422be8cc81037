package io.ctxprobe.report;

import io.ctxprobe.report.CostLadder.Claim;
import io.ctxprobe.report.CostLadder.Verdict;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The seed's claims that one case's figures decide (the preemptive side and the TLB flush), beside
 * {@link CostLadder}'s comparisons. Read from the cases by key and their derived figures and params
 * only — the report module does not know the probes — so the labels here are the probes' (each probe
 * class names its labels as constants and says the ladder reads them):
 * <ul>
 *   <li>the kernel's slice, the wake-up wait, the fiber preemption cost: confirmed when the case is
 *       measured with its figure (a flagged case keeps the verdict, marked "[flagged: why]");</li>
 *   <li>"a virtual thread that never yields holds its carrier": confirmed when {@code vthread.starve/
 *       virtual/spin} is ok (the starving thread waited the spin out), contradicted when it is
 *       flagged (it ran before the spin ended);</li>
 *   <li>"a process switch flushes an untagged TLB; a thread switch leaves it valid": confirmed when
 *       tlb.flush saw the process switches flush (yes), contradicted when PCID kept them (no), mixed
 *       when partly, not measured when no address-space switch was seen;</li>
 * </ul>
 * and not measured, saying what it needs, when the case or its figure is absent.
 */
final class FigureClaims {

    static final String SLICE_CASE = "sched.slice/threads/default";
    static final String WAKEUP_CASE = "sched.wakeup/futex/busy";
    static final String PREEMPT_CASE = "fiber.preempt/signal/100us";
    static final String STARVE_CASE = "vthread.starve/virtual/spin";
    static final String FLUSH_CASE = "tlb.flush/process/same-core";
    static final String FLUSH_THREAD_CASE = "tlb.flush/thread/same-core";

    private FigureClaims() {}

    static List<Claim> of(Map<String, CaseResult> byKey) {
        return List.of(
                value("the kernel preempts a busy thread after a time slice", SLICE_CASE, byKey,
                        List.of("time slice of a busy thread"), "≈ %s ms here"),
                value("a woken thread waits behind a busy one", WAKEUP_CASE, byKey,
                        List.of("wake-up wait behind a busy thread"), "≈ %s µs here"),
                value("preempting a fiber from user space costs a signal round trip, a cooperative yield far less",
                        PREEMPT_CASE, byKey, List.of("preemption by a timer signal", "cooperative yield", "preemption over yield"),
                        "≈ %s µs per preemption here"),
                starve(byKey),
                flush(byKey));
    }

    /** A claim that states a measured figure: confirmed when the case has it. */
    private static Claim value(String claim, String key, Map<String, CaseResult> byKey, List<String> labels, String headline) {
        CaseResult r = byKey.get(key);
        List<Derived> figures = r == null ? List.of() : labels.stream().map(r::derived).flatMap(Optional::stream).toList();
        if (r == null || figures.isEmpty() || !figures.getFirst().label().equals(labels.getFirst())) {
            return Claim.ofFigures(claim, Verdict.NOT_MEASURED, "needs " + key + " in this run", List.of());
        }
        Derived main = figures.getFirst();
        String evidence = String.format(Locale.ROOT, headline, CostLadder.plain(main.value())) + ": "
                + (main.note() != null ? main.note() : key) + flagged(r);
        return Claim.ofFigures(claim, Verdict.CONFIRMED, evidence, figures);
    }

    private static Claim starve(Map<String, CaseResult> byKey) {
        String claim = "a virtual thread that never yields holds its carrier";
        CaseResult r = byKey.get(STARVE_CASE);
        if (r == null) return Claim.ofFigures(claim, Verdict.NOT_MEASURED, "needs " + STARVE_CASE + " in this run", List.of());
        List<Derived> figures = r.derived("wait behind a spinning virtual thread").stream().toList();
        String figure = figures.isEmpty() ? "" : figures.getFirst().note() != null ? figures.getFirst().note()
                : "B waited " + CostLadder.plain(figures.getFirst().value()) + " ms";
        if (r.status() == Status.FLAGGED) {
            return Claim.ofFigures(claim, Verdict.CONTRADICTED, "the waiting virtual thread ran before the spin ended: "
                    + r.reason() + (figure.isEmpty() ? "" : "; " + figure), figures);
        }
        return Claim.ofFigures(claim, Verdict.CONFIRMED, figure.isEmpty() ? STARVE_CASE + " ok" : figure, figures);
    }

    private static Claim flush(Map<String, CaseResult> byKey) {
        String claim = "a process switch flushes an untagged TLB; a thread switch leaves it valid";
        CaseResult process = byKey.get(FLUSH_CASE);
        String answer = process == null ? null : process.params().get("process_switch_flushed_tlb");
        if (answer == null) {
            return Claim.ofFigures(claim, Verdict.NOT_MEASURED, "needs " + FLUSH_CASE + " in this run (tracepoints: root,"
                    + " x86-64)", List.of());
        }
        List<Derived> figures = new ArrayList<>();
        figures.add(Derived.of("process switch: task-switch tlb_flush events per switch", process.stats().median(),
                process.unit(), process.key()));
        CaseResult thread = byKey.get(FLUSH_THREAD_CASE);
        if (thread != null) {
            figures.add(Derived.of("thread switch: task-switch tlb_flush events per switch", thread.stats().median(),
                    thread.unit(), thread.key()));
        }
        process.derived("TLB kept across process switches").ifPresent(figures::add);
        process.derived("full TLB flushes among process switches").ifPresent(figures::add);
        String sentence = process.derived("TLB kept across process switches").map(Derived::note)
                .orElse("process switches flushed the TLB: " + answer);
        Verdict v = switch (answer) {
            case "yes" -> Verdict.CONFIRMED;
            case "no" -> Verdict.CONTRADICTED;
            case "partly" -> Verdict.MIXED;
            default -> Verdict.NOT_MEASURED;   // "no address space switch": the kernel did not switch address spaces
        };
        return Claim.ofFigures(claim, v, sentence + flagged(process), figures);
    }

    private static String flagged(CaseResult r) {
        return r.status() == Status.FLAGGED ? " [flagged: " + r.reason() + "]" : "";
    }
}
