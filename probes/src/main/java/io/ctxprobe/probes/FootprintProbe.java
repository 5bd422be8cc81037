package io.ctxprobe.probes;

import io.ctxprobe.linux.CtxprobeLib;
import io.ctxprobe.measure.BatchPlan;
import io.ctxprobe.probe.Cleanup;
import io.ctxprobe.probe.Probe;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.probe.ProbeUnavailableException;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.CaseResultBuilder;
import io.ctxprobe.measure.Counter;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

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

    static final String ID = "footprint";
    static final String UNIT = "KiB/unit";
    /** Overrides N for every kind. */
    public static final String UNITS_PROPERTY = "ctxprobe.footprint.units";
    static final long TOUCH_BYTES = 16 * 1024;
    private static final long TIMEOUT_MS = 10_000;
    private static final String IDLE_THREAD_NAME = "ctxp-idle";      // set by the C threads (prctl)
    private static final String IDLE_JAVA_NAME = "ctxp-idle-java";   // the native name HotSpot gives them

    private static final String SRC_STATUS = "procfs:/proc/self/status";
    private static final String SRC_MEMINFO = "procfs:/proc/meminfo (system-wide)";
    private static final String SRC_ROLLUP = "procfs:/proc/<pid>/smaps_rollup";
    private static final String SRC_CHILD_STATUS = "procfs:/proc/<pid>/status";
    private static final Path MEMINFO = Path.of("/proc/meminfo");
    private static final Path SELF_STATUS = Path.of("/proc/self/status");

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
        return Files.isReadable(MEMINFO) && Files.isReadable(SELF_STATUS) ? null : "needs a readable /proc (procfs)";
    }

    /** One kind: how a batch creates, validates and tears down its units. */
    private interface Kind {
        String caseId();

        int defaultUnits(boolean quick);

        String what();

        Batch measure(ProbeContext ctx, int n);
    }

    /** One batch's figures: the primary value in bytes, counters in KiB, validation failures. */
    private static final class Batch {
        long primaryBytes;
        final Map<String, Long> kib = new LinkedHashMap<>();
        final Map<String, String> source = new LinkedHashMap<>();
        final Map<String, String> task = new LinkedHashMap<>();
        final List<String> flags = new ArrayList<>();

        void put(String event, String taskName, long valueKib, String src) {
            kib.put(event, valueKib);
            task.put(event, taskName);
            source.put(event, src);
        }
    }

    private final List<Kind> kinds = List.of(
            new NativeKind("process", CtxprobeLib.IDLE_PROCESS, 0,
                    "forked in C from the runner thread, blocked in FUTEX_WAIT on a shared word; PSS per child"),
            new NativeKind("kernel-thread", CtxprobeLib.IDLE_THREAD, 0,
                    "pthread_create in C (glibc default stack), blocked in FUTEX_WAIT; VmRSS delta / N"),
            new JavaKind("java-platform-thread", false),
            new JavaKind("virtual-thread", true),
            new NativeKind("fiber", CtxprobeLib.IDLE_FIBER, 0,
                    "64 KiB mmap'd stack + guard page, entered once (first frame) and suspended; VmRSS delta / N"),
            new NativeKind("fiber-touched", CtxprobeLib.IDLE_FIBER, TOUCH_BYTES,
                    "64 KiB mmap'd stack, 16 KiB of it touched (one write per page) before suspending; VmRSS delta / N"));

    @Override
    public List<CaseResult> run(ProbeContext ctx) {
        List<CaseResult> results = new ArrayList<>();
        for (Kind kind : kinds) {
            if (only != null && !only.contains(kind.caseId())) continue;
            results.add(Cases.attempt(ctx, ID, kind.caseId(), UNIT, () -> measure(ctx, kind)));
        }
        return results;
    }

    private CaseResult measure(ProbeContext ctx, Kind kind) {
        int n = units != null ? units : kind.defaultUnits(ctx.options().quick());
        int batches = ctx.options().batches() != null ? ctx.options().batches() : ctx.options().quick() ? 3 : 5;
        BatchPlan plan = new BatchPlan(1, batches, n);
        long start = System.nanoTime();
        kind.measure(ctx, n);   // warm-up: first-use costs (carrier threads, classes, malloc arenas) land here
        List<Batch> measured = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            measured.add(kind.measure(ctx, n));
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
        if (kind instanceof JavaKind) {
            result.note("Java objects (Thread, stack chunks of parked virtual threads) land in heap pages that are "
                    + "often already resident: VmRSS counts only pages touched for the first time");
        }
        List<String> flags = measured.stream().flatMap(m -> m.flags.stream()).distinct().toList();
        for (String f : flags) result.flag(f);
        return result.wallMs((System.nanoTime() - start) / 1e6).build();
    }

    // ---- readings ---------------------------------------------------------------------------------

    /** This process's VmRSS / RssAnon and the system's KernelStack / PageTables, in KiB. */
    private record Snapshot(long vmRss, Long rssAnon, long kernelStack, long pageTables) {
        static Snapshot take() {
            ProcKeyValues status = ProcKeyValues.read(SELF_STATUS);
            ProcKeyValues meminfo = ProcKeyValues.read(MEMINFO);
            return new Snapshot(status.kib("VmRSS"), status.kibOrNull("RssAnon"), meminfo.kib("KernelStack"),
                    meminfo.kib("PageTables"));
        }
    }

    /** The deltas every kind reports: at the reading (units alive) and after teardown. */
    private static void putDeltas(Batch batch, Snapshot before, Snapshot during, Snapshot after) {
        batch.put("VmRSS-delta-KiB", "runner process", during.vmRss - before.vmRss, SRC_STATUS + " VmRSS");
        if (before.rssAnon != null && during.rssAnon != null) {
            batch.put("RssAnon-delta-KiB", "runner process", during.rssAnon - before.rssAnon, SRC_STATUS + " RssAnon");
        }
        batch.put("KernelStack-delta-KiB", "system", during.kernelStack - before.kernelStack, SRC_MEMINFO + " KernelStack");
        batch.put("PageTables-delta-KiB", "system", during.pageTables - before.pageTables, SRC_MEMINFO + " PageTables");
        batch.put("VmRSS-after-teardown-KiB", "runner process", after.vmRss - before.vmRss, SRC_STATUS + " VmRSS");
        batch.put("KernelStack-after-teardown-KiB", "system", after.kernelStack - before.kernelStack,
                SRC_MEMINFO + " KernelStack");
        batch.put("PageTables-after-teardown-KiB", "system", after.pageTables - before.pageTables,
                SRC_MEMINFO + " PageTables");
    }

    /** Threads of this process whose name (comm) is exactly {@code name}. */
    static int tasksNamed(String name) {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            return (int) tasks.filter(t -> {
                try {
                    return Files.readString(t.resolve("comm")).strip().equals(name);
                } catch (IOException e) {
                    return false;   // ended between list and read
                }
            }).count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A joined thread may linger in /proc/self/task a moment: waits (bounded) until none is named so. */
    private static int awaitNoTasksNamed(String name) {
        long deadline = System.nanoTime() + TIMEOUT_MS * 1_000_000;
        int left;
        while ((left = tasksNamed(name)) > 0 && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
        return left;
    }

    // ---- C units: processes, kernel threads, fibers -----------------------------------------------

    private record NativeKind(String caseId, int code, long touch, String what) implements Kind {

        @Override
        public int defaultUnits(boolean quick) {
            if (code == CtxprobeLib.IDLE_PROCESS) return quick ? 20 : 50;
            return quick ? 100 : 200;
        }

        @Override
        public Batch measure(ProbeContext ctx, int n) {
            if (code == CtxprobeLib.IDLE_PROCESS && !Files.isReadable(Path.of("/proc/self/smaps_rollup"))) {
                throw new ProbeUnavailableException("needs /proc/<pid>/smaps_rollup (Linux 4.14 or later)");
            }
            Batch batch = new Batch();
            MemorySegment set = CtxprobeLib.idleNew(code, n, touch);
            Cleanup.Registration reg = ctx.cleanup().register("footprint " + caseId + " idle set",
                    () -> CtxprobeLib.idleRelease(set));
            try {
                Snapshot before = Snapshot.take();
                CtxprobeLib.check("ctxprobe_idle_start", CtxprobeLib.idleStart(set));
                CtxprobeLib.check("ctxprobe_idle_wait_ready", CtxprobeLib.idleWaitReady(set, TIMEOUT_MS));
                Snapshot during = Snapshot.take();
                List<Integer> ids = new ArrayList<>();
                for (int i = 0; i < n; i++) ids.add(CtxprobeLib.idleId(set, i));
                if (code == CtxprobeLib.IDLE_PROCESS) readChildren(batch, ids);
                validate(batch, set, n, ids);
                int reap = CtxprobeLib.idleReap(set, TIMEOUT_MS);
                if (reap < 0) batch.flags.add("teardown: " + new io.ctxprobe.linux.LinuxException("ctxprobe_idle_reap", -reap).getMessage());
                if (code == CtxprobeLib.IDLE_THREAD && awaitNoTasksNamed(IDLE_THREAD_NAME) > 0) {
                    batch.flags.add("ctxp-idle threads still listed after the join");
                }
                Snapshot after = Snapshot.take();
                putDeltas(batch, before, during, after);
                if (code != CtxprobeLib.IDLE_PROCESS) batch.primaryBytes = (during.vmRss - before.vmRss) * 1024;
                return batch;
            } finally {
                CtxprobeLib.idleFree(set);
                reg.close();
            }
        }

        /** Every unit existed at the reading: ready count, each child alive and ours, each thread listed. */
        private void validate(Batch batch, MemorySegment set, int n, List<Integer> ids) {
            int ready = CtxprobeLib.idleReady(set);
            if (ready != n) batch.flags.add(ready + " of " + n + " units reported ready");
            if (code == CtxprobeLib.IDLE_THREAD) {
                int listed = tasksNamed(IDLE_THREAD_NAME);
                if (listed != n) batch.flags.add(listed + " of " + n + " ctxp-idle threads listed in /proc/self/task at the reading");
            }
            if (code == CtxprobeLib.IDLE_PROCESS) {
                long self = ProcessHandle.current().pid();
                int alive = 0;
                for (int pid : ids) {
                    Path status = Path.of("/proc", Integer.toString(pid), "status");
                    if (pid <= 0 || !Files.exists(status)) continue;
                    ProcKeyValues s = ProcKeyValues.read(status);
                    String state = s.text("State");
                    if (state != null && !state.startsWith("Z") && String.valueOf(self).equals(s.text("PPid"))) alive++;
                }
                if (alive != n) batch.flags.add(alive + " of " + n + " children alive and ours at the reading");
            }
        }

        /** Per-child sums: smaps_rollup's Pss (the primary), Pss_Anon, Rss, Private_*; status's VmPTE. */
        private static void readChildren(Batch batch, List<Integer> pids) {
            long pss = 0, rss = 0, priv = 0, pssAnon = 0, vmPte = 0;
            boolean hasPssAnon = true, hasVmPte = true;
            for (int pid : pids) {
                ProcKeyValues rollup = ProcKeyValues.read(Path.of("/proc", Integer.toString(pid), "smaps_rollup"));
                pss += rollup.kib("Pss");
                rss += rollup.kib("Rss");
                priv += rollup.kib("Private_Clean") + rollup.kib("Private_Dirty");
                Long anon = rollup.kibOrNull("Pss_Anon");   // Linux 5.7+
                if (anon == null) hasPssAnon = false;
                else pssAnon += anon;
                Long pte = ProcKeyValues.read(Path.of("/proc", Integer.toString(pid), "status")).kibOrNull("VmPTE");
                if (pte == null) hasVmPte = false;
                else vmPte += pte;
            }
            batch.primaryBytes = pss * 1024;
            batch.put("Pss-KiB", "all children", pss, SRC_ROLLUP + " Pss");
            if (hasPssAnon) batch.put("Pss_Anon-KiB", "all children", pssAnon, SRC_ROLLUP + " Pss_Anon");
            batch.put("Rss-KiB", "all children", rss, SRC_ROLLUP + " Rss");
            batch.put("Private-KiB", "all children", priv, SRC_ROLLUP + " Private_Clean + Private_Dirty");
            if (hasVmPte) batch.put("VmPTE-KiB", "all children", vmPte, SRC_CHILD_STATUS + " VmPTE");
        }
    }

    // ---- Java threads -----------------------------------------------------------------------------

    private record JavaKind(String caseId, boolean virtual) implements Kind {

        @Override
        public int defaultUnits(boolean quick) {
            return quick ? 100 : 200;
        }

        @Override
        public String what() {
            return virtual ? "Java virtual threads parked on a CountDownLatch (unmounted); VmRSS delta / N"
                    : "Java platform threads (default -Xss) blocked on a CountDownLatch; VmRSS delta / N";
        }

        @Override
        public Batch measure(ProbeContext ctx, int n) {
            Batch batch = new Batch();
            CountDownLatch ready = new CountDownLatch(n);
            CountDownLatch release = new CountDownLatch(1);
            Thread.Builder builder = virtual ? Thread.ofVirtual().name(IDLE_JAVA_NAME) : Thread.ofPlatform().name(IDLE_JAVA_NAME);
            Runnable body = () -> {
                ready.countDown();
                boolean interrupted = false;
                while (true) {
                    try {
                        release.await();
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                if (interrupted) Thread.currentThread().interrupt();
            };
            Thread[] threads = new Thread[n];
            Cleanup.Registration reg = ctx.cleanup().register("footprint " + caseId, release::countDown);
            try {
                Snapshot before = Snapshot.take();
                for (int i = 0; i < n; i++) threads[i] = builder.start(body);
                if (!ready.await(TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException((n - ready.getCount()) + " of " + n + " threads started within " + TIMEOUT_MS + " ms");
                }
                int blocked = awaitWaiting(threads);
                Snapshot during = Snapshot.take();
                if (blocked != n) batch.flags.add(blocked + " of " + n + " threads blocked (WAITING) at the reading");
                if (!virtual) {
                    int listed = tasksNamed(IDLE_JAVA_NAME);
                    if (listed != n) batch.flags.add(listed + " of " + n + " " + IDLE_JAVA_NAME + " kernel threads listed at the reading");
                }
                release.countDown();
                for (Thread t : threads) {
                    if (!t.join(java.time.Duration.ofMillis(TIMEOUT_MS))) batch.flags.add("a thread was not joined in time");
                }
                if (!virtual && awaitNoTasksNamed(IDLE_JAVA_NAME) > 0) batch.flags.add(IDLE_JAVA_NAME + " threads still listed after the join");
                Snapshot after = Snapshot.take();
                putDeltas(batch, before, during, after);
                batch.primaryBytes = (during.vmRss - before.vmRss) * 1024;
                return batch;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } finally {
                release.countDown();
                for (Thread t : threads) {
                    if (t != null) joinQuietly(t);
                }
                reg.close();
            }
        }

        /** Waits (bounded) until every thread is parked in the latch; returns how many are. */
        private static int awaitWaiting(Thread[] threads) {
            long deadline = System.nanoTime() + TIMEOUT_MS * 1_000_000;
            while (true) {
                int waiting = 0;
                for (Thread t : threads) if (t.getState() == Thread.State.WAITING) waiting++;
                if (waiting == threads.length || System.nanoTime() > deadline) return waiting;
                java.util.concurrent.locks.LockSupport.parkNanos(200_000);
            }
        }

        private static void joinQuietly(Thread t) {
            boolean interrupted = false;
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) Thread.currentThread().interrupt();
        }
    }
}
