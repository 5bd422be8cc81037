package io.ctxprobe.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctxprobe.host.HostFiles;
import io.ctxprobe.linux.LinuxException;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class PerfCounterTest {

    @Test
    void contextSwitchesCountSleepsOnTheCallingThread() throws Exception {
        try (PerfCounter c = PerfCounter.open(PerfEvent.CONTEXT_SWITCHES, 0)) {
            PerfCounter.Reading before = c.read();
            for (int i = 0; i < 5; i++) {
                Thread.sleep(1); // each sleep blocks the thread in the kernel: one voluntary switch
            }
            PerfCounter.Reading after = c.read();
            assertTrue(after.value() - before.value() >= 5, before + " -> " + after);
            assertTrue(after.timeEnabledNs() > 0 && after.timeRunningNs() > 0, after.toString());
            assertTrue(after.scaled() >= after.value());
        }
    }

    @Test
    void valueOnlyCountersReadOneWordAndNoTimes() throws Exception {
        try (PerfCounter c = PerfCounter.openValueOnly(PerfEvent.CONTEXT_SWITCHES, 0)) {
            Thread.sleep(1);
            PerfCounter.Reading r = c.read();
            assertTrue(r.value() >= 1, r.toString());
            assertEquals(-1, r.timeEnabledNs());
            assertEquals(r.value(), r.scaled());
        }
    }

    @Test
    void softwareEventsRefuseExcludeKernel() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PerfCounter.open(PerfEvent.CONTEXT_SWITCHES, 0, PerfEventAttr.EXCLUDE_KERNEL));
        assertTrue(e.getMessage().contains("count 0"), e.getMessage());
    }

    @Test
    void failureIsALinuxExceptionFromPerfEventOpen() {
        // No such thread: pid -1 with cpu -1 is rejected by the kernel (EINVAL).
        LinuxException e = assertThrows(LinuxException.class,
                () -> PerfCounter.openFd(PerfEvent.CONTEXT_SWITCHES, -1, 0, 0));
        assertEquals("perf_event_open", e.call());
        assertEquals("EINVAL", e.errnoName());
    }

    @Test
    void readingScalesByEnabledOverRunning() {
        assertEquals(200, new PerfCounter.Reading(100, 20, 10).scaled());
        assertEquals(100, new PerfCounter.Reading(100, 20, 20).scaled());
        assertEquals(0, new PerfCounter.Reading(0, 20, 0).scaled());
        assertTrue(new PerfCounter.Reading(100, 20, 10).multiplexed());
    }

    @Test
    void catalogue() {
        assertEquals(PerfEvent.CONTEXT_SWITCHES, PerfEvent.byDisplayName("context-switches"));
        assertEquals(3L | (0L << 8) | (1L << 16), PerfEvent.DTLB_LOAD_MISSES.config());
        assertEquals(PerfEvent.Type.HW_CACHE, PerfEvent.DTLB_LOAD_MISSES.type());
        assertEquals(PerfEvent.Kind.HARDWARE, PerfEvent.CYCLES.kind());
        assertEquals(PerfEvent.Kind.SOFTWARE, PerfEvent.TASK_CLOCK.kind());
    }

    @Test
    void availabilityOnThisHost() {
        PerfAvailability a = PerfAvailability.probe();
        // Root (or paranoid <= 1) opens software events with exclude_kernel=0.
        if ("root".equals(System.getProperty("user.name"))) {
            assertEquals(PerfOpenStatus.OPEN, a.software().status(), a.software().text());
        }
        for (PerfAvailability.ClassStatus s : new PerfAvailability.ClassStatus[] {a.software(), a.hardware()}) {
            assertFalse(s.text().isBlank());
            assertFalse(s.status() == PerfOpenStatus.ERROR && s.text().isBlank());
            if (!s.open()) {
                assertTrue(s.text().contains(s.errnoName()), s.text());
                assertNotEquals("", s.errnoName());
            }
        }
        a.paranoid().ifPresent(p -> assertTrue(p >= -1 && p <= 4, "paranoid " + p));
    }

    @Test
    void classifyNamesTheErrnoAndTheFix() {
        OptionalInt three = OptionalInt.of(3);
        PerfOpenLadder.Refused noPmu = PerfOpenLadder.classify(PerfEvent.Kind.HARDWARE, 2, three);
        assertEquals(PerfOpenStatus.NO_PMU, noPmu.status());
        assertEquals("no hardware PMU (ENOENT)", noPmu.reason());
        assertEquals("ENOENT", noPmu.errnoName());
        PerfOpenLadder.Refused denied = PerfOpenLadder.classify(PerfEvent.Kind.SOFTWARE, 13, three);
        assertEquals(PerfOpenStatus.NOT_PERMITTED, denied.status());
        assertEquals("not permitted (EACCES): perf_event_paranoid=3; try sysctl kernel.perf_event_paranoid=1"
                + " or run as root", denied.reason());
        assertEquals(PerfOpenStatus.UNSUPPORTED,
                PerfOpenLadder.classify(PerfEvent.Kind.SOFTWARE, 38, OptionalInt.empty()).status());
        PerfOpenLadder.Refused other = PerfOpenLadder.classify(PerfEvent.Kind.HARDWARE, 22, OptionalInt.empty());
        assertEquals(PerfOpenStatus.ERROR, other.status());
        assertTrue(other.reason().contains("EINVAL"), other.reason());
    }

    @Test
    void theAvailabilityListingAndTheGroupSayTheSame() {
        PerfAvailability a = PerfAvailability.probe();
        try (PerfCounterGroup g = PerfCounterGroup.open(List.of(PerfEventSpec.of(PerfEvent.CYCLES)), 0, false)) {
            if (a.hardware().open()) {
                assertEquals(a.hardware().text(), g.members().getFirst().text());
            } else {
                PerfCounterGroup.Unavailable u = g.unavailable().getFirst();
                assertEquals(a.hardware().status(), u.status());
                assertEquals(a.hardware().text(), u.reason());
            }
        }
    }

    /** The vm-2cpu fixture tree of the host tests (resources/host/vm-2cpu/root). */
    private static final java.nio.file.Path VM_ROOT = fixtureRoot();

    private static java.nio.file.Path fixtureRoot() {
        try {
            return java.nio.file.Path.of(PerfCounterTest.class.getResource("/host/vm-2cpu/root").toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void paranoidParser() {
        assertEquals(OptionalInt.of(2), PerfAvailability.parseParanoid("2\n"));
        assertEquals(OptionalInt.of(-1), PerfAvailability.parseParanoid("-1"));
        assertEquals(OptionalInt.empty(), PerfAvailability.parseParanoid(""));
        assertEquals(OptionalInt.empty(), PerfAvailability.parseParanoid("x"));
        assertEquals(OptionalInt.empty(), PerfAvailability.parseParanoid("\n"));
        assertEquals(OptionalInt.empty(), PerfAvailability.readParanoid(new HostFiles(java.nio.file.Path.of("/nonexistent"))));
        assertEquals(OptionalInt.of(2), PerfAvailability.readParanoid(new HostFiles(VM_ROOT)));
    }
}
