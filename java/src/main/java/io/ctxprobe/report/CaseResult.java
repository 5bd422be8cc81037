package io.ctxprobe.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.ctxprobe.measure.BatchPlan;
import io.ctxprobe.measure.Counter;
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
        Double wallMs) {

    public CaseResult {
        params = params == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(params));
        counters = counters == null ? List.of() : List.copyOf(counters);
        notes = notes == null ? List.of() : List.copyOf(notes);
        samples = samples == null ? null : List.copyOf(samples);
        cpuSamples = cpuSamples == null ? null : List.copyOf(cpuSamples);
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
                samples, cpuSamples, counters, replacement, wallMs);
    }

    /** "probe/case", the key compare and the console table use. */
    public String key() {
        return probe + "/" + caseId;
    }
}
