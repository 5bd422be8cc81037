package io.ctxprobe.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The schedstat and /proc/stat parsers on fixture text, and the live files' invariants. */
class SchedStatTest {

    @Test
    void schedstatIsRunWaitSlices() {
        SchedStat s = SchedStat.parse("26845918 7113036 97\n");
        assertEquals(new SchedStat(26845918, 7113036, 97), s);
        assertEquals(new SchedStat(845918, 113036, 7), s.minus(new SchedStat(26000000, 7000000, 90)));
    }

    @Test
    void malformedSchedstatSaysWhatIsWrong() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SchedStat.parse("123 456\n")).getMessage().contains("3 fields"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SchedStat.parse("")).getMessage().contains("3 fields"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SchedStat.parse("12 x 3")).getMessage().contains("not a number"));
    }

    @Test
    void thisThreadsSchedstatGrowsWhereTheKernelKeepsIt() {
        int tid = (int) io.ctxprobe.linux.Unistd.gettid();
        Optional<SchedStat> before = SchedStat.read(tid);
        long x = 0;
        for (int i = 0; i < 5_000_000; i++) x += i ^ (x >>> 3);
        Optional<SchedStat> after = SchedStat.read(tid);
        assertEquals(before.isPresent(), after.isPresent());
        if (before.isPresent()) {
            SchedStat d = after.get().minus(before.get());
            assertTrue(d.runNs() > 0 && d.runDelayNs() >= 0, d + " " + x);
        }
    }

    private static final List<String> PROC_STAT = List.of(
            "cpu  10132153 290696 3084719 46828483 16683 0 25195 175628 0 0",
            "cpu0 1393280 32966 572056 13343292 6130 0 17875 87000 0 0",
            "cpu1 1335270 28745 580100 13311117 5210 0 3108 88628 0 0",
            "intr 1234 0 0",
            "ctxt 12345");

    @Test
    void procStatGivesTotalIdleAndSteal() {
        CpuTimes all = CpuTimes.parse(PROC_STAT);
        assertEquals(10132153L + 290696 + 3084719 + 46828483 + 16683 + 0 + 25195 + 175628, all.totalTicks());
        assertEquals(46828483L + 16683, all.idleTicks());
        assertEquals(175628, all.stealTicks());
        CpuTimes cpu1 = CpuTimes.parse(PROC_STAT, 1);
        assertEquals(88628, cpu1.stealTicks());
        CpuTimes d = all.minus(new CpuTimes(all.totalTicks() - 1000, all.idleTicks() - 900, all.stealTicks() - 10));
        assertEquals(0.01, d.stealShare(), 1e-12);
    }

    @Test
    void oldKernelsWithoutStealAndBrokenFilesAreHandled() {
        CpuTimes old = CpuTimes.parse(List.of("cpu  100 0 50 850"));   // 2.4-era: four fields
        assertEquals(1000, old.totalTicks());
        assertEquals(0, old.stealTicks());
        assertThrows(IllegalArgumentException.class, () -> CpuTimes.parse(List.of("intr 1")));
        assertThrows(IllegalArgumentException.class, () -> CpuTimes.parse(List.of("cpu  1 2")));
        assertThrows(IllegalArgumentException.class, () -> CpuTimes.parse(PROC_STAT, 7));
        assertEquals(null, new CpuTimes(0, 0, 0).stealShare());
    }
}
