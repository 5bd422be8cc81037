package io.ctxprobe.probes.lifecycle;

import io.ctxprobe.probes.measurement.Cases;
import io.ctxprobe.host.HostFiles;
import io.ctxprobe.host.HostPaths;
import io.ctxprobe.linux.NativeFootprint;
import io.ctxprobe.measure.BatchPlan;
import io.ctxprobe.measure.Counter;
import io.ctxprobe.probe.Cleanup;
import io.ctxprobe.probe.Probe;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.probe.ProbeUnavailableException;
import io.ctxprobe.probes.lifecycle.FootprintReadings.Batch;
import io.ctxprobe.probes.lifecycle.FootprintReadings.Snapshot;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.CaseResultBuilder;
import io.ctxprobe.report.Derived;

import java.util.ArrayList;
import java.util.List;

/**
 * footprint — N idle units of each kind and what each costs in memory, from the kernel's own
 * accounting. One batch: baseline readings, create N units, wait until every one reports ready
 * (blocked, or for fibers suspended), read, tear everything down (reap, join, unmap), read again.
 * Cases:
 * <ul>
 *   <li>{@code process}: N children forked in C that block on a shared futex word; per unit the sum
 *       of each child's {@code Pss} from /proc/PID/smaps_rollup (also Pss_Anon, Rss, Private_*, and
 *       VmPTE from /proc/PID/status) divided by N. A child forked from the JVM shares the JVM's
 *       pages copy-on-write: its PSS holds a 1/(sharers) share of those, so it depends on N; the
 *       Private figure is the child's own.</li>
 *   <li>{@code kernel-thread}: N pthreads created in C (glibc's default stack) blocking on a futex;
 *       {@code java-platform-thread} / {@code virtual-thread}: N Java threads blocked on a latch
 *       (virtual ones parked, unmounted); {@code fiber}: N C fibers with a 64 KiB stack, entered once
 *       and suspended; {@code fiber-touched}: the same with 16 KiB of stack touched first. For these
 *       in-process kinds: the VmRSS delta of this process (/proc/self/status) divided by N.</li>
 * </ul>
 * Every case also carries the kernel-side cost: the KernelStack and PageTables deltas of
 * /proc/meminfo. Those are <b>system-wide</b>: other activity on the host moves them too; they are
 * reported as measured, never adjusted. The "after teardown" deltas are reported as well, so a leak
 * would show. Unit: KiB per unit; each batch is one sample.
 * <p>
 * N: 50 processes and 200 of every other kind (--quick: 20 and 100), or the value of the system
 * property {@value #UNITS_PROPERTY} for every kind when it is set ({@code -Dctxprobe.footprint.units=500}).
 */
public final class FootprintProbe implements Probe {

    public static final String ID = "footprint";
    static final String UNIT = "KiB/unit";
    /** Overrides N for every kind. */
    public static final String UNITS_PROPERTY = "ctxprobe.footprint.units";
    static final long TOUCH_BYTES = 16 * 1024;
    static final long TIMEOUT_MS = 10_000;
    private static final String IDLE_THREAD_NAME = "ctxp-idle";      // set by the C threads (prctl)

    private final HostFiles files = HostFiles.live();
    private final Integer units;
    private final java.util.Set<String> only;

    /** N from {@value #UNITS_PROPERTY} when set, else the defaults. */
    public FootprintProbe() {
        this(unitsFromProperty());
    }

    /** Tests: {@code units} for every kind, or null for the defaults. */
    FootprintProbe(Integer units) {
        this(units, null);
    }

    /** Tests: only the cases named in {@code only} (null: all). */
    FootprintProbe(Integer units, java.util.Set<String> only) {
        this.only = only;
        if (units != null && units <= 0) throw new IllegalArgumentException(UNITS_PROPERTY + " must be > 0, got " + units);
        this.units = units;
    }

    private static Integer unitsFromProperty() {
        String v = System.getProperty(UNITS_PROPERTY);
        if (v == null || v.isBlank()) return null;
        try {
            return Integer.valueOf(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(UNITS_PROPERTY + " is not a number: '" + v + "'");
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "memory of N idle processes, kernel threads, Java platform and virtual threads, fibers: PSS / VmRSS per unit, KernelStack and PageTables deltas";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(new ParamSpec("--quick", "20 processes and 100 of each other kind instead of 50 and 200; 3 batches instead of 5"),
                new ParamSpec("--batches", "batches (one batch = one create/read/tear-down of N units)"),
                new ParamSpec("-D" + UNITS_PROPERTY, "N for every kind (system property)"));
    }

    @Override
    public String unavailableReason(ProbeContext ctx) {
        return files.read(HostPaths.MEMINFO).ok() && files.read(HostPaths.SELF_STATUS).ok() ? null
                : "needs a readable /proc (procfs)";
    }

    /** One kind: how a batch creates, validates and tears down its units. */
    interface Kind {
        String caseId();

        int defaultUnits(boolean quick);

        String what();

        Batch measure(ProbeContext ctx, HostFiles files, int n);
    }

    private final List<Kind> kinds = List.of(
            new NativeKind("process", NativeFootprint.Kind.PROCESS, 0,
                    "forked in C from the runner thread, blocked in FUTEX_WAIT on a shared word; PSS per child"),
            new NativeKind("kernel-thread", NativeFootprint.Kind.THREAD, 0,
                    "pthread_create in C (glibc default stack), blocked in FUTEX_WAIT; VmRSS delta / N"),
            new FootprintJavaThreads("java-platform-thread", false),
            new FootprintJavaThreads("virtual-thread", true),
            new NativeKind("fiber", NativeFootprint.Kind.FIBER, 0,
                    "64 KiB mmap'd stack + guard page, entered once (first frame) and suspended; VmRSS delta / N"),
            new NativeKind("fiber-touched", NativeFootprint.Kind.FIBER, TOUCH_BYTES,
                    "64 KiB mmap'd stack, 16 KiB of it touched (one write per page) before suspending; VmRSS delta / N"));

    @Override
    public List<CaseResult> run(ProbeContext ctx) {
        List<CaseResult> results = new ArrayList<>();
        for (Kind kind : kinds) {
            if (only != null && !only.contains(kind.caseId())) continue;
            results.add(Cases.attempt(ctx, ID, kind.caseId(), UNIT, () -> measure(ctx, kind)));
        }
        return withTouchedExtra(results);
    }

    /** The derived figure's label on fiber-touched: its footprint over the untouched fiber's. */
    static final String TOUCHED_EXTRA = "extra over the untouched fiber";

    /**
     * fiber-touched minus fiber: what touching {@link #TOUCH_BYTES} of the stack added per fiber (a
     * check on the method as much as a figure: it should be about the bytes touched).
     */
    static List<CaseResult> withTouchedExtra(List<CaseResult> results) {
        CaseResult fiber = results.stream().filter(r -> r.caseId().equals("fiber") && r.stats() != null).findFirst().orElse(null);
        if (fiber == null) return results;
        List<CaseResult> out = new ArrayList<>();
        for (CaseResult r : results) {
            out.add(!r.caseId().equals("fiber-touched") || r.stats() == null ? r : r.withDerived(Derived.of(TOUCHED_EXTRA,
                    r.stats().median() - fiber.stats().median(), UNIT, r.key(), fiber.key())
                    .withNote((TOUCH_BYTES / 1024) + " KiB of each stack touched")));
        }
        return out;
    }

    private CaseResult measure(ProbeContext ctx, Kind kind) {
        int n = units != null ? units : kind.defaultUnits(ctx.options().quick());
        int batches = ctx.options().batches() != null ? ctx.options().batches() : ctx.options().quick() ? 3 : 5;
        BatchPlan plan = new BatchPlan(1, batches, n);
        long start = System.nanoTime();
        kind.measure(ctx, files, n);   // warm-up: first-use costs (carrier threads, classes, malloc arenas) land here
        List<Batch> measured = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            measured.add(kind.measure(ctx, files, n));
        }
        long[] bytes = measured.stream().mapToLong(m -> m.primaryBytes).toArray();
        CaseResultBuilder result = new CaseResultBuilder(ID, kind.caseId(), UNIT)
                .param("units", n)
                .param("kind", kind.what())
                .batches(plan, 1024, bytes, null);
        long ops = plan.measuredOps();
        List<Counter> counters = new ArrayList<>();
        for (String event : measured.getFirst().kib.keySet()) {
            long total = measured.stream().mapToLong(m -> m.kib.getOrDefault(event, 0L)).sum();
            Batch first = measured.getFirst();
            counters.add(Counter.of(event, first.task.get(event), total, ops, first.source.get(event)));
        }
        result.counters(counters)
                .note("counters: KiB summed over the " + batches + " measured batches; perOp = KiB per unit")
                .note("KernelStack and PageTables come from /proc/meminfo and are system-wide: any other activity "
                        + "on the host moves them during a batch; reported as measured")
                .note("*-after-teardown: the reading after every unit was reaped/joined/unmapped, minus the baseline; "
                        + "a leak would show there; VmRSS there also holds Java heap pages the probe's own readings and "
                        + "checks touched for the first time (the JVM's heap grows into untouched pages)");
        if (kind.caseId().equals("process")) {
            result.note("a child forked from the JVM shares the JVM's pages copy-on-write: its PSS holds a "
                    + "1/(sharers) share of them, so PSS per unit depends on N; Private-KiB is the child's own");
        }
        if (kind instanceof FootprintJavaThreads) {
            result.note("Java objects (Thread, stack chunks of parked virtual threads) land in heap pages that are "
                    + "often already resident: VmRSS counts only pages touched for the first time");
        }
        List<String> flags = measured.stream().flatMap(m -> m.flags.stream()).distinct().toList();
        for (String f : flags) result.flag(f);
        return result.wallMs((System.nanoTime() - start) / 1e6).build();
    }

    // ---- C units: processes, kernel threads, fibers -----------------------------------------------

    private record NativeKind(String caseId, NativeFootprint.Kind code, long touch, String what) implements Kind {

        @Override
        public int defaultUnits(boolean quick) {
            if (code == NativeFootprint.Kind.PROCESS) return quick ? 20 : 50;
            return quick ? 100 : 200;
        }

        @Override
        public Batch measure(ProbeContext ctx, HostFiles files, int n) {
            if (code == NativeFootprint.Kind.PROCESS && !files.read(HostPaths.SELF_SMAPS_ROLLUP).ok()) {
                throw new ProbeUnavailableException("needs /proc/<pid>/smaps_rollup (Linux 4.14 or later)");
            }
            Batch batch = new Batch();
            NativeFootprint set = NativeFootprint.create(code, n, touch);
            Cleanup.Registration reg = ctx.cleanup().register("footprint " + caseId + " idle set",
                    set::release);
            try {
                Snapshot before = Snapshot.take(files);
                set.start();
                set.waitReady(TIMEOUT_MS);
                Snapshot during = Snapshot.take(files);
                List<Integer> ids = new ArrayList<>();
                for (int i = 0; i < n; i++) ids.add(set.id(i));
                if (code == NativeFootprint.Kind.PROCESS) FootprintReadings.readChildren(batch, ids);
                validate(batch, set, n, ids);
                int reap = set.reap(TIMEOUT_MS);
                if (reap < 0) batch.flags.add("teardown: " + new io.ctxprobe.linux.LinuxException("ctxprobe_footprint_reap", -reap).getMessage());
                if (code == NativeFootprint.Kind.THREAD && FootprintReadings.awaitNoTasksNamed(IDLE_THREAD_NAME, TIMEOUT_MS) > 0) {
                    batch.flags.add("ctxp-idle threads still listed after the join");
                }
                Snapshot after = Snapshot.take(files);
                FootprintReadings.putDeltas(batch, before, during, after);
                if (code != NativeFootprint.Kind.PROCESS) batch.primaryBytes = (during.vmRss() - before.vmRss()) * 1024;
                return batch;
            } finally {
                reg.close();   // first: no abort may reach the set once it is freed
                set.close();
            }
        }

        /** Every unit existed at the reading: ready count, each child alive and ours, each thread listed. */
        private void validate(Batch batch, NativeFootprint set, int n, List<Integer> ids) {
            int ready = set.ready();
            if (ready != n) batch.flags.add(ready + " of " + n + " units reported ready");
            if (code == NativeFootprint.Kind.THREAD) {
                int listed = FootprintReadings.tasksNamed(IDLE_THREAD_NAME);
                if (listed != n) batch.flags.add(listed + " of " + n + " ctxp-idle threads listed in /proc/self/task at the reading");
            }
            if (code == NativeFootprint.Kind.PROCESS) {
                int alive = FootprintReadings.childrenAliveAndOurs(ids);
                if (alive != n) batch.flags.add(alive + " of " + n + " children alive and ours at the reading");
            }
        }
    }
}
