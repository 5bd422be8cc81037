package io.ctxprobe.probes.tlb;

import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.Derived;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The seed's claim — a process switch changes the address space and so flushes an untagged TLB,
 * notably on x86, while a thread switch leaves it valid — answered for this host by the kernel's own
 * tlb_flush events on a same-CPU process ping-pong (and the thread one beside it). Typed, so that
 * the report and the cost ladder's claims read the same figures: the {@code process/same-core} case
 * carries them ({@link #on}: the answer as a param, the kept and full shares as derived figures, the
 * sentence as the kept share's note), and {@link #from(CaseResult)} reads them back.
 *
 * @param answer            whether process switches flushed the TLB
 * @param keptShare         task-switch events with pages 0 (TLB kept) over all task-switch events
 * @param fullShare         task-switch events with pages -1 (full flush) over all of them
 * @param processPerSwitch  task-switch tlb_flush events per switch between the two processes
 * @param threadPerSwitch   the same between the two threads; NaN when the thread case did not run
 */
public record TlbFlushVerdict(Answer answer, double keptShare, double fullShare, double processPerSwitch,
                              double threadPerSwitch) {

    /** "process switches flushed the TLB": no, yes, partly, or the address space did not even change. */
    public enum Answer {
        NO, YES, PARTLY, NO_ADDRESS_SPACE_SWITCH;

        public String word() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    /** At or above this share one way, the answer is that way; between, "partly". */
    static final double DECISIVE = 0.9;
    /** Below this many task-switch events per process switch, the kernel did not switch address spaces. */
    static final double SWITCHED_ADDRESS_SPACE = 0.5;

    public static TlbFlushVerdict of(FlushTally process, FlushTally thread) {
        double threadPer = thread == null ? Double.NaN : thread.perHandoff();
        Answer a;
        if (!(process.perHandoff() >= SWITCHED_ADDRESS_SPACE)) a = Answer.NO_ADDRESS_SPACE_SWITCH;
        else if (process.keptShare() >= DECISIVE) a = Answer.NO;
        else if (process.fullShare() >= DECISIVE) a = Answer.YES;
        else a = Answer.PARTLY;
        return new TlbFlushVerdict(a, process.keptShare(), process.fullShare(), process.perHandoff(), threadPer);
    }

    /** "process switches flushed the TLB: no — PCID kept 99.8% of them". */
    public String text() {
        String head = "process switches flushed the TLB: ";
        String body = switch (answer) {
            case NO -> "no — PCID kept " + pct(keptShare) + " of them (tlb_flush pages 0)";
            case YES -> "yes — " + pct(fullShare) + " of them were full flushes (tlb_flush pages -1: no PCID tagging)";
            case PARTLY -> "partly — " + pct(fullShare) + " full flushes, " + pct(keptShare) + " kept by PCID";
            case NO_ADDRESS_SPACE_SWITCH -> "no address-space switch was seen (" + FlushTally.fmt(processPerSwitch)
                    + " task-switch tlb_flush events per switch)";
        };
        String thread = Double.isNaN(threadPerSwitch) ? ""
                : "; thread switches: " + FlushTally.fmt(threadPerSwitch) + " task-switch tlb_flush events per switch";
        return head + body + thread;
    }

    /** Derived labels on the {@code process/same-core} case (stable: the cost ladder's claim reads them). */
    public static final String KEPT = "TLB kept across process switches";
    public static final String FULL = "full TLB flushes among process switches";
    /** Params on the {@code process/same-core} case (stable: the ladder reads them). */
    public static final String ANSWER_PARAM = "process_switch_flushed_tlb";
    public static final String THREAD_PARAM = "thread_events_per_switch";

    /** The params the verdict adds to the {@code process/same-core} case. */
    public Map<String, String> params() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(ANSWER_PARAM, answer.word());
        p.put(THREAD_PARAM, FlushTally.fmt(threadPerSwitch));
        return p;
    }

    /**
     * The {@code process/same-core} case with the verdict on it: its params, and the kept and full
     * shares as derived figures (from that case and, where it ran, {@code thread/same-core}); the
     * verdict sentence is the kept share's note. A share the kept/full split cannot give is not added.
     */
    public CaseResult on(CaseResult process, boolean threadRan) {
        String[] from = threadRan ? new String[] {process.key(), TlbFlushProbe.ID + "/thread/same-core"}
                : new String[] {process.key()};
        CaseResult r = process.withParams(params());
        if (Double.isFinite(keptShare)) r = r.withDerived(Derived.of(KEPT, keptShare, "share", from).withNote(text()));
        if (Double.isFinite(fullShare)) r = r.withDerived(Derived.of(FULL, fullShare, "share", from)
                .withNote("task-switch tlb_flush events with pages -1 over all task-switch events of the process switches"));
        return r;
    }

    /** Reads the verdict back from a {@code tlb.flush/process/same-core} case; empty for any other case or a skipped one. */
    public static Optional<TlbFlushVerdict> from(CaseResult r) {
        if (!TlbFlushProbe.ID.equals(r.probe()) || !"process/same-core".equals(r.caseId()) || r.stats() == null) {
            return Optional.empty();
        }
        String a = r.params().get(ANSWER_PARAM);
        if (a == null) return Optional.empty();
        return Optional.of(new TlbFlushVerdict(Answer.valueOf(a.toUpperCase(Locale.ROOT).replace(' ', '_')),
                r.derived(KEPT).map(Derived::value).orElse(Double.NaN), r.derived(FULL).map(Derived::value).orElse(Double.NaN),
                r.stats().median(), num(r, THREAD_PARAM)));
    }

    private static double num(CaseResult r, String key) {
        String v = r.params().get(key);
        return v == null || v.equals("n/a") || v.equals("-") ? Double.NaN : Double.parseDouble(v);
    }

    static String pct(double share) {
        if (Double.isNaN(share)) return "n/a";
        double p = 100 * share;
        return String.format(Locale.ROOT, p >= 99.95 || p < 0.05 ? "%.2f%%" : "%.1f%%", p);
    }
}
