package io.ctxprobe.linux;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctxprobe.perf.PerfCounter;
import io.ctxprobe.perf.PerfEvent;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** libctxprobe through its binding; facts that hold on any host, never timings. */
class CtxprobeLibTest {
    private static final long BATCHES = 10;
    private static final long OPS = 100;

    @Test
    void abiAndClocks() {
        assertEquals(CtxprobeLib.ABI_VERSION, CtxprobeLib.abiVersion());
        long a = CtxprobeLib.nowNs();
        long b = CtxprobeLib.nowNs();
        assertTrue(a > 0 && b >= a);
        assertTrue(CtxprobeLib.threadCpuNs() > 0);
        assertTrue(CtxprobeLib.timerCostPs(1000) > 0);
        assertTrue(CtxprobeLib.timerCostPs(0) < 0, "0 reads is bad input: a negative errno");
    }

    @Test
    void cpuidVendor() {
        int[] r = CtxprobeLib.cpuid(0, 0);
        assertEquals(4, r.length);
        assertTrue(r[0] > 0, "max basic leaf");
        // The vendor string is ebx, edx, ecx, little-endian ("GenuineIntel", "AuthenticAMD").
        ByteBuffer bb = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(r[1]).putInt(r[3]).putInt(r[2]);
        String vendor = new String(bb.array(), StandardCharsets.US_ASCII).trim();
        assertFalse(vendor.isEmpty());
    }

    @Test
    void syscallNullRunFillsSamples() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment wall = arena.allocate(JAVA_LONG, BATCHES);
            MemorySegment cpu = arena.allocate(JAVA_LONG, BATCHES);
            assertEquals(0, CtxprobeLib.check("ctxprobe_syscall_null_run",
                    CtxprobeLib.syscallNullRun(1, BATCHES, OPS, wall, cpu)));
            assertAllPositive(wall);
            assertTrue(Arrays.stream(cpu.toArray(JAVA_LONG)).allMatch(v -> v >= 0));
            assertTrue(CtxprobeLib.syscallNullRun(1, BATCHES, OPS, wall, MemorySegment.NULL) == 0);
            assertThrows(IllegalArgumentException.class,
                    () -> CtxprobeLib.syscallNullRun(1, BATCHES + 1, OPS, wall, MemorySegment.NULL));
        }
    }

    @Test
    void fiberSwitchRunForEachKind() {
        for (int kind : new int[] {CtxprobeLib.FIBER_ASM, CtxprobeLib.FIBER_ASM_NOFPU, CtxprobeLib.FIBER_UCONTEXT}) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment wall = arena.allocate(JAVA_LONG, BATCHES);
                assertEquals(0, CtxprobeLib.fiberSwitchRun(kind, 1, BATCHES, OPS, wall, MemorySegment.NULL),
                        "kind " + kind);
                assertAllPositive(wall);
            }
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment wall = arena.allocate(JAVA_LONG, BATCHES);
            int rc = CtxprobeLib.fiberSwitchRun(99, 1, BATCHES, OPS, wall, MemorySegment.NULL);
            assertEquals(-Errno.EINVAL, rc);
            LinuxException e = assertThrows(LinuxException.class, () -> CtxprobeLib.check("ctxprobe_fiber_switch_run", rc));
            assertEquals("EINVAL", e.errnoName());
        }
    }

    @Test
    void pingpongNewRejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> CtxprobeLib.pingpongNew(99, 0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> CtxprobeLib.pingpongNew(CtxprobeLib.MECH_FUTEX, 0, 0, 1));
    }

    /**
     * Two pthreads created from Java with C bodies, pinned to one CPU between wait_ready and go:
     * each round trip must switch both threads out once, by the kernel's own counts.
     */
    @Test
    void sameCorePingpongSwitchesTwicePerRoundTrip() {
        int cpu = Sched.getAffinity(0).first();
        MemorySegment pp = CtxprobeLib.pingpongNew(CtxprobeLib.MECH_FUTEX, 2, BATCHES, OPS);
        long[] threads = new long[2];
        PerfCounter[] counters = new PerfCounter[2];
        boolean joined = false;
        try {
            for (int side = 0; side < 2; side++) {
                threads[side] = Pthread.create(CtxprobeLib.pingpongMainAddress(), CtxprobeLib.pingpongSide(pp, side));
            }
            assertEquals(0, CtxprobeLib.pingpongWaitReady(pp, 10_000));
            for (int side = 0; side < 2; side++) {
                int tid = CtxprobeLib.pingpongTid(pp, side);
                assertTrue(tid > 0);
                Sched.setAffinity(tid, CpuSet.of(cpu));
                assertEquals(CpuSet.of(cpu), Sched.getAffinity(tid));
                counters[side] = PerfCounter.openValueOnly(PerfEvent.CONTEXT_SWITCHES, tid);
                assertEquals(0, CtxprobeLib.pingpongSetCounterFd(pp, side, 0, counters[side].fd()));
            }
            CtxprobeLib.pingpongGo(pp);
            Pthread.join(threads[0]);
            Pthread.join(threads[1]);
            joined = true;

            assertEquals(0, CtxprobeLib.pingpongError(pp));
            long roundTrips = BATCHES * OPS;
            long[] samples = CtxprobeLib.pingpongSamples(pp, BATCHES);
            assertTrue(Arrays.stream(samples).allMatch(v -> v > 0), Arrays.toString(samples));
            long rusage = 0;
            long perf = 0;
            for (int side = 0; side < 2; side++) {
                assertEquals(cpu, CtxprobeLib.pingpongCpu(pp, side, false), "side " + side + " at start");
                assertEquals(cpu, CtxprobeLib.pingpongCpu(pp, side, true), "side " + side + " at end");
                rusage += CtxprobeLib.pingpongRusageDelta(pp, side, CtxprobeLib.RUSAGE_NVCSW)
                        + CtxprobeLib.pingpongRusageDelta(pp, side, CtxprobeLib.RUSAGE_NIVCSW);
                long delta = CtxprobeLib.pingpongCounterDelta(pp, side, 0);
                assertTrue(delta >= 0, "perf read failed on side " + side);
                perf += delta;
                assertEquals(-1, CtxprobeLib.pingpongCounterDelta(pp, side, 1), "no fd in slot 1");
            }
            assertTrue(rusage >= 2 * roundTrips, "rusage switches " + rusage + " for " + roundTrips + " round trips");
            assertTrue(perf >= 2 * roundTrips, "perf context-switches " + perf + " for " + roundTrips + " round trips");
        } finally {
            if (!joined) {
                // Never leave C threads blocked on a futex if an assertion failed before the join.
                CtxprobeLib.pingpongAbort(pp);
                for (long t : threads) {
                    if (t != 0) {
                        Pthread.join(t);
                    }
                }
            }
            for (PerfCounter c : counters) {
                if (c != null) {
                    c.close();
                }
            }
            CtxprobeLib.pingpongFree(pp);
        }
    }

    private static void assertAllPositive(MemorySegment samples) {
        long[] v = samples.toArray(JAVA_LONG);
        assertTrue(Arrays.stream(v).allMatch(x -> x > 0), Arrays.toString(v));
    }
}
