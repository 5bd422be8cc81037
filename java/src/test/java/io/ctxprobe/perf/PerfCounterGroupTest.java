package io.ctxprobe.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctxprobe.host.FileText;
import io.ctxprobe.host.HostFiles;
import io.ctxprobe.linux.CpuSet;
import io.ctxprobe.linux.Resource;
import io.ctxprobe.linux.Sched;
import io.ctxprobe.measure.CounterReadings;
import io.ctxprobe.measure.Counter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Facts on any Linux host, conditioned on what PerfAvailability detects; never timings. */
class PerfCounterGroupTest {

    static final int ROUND_TRIPS = 200;

    /** One side's counts over the handoffs: perf's context-switches where it opened, else getrusage. */
    record Side(long switches, String source, PerfCounterGroup.Reading reading) {}

    private static List<PerfEventSpec> specs(String... names) {
        return java.util.Arrays.stream(names).map(PerfEventSpec::parse).toList();
    }

    /**
     * Two platform threads pinned to one CPU hand a token over with park/unpark: each round trip
     * blocks both, so the kernel switches at least twice per round trip, summed over both sides.
     */
    static Side[] handoffs(List<PerfEventSpec> events) throws Exception {
        int cpu = Sched.getAffinity(0).first();
        CyclicBarrier ready = new CyclicBarrier(2);
        AtomicReference<Side> pingSide = new AtomicReference<>();
        AtomicReference<Side> pongSide = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        int[] turn = new int[1];
        Object lock = new Object();
        Thread[] threads = new Thread[2];
        for (int side = 0; side < 2; side++) {
            int me = side;
            threads[side] = Thread.ofPlatform().name("handoff-" + side).unstarted(() -> {
                try {
                    Sched.setAffinity(0, CpuSet.of(cpu));
                    try (PerfCounterGroup g = PerfCounterGroup.open(events, 0, false)) {
                        ready.await();
                        Resource.Rusage ru0 = Resource.getrusage(Resource.RUSAGE_THREAD);
                        g.reset();
                        g.enable();
                        Thread other = threads[1 - me];
                        for (int i = 0; i < ROUND_TRIPS; i++) {
                            if (me == 0) {
                                setTurn(turn, lock, 1);
                                LockSupport.unpark(other);
                                while (getTurn(turn, lock) != 0) LockSupport.park();
                            } else {
                                while (getTurn(turn, lock) != 1) LockSupport.park();
                                setTurn(turn, lock, 0);
                                LockSupport.unpark(other);
                            }
                        }
                        // Pong is switched out for round trip i between its wake(i) and its wait(i+1): for
                        // the last one that is a tail wait, which must fall inside its window (as in
                        // native/src/pingpong.c), or the total can read 2N - 1.
                        if (me == 1) {
                            while (getTurn(turn, lock) != 1) LockSupport.park();
                        }
                        g.disable();
                        Resource.Rusage ru1 = Resource.getrusage(Resource.RUSAGE_THREAD);
                        PerfCounterGroup.Reading r = g.read();
                        if (me == 0) {   // the tail round trip, outside ping's window
                            setTurn(turn, lock, 1);
                            LockSupport.unpark(other);
                            while (getTurn(turn, lock) != 0) LockSupport.park();
                        } else {
                            setTurn(turn, lock, 0);
                            LockSupport.unpark(other);
                        }
                        PerfCounterGroup.Value cs = r.get("context-switches");
                        Side s = cs != null ? new Side(cs.raw(), "perf", r)
                                : new Side(ru1.switches() - ru0.switches(), "getrusage(RUSAGE_THREAD)", r);
                        (me == 0 ? pingSide : pongSide).set(s);
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
        }
        threads[0].start();
        threads[1].start();
        threads[0].join(60_000);
        threads[1].join(60_000);
        if (failure.get() != null) throw new AssertionError(failure.get());
        return new Side[] {pingSide.get(), pongSide.get()};
    }

    private static void setTurn(int[] turn, Object lock, int v) {
        synchronized (lock) {
            turn[0] = v;
        }
    }

    private static int getTurn(int[] turn, Object lock) {
        synchronized (lock) {
            return turn[0];
        }
    }

    @Test
    void softwareGroupCountsAtLeastTwoSwitchesPerRoundTrip() throws Exception {
        Side[] sides = handoffs(specs("context-switches", "task-clock", "page-faults"));
        long total = sides[0].switches() + sides[1].switches();
        assertTrue(total >= 2L * ROUND_TRIPS, total + " switches for " + ROUND_TRIPS + " round trips ("
                + sides[0].source() + ")");
        if (PerfAvailability.probe().software().open()) {
            assertEquals("perf", sides[0].source());
            assertEquals(3, sides[0].reading().values().size());
        }
    }

    @Test
    void groupReadCarriesEnabledAndRunningTimes() throws Exception {
        assumeSoftware();
        try (PerfCounterGroup g = PerfCounterGroup.open(specs("task-clock", "context-switches", "page-faults"), 0, false)) {
            assertTrue(g.grouped());
            assertEquals(3, g.members().size());
            assertTrue(g.members().stream().allMatch(PerfCounterGroup.Member::inGroup), g.toString());
            g.enable();
            Thread.sleep(2);
            byte[] touch = new byte[1 << 20];
            touch[touch.length - 1] = 1;
            g.disable();
            PerfCounterGroup.Reading r = g.read();
            for (PerfCounterGroup.Value v : r.values()) {
                assertTrue(v.enabledNs() >= v.runningNs() && v.runningNs() > 0, v.toString());
                if (!v.multiplexed()) assertEquals(v.raw(), v.scaled(), v.toString());
            }
            assertTrue(r.get("task-clock").raw() > 0, r.toString());
            assertTrue(r.get("context-switches").raw() >= 1, r.toString());
        }
    }

    @Test
    void disabledUntilEnabled() throws Exception {
        assumeSoftware();
        try (PerfCounterGroup g = PerfCounterGroup.open(specs("context-switches"), 0, false)) {
            Thread.sleep(2);
            assertEquals(0, g.read().get("context-switches").raw());
        }
    }

    @Test
    void readingDeltasAndScaling() {
        PerfCounterGroup.Member m = new PerfCounterGroup.Member(PerfEventSpec.parse("cycles"), 3, true, false, null);
        PerfCounterGroup.Reading a = new PerfCounterGroup.Reading(List.of(new PerfCounterGroup.Value(m, 100, 100, 100)));
        PerfCounterGroup.Reading b = new PerfCounterGroup.Reading(List.of(new PerfCounterGroup.Value(m, 300, 500, 300)));
        PerfCounterGroup.Value d = b.minus(a).values().getFirst();
        assertEquals(200, d.raw());
        assertEquals(400, d.enabledNs());
        assertEquals(200, d.runningNs());
        assertTrue(d.multiplexed());
        assertEquals(400, d.scaled());
        Counter c = CounterReadings.of(emptyGroup(), b.minus(a), "runner", 100).counters().getFirst();
        assertEquals("perf_event_open(hardware, group, scaled x2.00)", c.source());
        assertEquals(4.0, c.perOp());
    }

    private static PerfCounterGroup emptyGroup() {
        return PerfCounterGroup.open(List.of(), 0, false);
    }

    @Test
    void hardwareEventsAreUnavailableWithoutPmuOrCount() {
        PerfAvailability a = PerfAvailability.probe();
        try (PerfCounterGroup g = PerfCounterGroup.open(specs("context-switches", "cycles", "instructions",
                "dTLB-load-misses", "iTLB-load-misses", "cache-misses", "branch-misses"), 0, false)) {
            if (a.hardware().status() == PerfOpenStatus.NO_PMU) {
                assertEquals(6, g.unavailable().size(), g.toString());
                for (PerfCounterGroup.Unavailable u : g.unavailable()) {
                    assertEquals("unavailable: no hardware PMU (ENOENT)", u.text(), u.spec().name());
                }
                CounterReadings cr = CounterReadings.of(g, g.read(), "runner", 1);
                assertTrue(cr.notes().contains("cycles: unavailable: no hardware PMU (ENOENT)"), cr.notes().toString());
                assertTrue(cr.counters().stream().noneMatch(c -> c.event().startsWith("cycles")), "no zero for cycles");
            } else if (a.hardware().open()) {
                g.enable();
                long x = 0;
                for (int i = 0; i < 10_000_000; i++) x += i ^ (x >>> 3);
                g.disable();
                assertTrue(x != 42);
                PerfCounterGroup.Value cycles = g.read().values().stream()
                        .filter(v -> v.member().spec().name().equals("cycles")).findFirst().orElseThrow();
                assertTrue(cycles.scaled() > 0, cycles.toString());
            } else {
                for (PerfCounterGroup.Unavailable u : g.unavailable()) assertFalse(u.reason().isBlank());
            }
        }
    }

    @Test
    void classifyNamesTheErrnoAndTheFix() {
        OptionalInt two = OptionalInt.of(2);
        PerfEventSpec cycles = PerfEventSpec.parse("cycles");
        assertEquals("unavailable: no hardware PMU (ENOENT)", PerfOpenLadder.classify(cycles.kind(), 2, two).text());
        assertEquals("not permitted (EACCES): perf_event_paranoid=2; try sysctl kernel.perf_event_paranoid=1 or run as root",
                PerfOpenLadder.classify(cycles.kind(), 13, two).text());
        assertEquals(PerfOpenStatus.NOT_PERMITTED,
                PerfOpenLadder.classify(PerfEvent.Kind.SOFTWARE, 1, two).status());
        assertTrue(PerfOpenLadder.classify(cycles.kind(), 22, two).text().contains("(EINVAL)"));
    }

    @Test
    void parseNamesAndTracepoints(@TempDir Path tracefs) throws IOException {
        assertEquals(PerfEvent.Type.HW_CACHE, PerfEventSpec.parse("iTLB-load-misses").type());
        assertEquals(4L | (0L << 8) | (1L << 16), PerfEventSpec.parse("iTLB-load-misses").config());
        assertEquals(3, PerfEventSpec.parse("cache-misses").config());
        assertEquals(5, PerfEventSpec.parse("branch-misses").config());
        assertThrows(IllegalArgumentException.class, () -> PerfEventSpec.parse("nosuch-event"));
        assertThrows(IllegalArgumentException.class, () -> PerfEventSpec.parse("a:b/c"));

        HostFiles root = new HostFiles(tracefs);
        PerfEventSpec missing = PerfEventSpec.parse("tlb:tlb_flush", root);
        assertFalse(missing.resolved());
        assertEquals("tracepoint tlb:tlb_flush not found: tracefs is not mounted (no /sys/kernel/tracing/events or"
                + " /sys/kernel/debug/tracing/events); as root: mount -t tracefs nodev /sys/kernel/tracing", missing.missing());
        try (PerfCounterGroup g = PerfCounterGroup.open(List.of(missing), 0, false)) {
            assertEquals(PerfOpenStatus.NOT_FOUND, g.unavailable().getFirst().status());
            assertEquals("tlb:tlb_flush: unavailable: " + missing.missing(),
                    CounterReadings.of(g, g.read(), "runner", 1).notes().getFirst());
        }

        Path old = tracefs.resolve("sys/kernel/debug/tracing/events/sched/sched_switch/id");
        Files.createDirectories(old.getParent());
        Files.writeString(old, "317\n");
        PerfEventSpec found = PerfEventSpec.parse("sched:sched_switch", root);
        assertEquals(317, found.config(), "the old place under debugfs is read when tracefs has no own mount");
        Path id = tracefs.resolve("sys/kernel/tracing/events/sched/sched_switch/id");
        Files.createDirectories(id.getParent());
        Files.writeString(id, "");
        assertEquals(317, PerfEventSpec.parse("sched:sched_switch", root).config(), "an empty id file is skipped");
        Files.writeString(id, "318\n");
        assertEquals(318, PerfEventSpec.parse("sched:sched_switch", root).config(), "tracefs's own mount comes first");
        // With tracefs there, a name it does not list is bad input, not a host limit.
        IllegalArgumentException typo = assertThrows(IllegalArgumentException.class,
                () -> PerfEventSpec.parse("sched:sched_swich", root));
        assertTrue(typo.getMessage().contains("unknown tracepoint 'sched:sched_swich'"), typo.getMessage());
        assertEquals(PerfEvent.Type.TRACEPOINT, found.type());
        assertEquals(PerfEvent.Kind.TRACEPOINT, found.kind());
    }

    @Test
    void tracepointIdParser() {
        String path = "/sys/kernel/tracing/events/sched/sched_switch/id";
        assertEquals(java.util.OptionalLong.of(317), PerfEventSpec.parseTracepointId(new FileText(path, List.of("317"), null)));
        assertTrue(PerfEventSpec.parseTracepointId(new FileText(path, List.of(), null)).isEmpty());
        assertTrue(PerfEventSpec.parseTracepointId(new FileText(path, List.of("31x"), null)).isEmpty());
        assertTrue(PerfEventSpec.parseTracepointId(new FileText(path, List.of(), "no " + path)).isEmpty());
    }

    @Test
    void schedSwitchTracepointCountsHandoffsOrSaysWhy() throws Exception {
        PerfEventSpec tp = PerfEventSpec.parse("sched:sched_switch");
        Side[] sides = handoffs(List.of(PerfEventSpec.parse("context-switches"), tp));
        try (PerfCounterGroup g = PerfCounterGroup.open(List.of(tp), 0, false)) {
            if (!g.unavailable().isEmpty()) {
                String why = g.unavailable().getFirst().text();
                assertFalse(why.isBlank());
                assertTrue(why.contains("not found") || why.contains("(E"), why);
                return;
            }
        }
        long total = 0;
        for (Side s : sides) {
            PerfCounterGroup.Value v = s.reading().get("sched:sched_switch");
            assertNotNull(v, s.toString());
            total += v.raw();
        }
        assertTrue(total >= ROUND_TRIPS, total + " sched_switch events for " + ROUND_TRIPS + " round trips");
    }

    @Test
    void noFdLeftBehind() throws IOException {
        long before = openFds();
        try (PerfCounterGroup g = PerfCounterGroup.open(specs("context-switches", "cycles", "page-faults",
                "dTLB-load-misses", "task-clock"), 0, false)) {
            assertFalse(g.members().isEmpty() && g.unavailable().isEmpty() && g.members().size() != 5);
        }
        assertEquals(before, openFds());
    }

    private static void assumeSoftware() {
        PerfAvailability.ClassStatus s = PerfAvailability.probe().software();
        org.junit.jupiter.api.Assumptions.assumeTrue(s.open(), "software events do not open here: " + s.text());
    }

    private static long openFds() throws IOException {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }
}
