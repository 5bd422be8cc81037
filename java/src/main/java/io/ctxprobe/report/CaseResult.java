package io.ctxprobe.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.ctxprobe.measure.BatchPlan;
import io.ctxprobe.measure.Counter;
import io.ctxprobe.measure.Interference;
import io.ctxprobe.measure.Modes;
import io.ctxprobe.measure.Stats;
import io.ctxprobe.measure.TimerCost;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One measured case of one probe. {@code caseId} is a stable slug ("futex/same-core") that compare
 * and fleet views match on; {@code params} hold the structured parameters (CPUs used, mechanism...).
 * {@code samples} are the per-batch values in {@code unit} (raw, so later comparisons can test them,
 * not only the summary); {@code cpuSamples} the per-batch thread CPU time in the same unit where the
 * loop ran on one thread. Absent values are null (JSON omits them), never zero.
 *
 * <p>How the figure is guarded: {@code modes} — present only when the batches fall into two or more
 * groups (each mode's value in {@code unit}, share and batch count; see {@link io.ctxprobe.measure.MixtureCheck});
 * {@code interference} — what other work took from the measured threads during the case
 * ({@link Interference}); {@code attempts} — with {@code --retry-disturbed}, every measurement of a
 * disturbed case, the one kept marked.
 *
 * <p>{@code derived}: figures computed from this case and others (a switch net of its mechanism, a
 * cost per page over a baseline...), typed ({@link Derived}); absent when there are none. A derived
 * figure never becomes a case of its own: the four {@link Status statuses} are for measurements.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CaseResult(
        String probe,
        @JsonProperty("case") String caseId,
        Map<String, String> params,
        String unit,
        Status status,
        String reason,
        Stats stats,
        Stats cpuStats,
        TimerCost timer,
        BatchPlan plan,
        List<Double> samples,
        List<Double> cpuSamples,
        List<Counter> counters,
        List<String> notes,
        Double wallMs,
        List<Modes.Mode> modes,
        Interference interference,
        List<Attempt> attempts,
        List<Derived> derived) {

    /** One measurement of a case re-measured because it was disturbed; {@code kept} marks the one reported. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Attempt(int attempt, Status status, String reason, Double median, Double offCpuShare, boolean kept) {}

    /** The fields every report had before modes, interference and attempts. */
    public CaseResult(String probe, String caseId, Map<String, String> params, String unit, Status status, String reason,
                      Stats stats, Stats cpuStats, TimerCost timer, BatchPlan plan, List<Double> samples,
                      List<Double> cpuSamples, List<Counter> counters, List<String> notes, Double wallMs) {
        this(probe, caseId, params, unit, status, reason, stats, cpuStats, timer, plan, samples, cpuSamples, counters,
                notes, wallMs, null, null, null, null);
    }

    /** The fields every report had before derived figures. */
    public CaseResult(String probe, String caseId, Map<String, String> params, String unit, Status status, String reason,
                      Stats stats, Stats cpuStats, TimerCost timer, BatchPlan plan, List<Double> samples,
                      List<Double> cpuSamples, List<Counter> counters, List<String> notes, Double wallMs,
                      List<Modes.Mode> modes, Interference interference, List<Attempt> attempts) {
        this(probe, caseId, params, unit, status, reason, stats, cpuStats, timer, plan, samples, cpuSamples, counters,
                notes, wallMs, modes, interference, attempts, null);
    }

    public CaseResult {
        params = params == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(params));
        counters = counters == null ? List.of() : List.copyOf(counters);
        notes = notes == null ? List.of() : List.copyOf(notes);
        samples = samples == null ? null : List.copyOf(samples);
        cpuSamples = cpuSamples == null ? null : List.copyOf(cpuSamples);
        modes = modes == null || modes.isEmpty() ? null : List.copyOf(modes);
        attempts = attempts == null || attempts.isEmpty() ? null : List.copyOf(attempts);
        derived = derived == null || derived.isEmpty() ? null : List.copyOf(derived);
    }

    public static CaseResult skipped(String probe, String caseId, Map<String, String> params, String unit, String reason) {
        return unmeasured(probe, caseId, params, unit, Status.SKIPPED, reason);
    }

    public static CaseResult failed(String probe, String caseId, Map<String, String> params, String unit, String reason) {
        return unmeasured(probe, caseId, params, unit, Status.FAILED, reason);
    }

    private static CaseResult unmeasured(String probe, String caseId, Map<String, String> params, String unit,
            Status status, String reason) {
        return new CaseResult(probe, caseId, params, unit, status, reason, null, null, null, null,
                null, null, null, null, null);
    }

    /** This result with one more note (a comparison made after every case ran); everything else as measured. */
    public CaseResult withNote(String note) {
        List<String> more = new java.util.ArrayList<>(notes);
        more.add(note);
        return withNotes(more);
    }

    /** This result with {@code replacement} as its notes; everything else as measured. */
    public CaseResult withNotes(List<String> replacement) {
        return new CaseResult(probe, caseId, params, unit, status, reason, stats, cpuStats, timer, plan,
                samples, cpuSamples, counters, replacement, wallMs, modes, interference, attempts, derived);
    }

    /** This result with {@code more} added to its params (a figure's evidence, recorded after the case ran). */
    public CaseResult withParams(Map<String, String> more) {
        Map<String, String> all = new LinkedHashMap<>(params);
        all.putAll(more);
        return new CaseResult(probe, caseId, all, unit, status, reason, stats, cpuStats, timer, plan,
                samples, cpuSamples, counters, notes, wallMs, modes, interference, attempts, derived);
    }

    /** This result with {@code list} as its attempts; everything else as measured. */
    public CaseResult withAttempts(List<Attempt> list) {
        return new CaseResult(probe, caseId, params, unit, status, reason, stats, cpuStats, timer, plan,
                samples, cpuSamples, counters, notes, wallMs, modes, interference, list, derived);
    }

    /** This result with one more derived figure (computed after the case ran); everything else as measured. */
    public CaseResult withDerived(Derived figure) {
        List<Derived> more = new java.util.ArrayList<>(derivedOrEmpty());
        more.add(figure);
        return new CaseResult(probe, caseId, params, unit, status, reason, stats, cpuStats, timer, plan,
                samples, cpuSamples, counters, notes, wallMs, modes, interference, attempts, more);
    }

    /** The derived figures, empty when there are none (the JSON omits an empty list). */
    public List<Derived> derivedOrEmpty() {
        return derived == null ? List.of() : derived;
    }

    /** The derived figure with that label, if this case has one. */
    public java.util.Optional<Derived> derived(String label) {
        return derivedOrEmpty().stream().filter(d -> d.label().equals(label)).findFirst();
    }

    /** Whether the interference record says other work took more than its threshold of the case. */
    public boolean disturbed() {
        return interference != null && interference.disturbed();
    }

    /** "probe/case", the key compare and the console table use. */
    public String key() {
        return probe + "/" + caseId;
    }
}
