package io.ctxprobe.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ctxprobe.linux.LinuxException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PerfCounterSetTest {

    @Test
    void opensAllSoftwareEvents() {
        try (PerfCounterSet s = PerfCounterSet.open(0, PerfEvent.CONTEXT_SWITCHES, PerfEvent.PAGE_FAULTS,
                PerfEvent.TASK_CLOCK, PerfEvent.CPU_MIGRATIONS)) {
            assertEquals(4, s.read().size());
        }
    }

    @Test
    void aFailedLaterOpenClosesTheEarlierOnes() throws IOException {
        long before = openFds();
        // The software event opens; a hardware one after it fails on a host without a PMU (here:
        // ENOENT), and the context-switch counter opened first must be closed again.
        try (PerfCounterSet s = PerfCounterSet.open(0, PerfEvent.CONTEXT_SWITCHES, PerfEvent.CYCLES)) {
            assertEquals(2, s.counters().size()); // a host with a PMU: both open, nothing to undo
        } catch (LinuxException e) {
            assertEquals("perf_event_open", e.call());
        }
        assertEquals(before, openFds());
    }

    private static long openFds() throws IOException {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }
}
