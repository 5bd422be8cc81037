package io.ctxprobe.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SchedTest {

    @Test
    void pinningTakesEffectOnEachAllowedCpu() throws Exception {
        TestThreads.onFreshThread(() -> {
            CpuSet allowed = Sched.getAffinity(0);
            assertFalse(allowed.isEmpty());
            try {
                for (int cpu : allowed.cpus()) {
                    Sched.setAffinity(0, CpuSet.of(cpu));
                    assertEquals(CpuSet.of(cpu), Sched.getAffinity(0));
                    // The kernel migrates the caller before sched_setaffinity returns.
                    assertEquals(cpu, Sched.getcpu());
                }
            } finally {
                Sched.setAffinity(0, allowed);
            }
            assertEquals(allowed, Sched.getAffinity(0));
            return null;
        });
    }

    @Test
    void otherThreadsAffinityByTid() throws Exception {
        int tid = Unistd.gettid();
        assertEquals(Sched.getAffinity(0), Sched.getAffinity(tid));
    }

    @Test
    void masksLargerThan1024BitsWork() {
        CpuSet dflt = Sched.getAffinity(0);
        assertEquals(dflt, Sched.getAffinity(0, 4096));
        assertEquals(dflt, Sched.getAffinity(0, 1 << 16));
        // Starting too small must grow (on hosts with more than 64 possible CPUs) and never fail.
        assertEquals(dflt, Sched.getAffinity(0, 64));
        assertTrue(dflt.cpus().stream().allMatch(c -> c < 1 << 16));
    }

    @Test
    void yieldAndScheduler() {
        Sched.yield();
        assertEquals(Sched.SCHED_OTHER, Sched.getScheduler(0));
        assertTrue(Sched.cloneAddress().address() != 0);
    }
}
