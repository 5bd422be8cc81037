package io.ctxprobe.report;

import io.ctxprobe.measure.BatchPlan;
import io.ctxprobe.measure.Counter;
import io.ctxprobe.measure.Interference;
import io.ctxprobe.measure.MixtureCheck;
import io.ctxprobe.measure.Modes;
import io.ctxprobe.measure.Stats;
import io.ctxprobe.measure.TimerCost;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns raw per-batch times into a {@link CaseResult}: ns per batch divided by the units one batch
 * holds (operations x units per operation, e.g. 2 switches per round trip), stats over batches, the
 * timer's share, counters and notes. Status starts {@code ok}; {@link #flag} keeps the value and
 * records why validation failed. Two guards are applied at {@link #build}: {@link #mixtureChecked}
 * (the batches' modes; a mixture is flagged, see {@link MixtureCheck}) and {@link #interference}
 * (a case whose measured threads lost more than {@link Interference#DISTURBED_SHARE} of their window
 * to other work is flagged "disturbed").
 */
public final class CaseResultBuilder {

    private final String probe;
    private final String caseId;
    private final String unit;
    private final Map<String, String> params = new LinkedHashMap<>();
    private final List<Counter> counters = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<Derived> derived = new ArrayList<>();
    private BatchPlan plan;
    private double unitsPerOp = 1;
    private long[] wallNs;
    private long[] cpuNs;
    private double[] valuesInUnit;
    private String clock;
    private double timerReadNs = Double.NaN;
    private Status status = Status.OK;
    private String reason;
    private Double wallMs;
    private Integer mixturePlannedBatches;
    private Interference interference;

    public CaseResultBuilder(String probe, String caseId, String unit) {
        this.probe = probe;
        this.caseId = caseId;
        this.unit = unit;
    }

    public CaseResultBuilder param(String name, Object value) {
        params.put(name, String.valueOf(value));
        return this;
    }

    public CaseResultBuilder params(Map<String, String> values) {
        params.putAll(values);
        return this;
    }

    /** The batches as run; {@code unitsPerOp} converts an operation into the case's unit. */
    public CaseResultBuilder batches(BatchPlan plan, double unitsPerOp, long[] wallNs, long[] cpuNs) {
        if (wallNs.length != plan.batches()) {
            throw new IllegalArgumentException("got " + wallNs.length + " batch times for " + plan.batches() + " batches");
        }
        this.plan = plan;
        this.unitsPerOp = unitsPerOp;
        this.wallNs = wallNs.clone();
        this.cpuNs = cpuNs == null ? null : cpuNs.clone();
        return this;
    }

    /**
     * The batches as run, with one value per batch already in the case's unit (a throughput such as
     * MB/s, where dividing batch time by units would give the inverse; or a time per repetition).
     * {@code wallNs} (may be null) gives the timer's share only.
     */
    public CaseResultBuilder valuesInUnit(BatchPlan plan, double[] values, long[] wallNs) {
        if (values.length != plan.batches()) {
            throw new IllegalArgumentException("got " + values.length + " values for " + plan.batches() + " batches");
        }
        this.plan = plan;
        this.valuesInUnit = values.clone();
        this.wallNs = wallNs == null ? null : wallNs.clone();
        this.cpuNs = null;
        return this;
    }

    public CaseResultBuilder timer(String clock, double readNs) {
        this.clock = clock;
        this.timerReadNs = readNs;
        return this;
    }

    public CaseResultBuilder counters(List<Counter> values) {
        counters.addAll(values);
        return this;
    }

    public CaseResultBuilder note(String text) {
        notes.add(text);
        return this;
    }

    /** A figure computed from this case's measurement and others' ({@link Derived}), kept typed on the case. */
    public CaseResultBuilder derived(Derived figure) {
        derived.add(figure);
        return this;
    }

    public CaseResultBuilder wallMs(double ms) {
        this.wallMs = ms;
        return this;
    }

    /**
     * At build, tests the batch values for a mixture against {@code plannedBatches} (the case's plan
     * before any extension): their modes are reported when there are several, a spread still above
     * {@link MixtureCheck#MAX_RELATIVE_SPREAD} with several modes is flagged, with one mode noted.
     */
    public CaseResultBuilder mixtureChecked(int plannedBatches) {
        this.mixturePlannedBatches = plannedBatches;
        return this;
    }

    /** The measured threads' interference record; a disturbed one flags the case at build. */
    public CaseResultBuilder interference(Interference value) {
        this.interference = value;
        return this;
    }

    /** Keeps the measured value but marks the case: its validation failed for {@code why}. */
    public CaseResultBuilder flag(String why) {
        status = Status.FLAGGED;
        reason = reason == null ? why : reason + "; " + why;
        return this;
    }

    public CaseResult build() {
        if (valuesInUnit != null) {
            List<Double> samples = Arrays.stream(valuesInUnit).boxed().toList();
            TimerCost timer = clock == null || wallNs == null ? null
                    : TimerCost.of(clock, timerReadNs, Stats.of(Arrays.stream(wallNs).asDoubleStream().toArray()).median());
            List<Modes.Mode> modes = guards(valuesInUnit);
            return new CaseResult(probe, caseId, params, unit, status, reason, Stats.of(valuesInUnit), null, timer, plan,
                    samples, null, counters, notes, wallMs, modes, interference, null, derived);
        }
        if (wallNs == null) throw new IllegalStateException(probe + "/" + caseId + ": no batches recorded");
        double perBatchUnits = plan.opsPerBatch() * unitsPerOp;
        List<Double> samples = perUnit(wallNs, perBatchUnits);
        List<Double> cpuSamples = cpuNs == null ? null : perUnit(cpuNs, perBatchUnits);
        Stats stats = Stats.of(toArray(samples));
        Stats cpuStats = cpuSamples == null ? null : Stats.of(toArray(cpuSamples));
        double medianBatchNs = Stats.of(Arrays.stream(wallNs).asDoubleStream().toArray()).median();
        TimerCost timer = clock == null ? null : TimerCost.of(clock, timerReadNs, medianBatchNs);
        List<Modes.Mode> modes = guards(toArray(samples));
        return new CaseResult(probe, caseId, params, unit, status, reason, stats, cpuStats, timer, plan,
                samples, cpuSamples, counters, notes, wallMs, modes, interference, null, derived);
    }

    /** Applies the mixture and interference guards to the values in the case's unit; the modes to report, or null. */
    private List<Modes.Mode> guards(double[] values) {
        List<Modes.Mode> modes = null;
        if (mixturePlannedBatches != null) {
            MixtureCheck check = MixtureCheck.of(values, mixturePlannedBatches, false);
            if (check.modes().multimodal()) modes = check.modes().modes();
            switch (check.action()) {
                case FLAG_MIXED -> flag(check.mixedReason());
                case ACCEPT_WIDE -> note("wide spread, one mode: " + check.spreadText() + "; the median stands");
                default -> {
                    if (modes != null) note("batches in " + check.modes().describe() + " (" + check.spreadText() + ": not a mixture by this test)");
                }
            }
        }
        if (interference != null && interference.disturbed()) flag("disturbed: " + interference.describe());
        return modes;
    }

    private static List<Double> perUnit(long[] ns, double units) {
        List<Double> out = new ArrayList<>(ns.length);
        for (long v : ns) out.add(v / units);
        return out;
    }

    private static double[] toArray(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
