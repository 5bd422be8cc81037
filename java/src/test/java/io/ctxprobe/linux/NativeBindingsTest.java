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
class NativeBindingsTest {
    private static final long BATCHES = 10;
    private static final long OPS = 100;

    @Test
    void abiAndClocks() {
        assertEquals(NativeCore.ABI_VERSION, NativeCore.abiVersion());
        long a = NativeCore.nowNs();
        long b = NativeCore.nowNs();
        assertTrue(a > 0 && b >= a);
        assertTrue(NativeCore.threadCpuNs() > 0);
        assertTrue(NativeCore.timerCostPs(1000) > 0);
        assertTrue(NativeCore.timerCostPs(0) < 0, "0 reads is bad input: a negative errno");
    }

    @Test
    void cpuidVendor() {
        int[] r = NativeCore.cpuid(0, 0);
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
            assertEquals(0, NativeCore.check("ctxprobe_syscall_null_run",
                    NativeSyscall.nullRun(1, BATCHES, OPS, wall, cpu)));
            assertAllPositive(wall);
            assertTrue(Arrays.stream(cpu.toArray(JAVA_LONG)).allMatch(v -> v >= 0));
            assertTrue(NativeSyscall.nullRun(1, BATCHES, OPS, wall, MemorySegment.NULL) == 0);
            assertThrows(IllegalArgumentException.class,
                    () -> NativeSyscall.nullRun(1, BATCHES + 1, OPS, wall, MemorySegment.NULL));
        }
    }

    @Test
    void fiberSwitchRunForEachKind() {
        for (NativeFiber.Kind kind : NativeFiber.Kind.values()) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment wall = arena.allocate(JAVA_LONG, BATCHES);
                assertEquals(0, NativeFiber.switchRun(kind, 1, BATCHES, OPS, wall, MemorySegment.NULL),
                        "kind " + kind);
                assertAllPositive(wall);
            }
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment wall = arena.allocate(JAVA_LONG, BATCHES);
            int rc = NativeSyscall.nullRun(-1, BATCHES, OPS, wall, MemorySegment.NULL);
            assertEquals(-Errno.EINVAL, rc);
            LinuxException e = assertThrows(LinuxException.class, () -> NativeCore.check("ctxprobe_syscall_null_run", rc));
            assertEquals("EINVAL", e.errnoName());
        }
    }

    @Test
    void pingpongRejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> NativePingPong.start(NativePingPong.Mechanism.FUTEX,
                NativePingPong.Mode.THREADS, 0, 0, 1, 1000));
        assertThrows(IllegalArgumentException.class, () -> NativePingPong.start(NativePingPong.Mechanism.FUTEX,
                NativePingPong.Mode.FIBER, 0, 1, 1, 1000), "the fiber mode needs MECH_SPIN");
    }

    /**
     * Two pthreads created from Java with C bodies, pinned to one CPU between wait_ready and go:
     * each round trip must switch both threads out once, by the kernel's own counts.
     */
    @Test
    void sameCorePingpongSwitchesTwicePerRoundTrip() {
        int cpu = Sched.getAffinity(0).first();
        PerfCounter[] counters = new PerfCounter[2];
        try (NativePingPong pp = NativePingPong.start(NativePingPong.Mechanism.FUTEX, NativePingPong.Mode.THREADS, 2,
                (int) BATCHES, OPS, 10_000)) {
            for (int side = 0; side < 2; side++) {
                int tid = pp.tid(side);
                assertTrue(tid > 0);
                Sched.setAffinity(tid, CpuSet.of(cpu));
                assertEquals(CpuSet.of(cpu), Sched.getAffinity(tid));
                counters[side] = PerfCounter.openValueOnly(PerfEvent.CONTEXT_SWITCHES, tid);
                pp.counterFd(side, 0, counters[side].fd());
            }
            pp.go();
            pp.join();

            long roundTrips = BATCHES * OPS;
            long[] samples = pp.batchWallNs();
            assertTrue(Arrays.stream(samples).allMatch(v -> v > 0), Arrays.toString(samples));
            long rusage = 0;
            long perf = 0;
            for (int side = 0; side < 2; side++) {
                assertEquals(cpu, pp.cpu(side, false), "side " + side + " at start");
                assertEquals(cpu, pp.cpu(side, true), "side " + side + " at end");
                assertEquals(roundTrips, pp.roundTrips(side), "side " + side + " counted every measured round trip");
                rusage += pp.voluntarySwitches(side) + pp.involuntarySwitches(side);
                long delta = pp.counterDelta(side, 0);
                assertTrue(delta >= 0, "perf read failed on side " + side);
                perf += delta;
                assertEquals(-1, pp.counterDelta(side, 1), "no fd in slot 1");
            }
            assertTrue(pp.childEnd(NativePingPong.PONG).isEmpty(), "no side was forked");
            assertTrue(rusage >= 2 * roundTrips, "rusage switches " + rusage + " for " + roundTrips + " round trips");
            assertTrue(perf >= 2 * roundTrips, "perf context-switches " + perf + " for " + roundTrips + " round trips");
        } finally {
            for (PerfCounter c : counters) {
                if (c != null) {
                    c.close();
                }
            }
        }
    }

    /**
     * The partner watch: a forked side killed with SIGKILL mid-run ends the run (side 0's untimed
     * wait is released and the join returns EPIPE), and the object says how the child ended and
     * after how many round trips.
     */
    @Test
    void killedPartnerIsNoticedAtOnce() throws Exception {
        try (NativePingPong pp = NativePingPong.start(NativePingPong.Mechanism.FUTEX, NativePingPong.Mode.PROCESS, 0,
                1000, 1_000_000, 10_000)) {
            int pid = pp.tid(NativePingPong.PONG);
            pp.go();
            for (int i = 0; i < 500 && pp.roundTrips(NativePingPong.PONG) == 0; i++) {
                Thread.sleep(1);
            }
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
            // Side 0 waits on the futex without a deadline: that join returns at all is the watch's doing.
            LinuxException e = assertThrows(LinuxException.class, pp::join);
            assertEquals("EPIPE", e.errnoName());
            NativePingPong.ChildEnd end = pp.childEnd(NativePingPong.PONG).orElseThrow();
            assertEquals(9, end.signal(), "killed by SIGKILL");
            assertEquals(-1, end.exitCode());
            assertTrue(pp.roundTrips(NativePingPong.PONG) > 0, "round trips before the kill");
        }
    }

    private static void assertAllPositive(MemorySegment samples) {
        long[] v = samples.toArray(JAVA_LONG);
        assertTrue(Arrays.stream(v).allMatch(x -> x > 0), Arrays.toString(v));
    }
}
