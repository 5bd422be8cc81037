package io.ctxprobe.binding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctxprobe.host.Fact;
import io.ctxprobe.host.HostFacts;
import io.ctxprobe.host.HostFactsCollector;
import io.ctxprobe.host.HostFactsText;
import io.ctxprobe.host.NativeFacts;
import io.ctxprobe.perf.PerfAvailability;
import io.ctxprobe.perf.PerfOpenStatus;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** `ctxprobe host`'s per-event perf facts: one per catalogue event and listed tracepoint, each with a status. */
class NativeHostFactsEventsTest {

    @Test
    void everyEventHasAStatusMatchingTheClassProbe() {
        HostFacts f = new HostFactsCollector(Path.of("/"), new NativeHostFacts()).collect();
        PerfAvailability a = PerfAvailability.probe();
        for (String name : new String[] {"context-switches", "cycles", "iTLB-load-misses", "tlb:tlb_flush", "sched:sched_switch"}) {
            Fact fact = f.fact("perf", "event " + name).orElseThrow(() -> new AssertionError("no fact for " + name));
            assertTrue(fact.available() && !fact.value().isBlank(), fact.toString());
        }
        String cs = f.fact("perf", "event context-switches").orElseThrow().value();
        if (a.software().open()) assertEquals("open", cs);
        String text = HostFactsText.render(f);
        if (a.hardware().status() == PerfOpenStatus.NO_PMU) {
            assertEquals("unavailable: no hardware PMU (ENOENT)", f.fact("perf", "event cycles").orElseThrow().value());
            assertTrue(text.contains("no hardware PMU (ENOENT)"), text);
        }
    }

    @Test
    void withoutNativeLibraryTheEventsAreUnavailableWithTheReason() {
        HostFacts f = new HostFactsCollector(Path.of("/"), NativeFacts.NONE).collect();
        Fact events = f.fact("perf", "events").orElseThrow();
        assertFalse(events.available());
        assertTrue(HostFactsText.render(f).contains("no native library"));
    }
}
