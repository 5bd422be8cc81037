package io.ctxprobe.probes.measurement;

import io.ctxprobe.linux.NativeCore;
import io.ctxprobe.measure.BatchPlan;
import io.ctxprobe.measure.Calibration;
import io.ctxprobe.measure.CounterReadings;
import io.ctxprobe.measure.Interference;
import io.ctxprobe.measure.SchedStat;
import io.ctxprobe.measure.Stats;
import io.ctxprobe.measure.SwitchCounts;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.probe.RunOptions;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.CaseResultBuilder;
import io.ctxprobe.report.Derived;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Locale;

/**
 * The shape of an in-thread loop whose figure must not depend on where the loop lands in the code:
 * a loop around a ~5 ns operation measures its own placement (one Zen 4 host: the same fiber switch
 * at 5.2 or 9.2-10.5 ns depending only on the calling loop's alignment). libctxprobe emits such a
 * loop in several copies at known places (native/src/loop_placement.h) and times them all,
 * interleaved batch by batch. This class reports the BEST copy's median as the case's value with
 * that copy's raw batches, every copy's figures and count as params, the spread (worst/best of the
 * copies' medians) beside it, and a note naming the cause when the spread is large. Otherwise as
 * {@link InThreadMeasurement}: pinned, a pilot sizes the batch, the kernel's switch counts and the
 * --counters group around the run (over every copy, warm-up included), a blocked loop flagged.
 */
public final class PlacedMeasurement {

    /** Derived figures' labels: worst/best of the loop copies' medians, and of their fastest batches. */
    public static final String PLACEMENT_SPREAD = "placement spread";
    public static final String PLACEMENT_SPREAD_FASTEST = "placement spread of fastest batches";

    /** Above this worst/best ratio of the copies' medians the note names front-end placement as the cause. */
    public static final double PLACEMENT_SPREAD_NOTE = 1.3;
    private static final long PILOT_OPS = 1_000;

    /** A libctxprobe placed run: copy-major wall/cpu arrays ({@code copies * batches}), one count per copy. */
    @FunctionalInterface
    public interface PlacedRun {
        int run(long warmup, long batches, long ops, MemorySegment wallNs, MemorySegment cpuNs, MemorySegment counts);
    }

    /**
     * What the native run is and what it counts: {@code labels} name the copies (their loop tops'
     * offsets past a 64-byte boundary, e.g. "+16"); each copy's count must be {@code countPerOp}
     * times its measured operations (2 switches per round trip, 1 fiber per create).
     */
    public record Loop(String call, PlacedRun run, List<String> labels, String countName, long countPerOp) {
        public Loop {
            labels = List.copyOf(labels);
            if (labels.size() < 2) throw new IllegalArgumentException("a placed loop has at least 2 copies");
        }
    }

    /** Every copy's batches from one native call: wall[copy][batch], cpu[copy][batch], counts[copy]. */
    record Copies(long[][] wallNs, long[][] cpuNs, long[] counts) {}

    private PlacedMeasurement() {}

    public static CaseResult measure(ProbeContext ctx, CaseResultBuilder result, Loop loop, double unitsPerOp,
                                     long maxOps) {
        RunOptions options = ctx.options();
        int cpu = ctx.cpus().first();
        int copies = loop.labels().size();
        long started = System.nanoTime();
        try (ProbeContext.Pin pin = ctx.pinCurrentThread(cpu)) {
            Copies pilot = run(loop, 0, 1, PILOT_OPS);
            double pilotNsPerOp = Arrays.stream(pilot.wallNs()).mapToLong(w -> w[0]).min().orElseThrow() / (double) PILOT_OPS;
            // Every copy runs a batch per round: a copy's batch gets 1/copies of the target, so the
            // case takes about as long as one unplaced loop would.
            long ops = Calibration.opsFor(pilotNsPerOp, options.targetBatchNs() / copies, 100, maxOps);
            BatchPlan plan = new BatchPlan(options.warmupBatches(), options.measuredBatches(), ops);
            long countedOps = (long) (plan.warmup() + plan.batches()) * ops * copies;
            Copies[] measured = new Copies[1];
            int tid = ctx.binding().gettid();
            Optional<SchedStat> schedBefore = SchedStat.read(tid);
            long windowStart = System.nanoTime();
            InThreadMeasurement.Counted c = InThreadMeasurement.countedWithSwitches(ctx, () -> {
                measured[0] = run(loop, plan.warmup(), plan.batches(), ops);
                return countedOps;
            });
            long windowNs = System.nanoTime() - windowStart;
            Optional<SchedStat> schedAfter = SchedStat.read(tid);
            Copies m = measured[0];
            checkCounts(loop, plan, m.counts());

            double[] medians = new double[copies];
            for (int i = 0; i < copies; i++) medians[i] = median(m.wallNs()[i]) / (ops * unitsPerOp);
            int best = argMin(medians);
            double spread = Arrays.stream(medians).max().orElseThrow() / medians[best];

            SwitchCounts counts = c.switches();
            CounterReadings events = c.events();
            result.param("cpu", cpu)
                    .batches(plan, unitsPerOp, m.wallNs()[best], m.cpuNs()[best])
                    .param("placements", copies)
                    .param("placement", loop.labels().get(best))
                    .param("placement spread", String.format(Locale.ROOT, "%.3f", spread))
                    // The chosen copy's batches pass the mixture guard (not extended: every copy would
                    // need its extra batches); the whole interleaved window passes the interference guard.
                    .mixtureChecked(plan.batches())
                    .interference(Interference.judge(List.of(InThreadMeasurement.runnerTask(tid, cpu, windowNs,
                            schedBefore, schedAfter, counts.involuntary()))))
                    .counters(counts.toCounters(countedOps))
                    .counters(events.counters())
                    .note("runner thread pinned to CPU " + pin.cpu());
            describeCopies(result, loop, m, ops, unitsPerOp, medians, best, spread);
            events.notes().forEach(result::note);
            double voluntaryPerOp = (double) counts.voluntary() / countedOps;
            if (voluntaryPerOp > InThreadMeasurement.MAX_VOLUNTARY_PER_OP) {
                result.flag(String.format("the loop blocked %d times in %d operations (%.4f per op): it did not run undisturbed",
                        counts.voluntary(), countedOps, voluntaryPerOp));
            }
        }
        return result.wallMs((System.nanoTime() - started) / 1e6).build();
    }

    /** One param per copy ("placement +16": its median, range and count) and the notes on the choice. */
    private static void describeCopies(CaseResultBuilder result, Loop loop, Copies m, long ops, double unitsPerOp,
                                       double[] medians, int best, double spread) {
        List<String> summary = new ArrayList<>();
        double[] fastest = new double[medians.length];
        for (int i = 0; i < medians.length; i++) {
            long[] w = m.wallNs()[i];
            fastest[i] = Arrays.stream(w).min().orElseThrow() / (ops * unitsPerOp);
            double hi = Arrays.stream(w).max().orElseThrow() / (ops * unitsPerOp);
            result.param("placement " + loop.labels().get(i), String.format(Locale.ROOT,
                    "median %.2f (min %.2f, max %.2f); %d %s", medians[i], fastest[i], hi, m.counts()[i], loop.countName()));
            summary.add(String.format(Locale.ROOT, "%s %.2f", loop.labels().get(i), medians[i]));
        }
        double fastestSpread = Arrays.stream(fastest).max().orElseThrow() / Arrays.stream(fastest).min().orElseThrow();
        result.param("placement spread of fastest batches", String.format(Locale.ROOT, "%.3f", fastestSpread));
        String[] copyParams = loop.labels().stream().map(l -> "placement " + l).toArray(String[]::new);
        result.derived(Derived.of(PLACEMENT_SPREAD, spread, "x", copyParams)
                .withNote("worst / best of the copies' medians; the value is the best copy's"));
        result.derived(Derived.of(PLACEMENT_SPREAD_FASTEST, fastestSpread, "x", copyParams)
                .withNote("worst / best of the copies' fastest batches: placement slows those too, interference does not"));
        result.note(String.format(Locale.ROOT, "the value is the best of %d placements of the timing loop (%s; copies "
                        + "at a 64-byte boundary plus the offset shown, timed interleaved batch by batch): medians %s, "
                        + "worst/best %.2f", medians.length, loop.labels().get(best), String.join(", ", summary), spread));
        if (spread <= PLACEMENT_SPREAD_NOTE) return;
        // Placement is a property of the code: it slows every batch of a copy, its fastest ones too.
        // Other work on the CPU slows batches at random: the copies' medians part, their fastest agree.
        if (fastestSpread > PLACEMENT_SPREAD_NOTE) {
            result.note(String.format(Locale.ROOT, "placement spread %.2fx (%.2fx on each copy's fastest batch): the same "
                    + "instructions ran at different speeds depending only on where the loop lies in the code — front-end / "
                    + "branch-target placement (fetch windows, op cache lines, branch target buffer), not the operation; "
                    + "the best placement is reported", spread, fastestSpread));
        } else {
            result.note(String.format(Locale.ROOT, "placement spread %.2fx in the medians but %.2fx on each copy's fastest "
                    + "batch: the copies run alike when undisturbed, so the spread is interference (other work on this "
                    + "CPU), not code placement", spread, fastestSpread));
        }
    }

    /** Each copy must have counted what its measured operations imply (C already refuses a shortfall). */
    private static void checkCounts(Loop loop, BatchPlan plan, long[] counts) {
        long expected = plan.measuredOps() * loop.countPerOp();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] != expected) {
                throw new IllegalStateException(loop.call() + ": placement " + loop.labels().get(i) + " counted "
                        + counts[i] + " " + loop.countName() + ", expected " + expected);
            }
        }
    }

    /** One native call: every copy's batches, split into per-copy arrays. */
    static Copies run(Loop loop, int warmup, int batches, long ops) {
        int copies = loop.labels().size();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment wall = arena.allocate(ValueLayout.JAVA_LONG, (long) copies * batches);
            MemorySegment cpu = arena.allocate(ValueLayout.JAVA_LONG, (long) copies * batches);
            MemorySegment counts = arena.allocate(ValueLayout.JAVA_LONG, copies);
            NativeCore.check(loop.call(), loop.run().run(warmup, batches, ops, wall, cpu, counts));
            long[][] w = new long[copies][batches];
            long[][] c = new long[copies][batches];
            for (int i = 0; i < copies; i++) {
                MemorySegment.copy(wall, ValueLayout.JAVA_LONG, (long) i * batches * 8, w[i], 0, batches);
                MemorySegment.copy(cpu, ValueLayout.JAVA_LONG, (long) i * batches * 8, c[i], 0, batches);
            }
            return new Copies(w, c, counts.toArray(ValueLayout.JAVA_LONG));
        }
    }

    private static double median(long[] values) {
        return Stats.of(Arrays.stream(values).asDoubleStream().toArray()).median();
    }

    private static int argMin(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) if (values[i] < values[best]) best = i;
        return best;
    }
}
