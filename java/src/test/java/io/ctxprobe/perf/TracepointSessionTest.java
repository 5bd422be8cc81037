package io.ctxprobe.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctxprobe.linux.CpuSet;
import io.ctxprobe.linux.Sched;
import io.ctxprobe.linux.Unistd;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A live session on this host where raw tracepoint samples are allowed (root or CAP_PERFMON and the
 * formats found); skipped with TracepointAccess's reason elsewhere. Facts only: the kernel-side filter
 * keeps other tasks out, counting and sampling agree, an overfilled ring says how much it lost.
 */
class TracepointSessionTest {

    static final List<String> NAMES = List.of("sched:sched_switch");

    static TracepointFormat sched() {
        String why = TracepointAccess.unavailableReason(NAMES);
        Assumptions.assumeTrue(why == null, () -> "tracepoint sampling unavailable here: " + why);
        return TracepointAccess.lookup(NAMES).get("sched:sched_switch");
    }

    @Test
    void filteredSamplesAndCountsAgreeAndNameOnlyThisThread() throws Exception {
        TracepointFormat sw = sched();
        int cpu = Sched.getAffinity(0).first();
        CpuSet before = Sched.getAffinity(0);
        Sched.setAffinity(0, CpuSet.of(cpu));
        try {
            int tid = Unistd.gettid();
            String filter = "prev_pid == " + tid;
            try (TracepointSession s = TracepointSession.open(new int[] {cpu}, List.of(new TracepointSession.Sampled(sw, filter)),
                    List.of(new TracepointSession.Counted("out", sw, filter)), 16)) {
                s.enable();
                for (int i = 0; i < 20; i++) Thread.sleep(1);
                s.disable();
                TracepointSession.Samples seen = s.drain();
                assertEquals(0, seen.lost());
                assertTrue(seen.samples().size() >= 20, "every sleep switched this thread out: " + seen.samples().size());
                assertEquals(s.count("out"), seen.samples().size(), "counting and sampling saw the same events");
                for (PerfRecord.Sample x : seen.samples()) {
                    assertEquals(tid, sw.field("prev_pid").readLong(x.raw()));
                    assertEquals(cpu, x.cpu());
                }
            }
        } finally {
            Sched.setAffinity(0, before);
        }
    }

    @Test
    void anOverfilledRingSaysHowMuchItLost() throws Exception {
        TracepointFormat sw = sched();
        int cpu = Sched.getAffinity(0).first();
        CpuSet before = Sched.getAffinity(0);
        Sched.setAffinity(0, CpuSet.of(cpu));
        try (TracepointSession s = TracepointSession.open(new int[] {cpu},
                List.of(new TracepointSession.Sampled(sw, "prev_pid == " + Unistd.gettid())), List.of(), 1)) {
            s.enable();
            for (int i = 0; i < 80; i++) Thread.sleep(1);       // about 100 bytes a switch: 8 KiB into a 4 KiB ring
            s.drain();                                         // room again: the kernel writes its LOST record next
            for (int i = 0; i < 3; i++) Thread.sleep(1);
            s.disable();
            assertTrue(s.drain().lost() > 0, "the lost record reached the reader");
        } finally {
            Sched.setAffinity(0, before);
        }
    }

    @Test
    void aBadFilterIsRefusedWithItsText() {
        TracepointFormat sw = sched();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TracepointSession.open(new int[] {0},
                List.of(), List.of(new TracepointSession.Counted("x", sw, "no_such_field == 1")), 1));
        assertTrue(e.getMessage().contains("no_such_field == 1"), e.getMessage());
    }
}
