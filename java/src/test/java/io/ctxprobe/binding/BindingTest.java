package io.ctxprobe.binding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctxprobe.linux.CpuSet;
import io.ctxprobe.linux.LinuxException;
import io.ctxprobe.linux.TestThreads;
import io.ctxprobe.linux.Time;
import org.junit.jupiter.api.Test;

/** FFM and JNA must tell the same story about the same thread. */
class BindingTest {
    private final Binding ffm = Binding.ffm();
    private final Binding jna = Binding.jna();

    @Test
    void named() {
        assertEquals("ffm", Binding.named("ffm").name());
        assertEquals("jna", Binding.named("jna").name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Binding.named("jni"));
        assertEquals("unknown binding 'jni': expected ffm or jna", e.getMessage());
    }

    @Test
    void agreeOnAPinnedThread() throws Exception {
        TestThreads.onFreshThread(() -> {
            CpuSet allowed = ffm.getAffinity(0);
            assertEquals(allowed, jna.getAffinity(0));
            try {
                for (int cpu : allowed.cpus()) {
                    // Pin with one binding, check with both (sched_getcpu agrees only when pinned).
                    Binding pinner = cpu % 2 == 0 ? ffm : jna;
                    pinner.setAffinity(0, CpuSet.of(cpu));
                    assertEquals(CpuSet.of(cpu), ffm.getAffinity(0));
                    assertEquals(CpuSet.of(cpu), jna.getAffinity(0));
                    assertEquals(cpu, ffm.currentCpu());
                    assertEquals(cpu, jna.currentCpu());
                }
            } finally {
                ffm.setAffinity(0, allowed);
            }
            assertEquals(ffm.gettid(), jna.gettid());
            int tid = ffm.gettid();
            assertEquals(ffm.getAffinity(tid), jna.getAffinity(tid));
            return null;
        });
    }

    @Test
    void monotonicReadingsInterleave() {
        for (int i = 0; i < 100; i++) {
            long a = ffm.clockNs(Time.CLOCK_MONOTONIC);
            long b = jna.clockNs(Time.CLOCK_MONOTONIC);
            long c = ffm.clockNs(Time.CLOCK_MONOTONIC);
            assertTrue(a <= b && b <= c, a + " <= " + b + " <= " + c);
        }
    }

    @Test
    void sameErrorsFromBoth() throws Exception {
        for (Binding b : new Binding[] {ffm, jna}) {
            LinuxException e = TestThreads.onFreshThread(() -> assertThrows(LinuxException.class,
                    () -> b.setAffinity(0, CpuSet.of(100_000))));
            assertEquals("sched_setaffinity: Invalid argument (EINVAL)", e.getMessage(), b.name());
            LinuxException c = assertThrows(LinuxException.class, () -> b.clockNs(12345));
            assertEquals("clock_gettime: Invalid argument (EINVAL)", c.getMessage(), b.name());
        }
    }
}
