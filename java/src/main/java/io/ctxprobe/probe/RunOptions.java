package io.ctxprobe.probe;

import io.ctxprobe.linux.CpuSet;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What the user asked of a run, validated: the CPUs probes may use (a subset of those allowed to this
 * process), the placements to measure, the handoff mechanisms (empty: every one), the quick flag,
 * an explicit batch count (null: the probe's default), and the perf events in-thread probes count
 * ({@code --counters}; empty: {@link #DEFAULT_COUNTERS}, plus {@link #DEFAULT_PMU_COUNTERS} where a
 * PMU exists), and how many times a disturbed case is re-measured ({@code --retry-disturbed}, default
 * 0). Defaults live here and nowhere else.
 */
public record RunOptions(CpuSet cpus, Set<Placement> placements, List<String> mechanisms, boolean quick, Integer batches,
                         List<String> counters, int retryDisturbed) {

    /** Software events: every Linux host with perf events counts them. */
    public static final List<String> DEFAULT_COUNTERS = List.of("task-clock", "context-switches", "cpu-migrations", "page-faults");
    /** Added to the defaults where hardware events open. */
    public static final List<String> DEFAULT_PMU_COUNTERS = List.of("cycles", "instructions", "dTLB-load-misses");

    /** Measured batches when not given: enough for a stable median and a p5/p95 that means something. */
    public static final int DEFAULT_BATCHES = 31;
    public static final int QUICK_BATCHES = 11;
    /** A measured batch lasts about this long: thousands of times the timer's read cost. */
    public static final long DEFAULT_BATCH_NS = 20_000_000L;
    public static final long QUICK_BATCH_NS = 4_000_000L;
    /** A case's time budget: a wide case is extended with more batches only while it stays inside it. */
    public static final long DEFAULT_CASE_DEADLINE_NS = 60_000_000_000L;
    public static final long QUICK_CASE_DEADLINE_NS = 15_000_000_000L;

    public RunOptions {
        if (cpus.isEmpty()) throw new IllegalArgumentException("no CPUs to run on");
        placements = placements.isEmpty() ? Placement.defaults() : EnumSet.copyOf(placements);
        mechanisms = List.copyOf(mechanisms);
        counters = counters == null ? List.of() : List.copyOf(counters);
        if (batches != null && batches <= 0) throw new IllegalArgumentException("--batches must be > 0, got " + batches);
        if (retryDisturbed < 0) throw new IllegalArgumentException("--retry-disturbed must be >= 0, got " + retryDisturbed);
    }

    /** No re-measuring of disturbed cases. */
    public RunOptions(CpuSet cpus, Set<Placement> placements, List<String> mechanisms, boolean quick, Integer batches,
                      List<String> counters) {
        this(cpus, placements, mechanisms, quick, batches, counters, 0);
    }

    /** The default counters. */
    public RunOptions(CpuSet cpus, Set<Placement> placements, List<String> mechanisms, boolean quick, Integer batches) {
        this(cpus, placements, mechanisms, quick, batches, List.of());
    }

    /** Every mechanism. */
    public RunOptions(CpuSet cpus, Set<Placement> placements, boolean quick, Integer batches) {
        this(cpus, placements, List.of(), quick, batches);
    }

    public int measuredBatches() {
        return batches != null ? batches : quick ? QUICK_BATCHES : DEFAULT_BATCHES;
    }

    public int warmupBatches() {
        return quick ? 2 : 5;
    }

    public long targetBatchNs() {
        return quick ? QUICK_BATCH_NS : DEFAULT_BATCH_NS;
    }

    /** Without a mechanism filter every mechanism runs. */
    public boolean wantsMechanism(String label) {
        return mechanisms.isEmpty() || mechanisms.contains(label);
    }

    /** Batches for each cell of an all-pairs matrix: N x N cells must stay affordable on 128 CPUs. */
    public int matrixBatches() {
        return Math.min(measuredBatches(), 5);
    }

    /** How long one case may take, extensions included (measured from its start). */
    public long caseDeadlineNs() {
        return quick ? QUICK_CASE_DEADLINE_NS : DEFAULT_CASE_DEADLINE_NS;
    }

    /** The perf events to count: those asked for, else the defaults ({@code pmu}: hardware events open here). */
    public List<String> counterNames(boolean pmu) {
        if (!counters.isEmpty()) return counters;
        if (!pmu) return DEFAULT_COUNTERS;
        List<String> all = new java.util.ArrayList<>(DEFAULT_COUNTERS);
        all.addAll(DEFAULT_PMU_COUNTERS);
        return List.copyOf(all);
    }
}
