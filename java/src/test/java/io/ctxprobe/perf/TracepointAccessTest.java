package io.ctxprobe.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctxprobe.host.FileText;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The privilege rule for raw tracepoint samples on whole CPUs, on numbers. */
class TracepointAccessTest {

    @Test
    void capabilitiesOrParanoidMinusOne() {
        long root = 0x000001ffffffffffL;
        assertNull(TracepointAccess.privilegeProblem(OptionalInt.of(2), root));
        assertNull(TracepointAccess.privilegeProblem(OptionalInt.of(2), 1L << TracepointAccess.CAP_PERFMON));
        assertNull(TracepointAccess.privilegeProblem(OptionalInt.of(4), 1L << TracepointAccess.CAP_SYS_ADMIN));
        assertNull(TracepointAccess.privilegeProblem(OptionalInt.of(-1), 0));
        String why = TracepointAccess.privilegeProblem(OptionalInt.of(2), 0);
        assertTrue(why.contains("root or CAP_PERFMON") && why.contains("perf_event_paranoid=2"), why);
        assertTrue(TracepointAccess.privilegeProblem(OptionalInt.empty(), -1).contains("unknown"));
        assertTrue(TracepointAccess.privilegeProblem(OptionalInt.of(0), 0) != null, "paranoid 0 still refuses raw data");
    }

    @Test
    void capEffFromStatus() {
        assertEquals(0x000001ffffffffffL, TracepointAccess.capEff(new FileText("/proc/self/status",
                List.of("Name:\tjava", "CapInh:\t0000000000000000", "CapEff:\t000001ffffffffff"), null)));
        assertEquals(-1, TracepointAccess.capEff(new FileText("/proc/self/status", List.of("Name:\tjava"), null)));
        assertEquals(-1, TracepointAccess.capEff(new FileText("/proc/self/status", List.of(), "no /proc/self/status")));
    }
}
