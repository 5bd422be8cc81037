package io.ctxprobe.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scheduler facts: pure parsers on real and broken text, and readers on fixture trees of three host shapes. */
class SchedulerFactsTest {

    @Test
    void kernelVersions() {
        assertArrayEquals(new int[] {6, 18}, SchedulerFacts.parseKernelVersion("6.18.44-fc-v669"));
        assertArrayEquals(new int[] {5, 10}, SchedulerFacts.parseKernelVersion("5.10.0-28-amd64"));
        assertArrayEquals(new int[] {6, 6}, SchedulerFacts.parseKernelVersion("6.6"));
        assertNull(SchedulerFacts.parseKernelVersion("linux"));
        assertNull(SchedulerFacts.parseKernelVersion(""));
        assertNull(SchedulerFacts.parseKernelVersion(null));
    }

    @Test
    void whichScheduler() {
        assertEquals("EEVDF (Linux 6.18, by version; debugfs not mounted)",
                SchedulerFacts.scheduler("6.18.44", false, false, false, null, null));
        assertEquals("CFS (Linux 6.5, by version; debugfs not mounted)", SchedulerFacts.scheduler("6.5.0", false, false, false, null, null));
        assertEquals("EEVDF (Linux 6.6, debugfs has base_slice_ns)", SchedulerFacts.scheduler("6.6.1", true, true, false, null, null));
        assertEquals("CFS (Linux 5.15, debugfs has min_granularity_ns)",
                SchedulerFacts.scheduler("5.15.0", true, false, true, null, null));
        assertEquals("sched_ext: BPF scheduler scx_rusty", SchedulerFacts.scheduler("6.12", true, true, false, "enabled", "scx_rusty"));
        assertTrue(SchedulerFacts.scheduler("6.12", false, false, false, "disabled", null).startsWith("EEVDF"));
        assertTrue(SchedulerFacts.scheduler("weird", false, false, false, null, null).startsWith("unknown"));
    }

    @Test
    void configLines() {
        List<String> config = List.of("# comment", "CONFIG_HZ_250=y", "CONFIG_HZ=250", "CONFIG_PREEMPT_NONE=y", "CONFIG_PREEMPT_DYNAMIC=y");
        assertEquals(250, SchedulerFacts.parseConfigHz(config));
        assertEquals("none (CONFIG_PREEMPT_NONE=y)", SchedulerFacts.parseConfigPreemptDefault(config));
        assertNull(SchedulerFacts.parseConfigHz(List.of("CONFIG_HZ=")));
        assertNull(SchedulerFacts.parseConfigHz(List.of()));
        assertEquals("full (CONFIG_PREEMPT=y)", SchedulerFacts.parseConfigPreemptDefault(List.of("CONFIG_PREEMPT=y")));
        assertNull(SchedulerFacts.parseConfigPreemptDefault(List.of("# CONFIG_PREEMPT_NONE is not set")));
    }

    /** This VM's shape: config.gz, no debugfs, EEVDF by version, PREEMPT_DYNAMIC booting as none. */
    @Test
    void vmWithoutDebugfs(@TempDir Path root) throws IOException {
        write(root, "/proc/sys/kernel/osrelease", "6.18.44-fc-v669");
        write(root, "/proc/version", "Linux version 6.18.44-fc-v669 (builder@sandboxing) #1 SMP PREEMPT_DYNAMIC @0");
        write(root, "/proc/cmdline", "console=ttyS0 quiet");
        write(root, SchedulerFacts.RR_TIMESLICE, "100");
        write(root, SchedulerFacts.RT_RUNTIME, "950000");
        write(root, SchedulerFacts.RT_PERIOD, "1000000");
        gzip(root, SchedulerFacts.CONFIG_GZ, "CONFIG_HZ_250=y\nCONFIG_HZ=250\nCONFIG_PREEMPT_NONE=y\nCONFIG_PREEMPT_DYNAMIC=y\n");
        SchedulerFacts.Snapshot s = SchedulerFacts.read(new HostFiles(root));
        assertEquals("6.18.44-fc-v669", s.release());
        assertEquals("EEVDF (Linux 6.18, by version; debugfs not mounted)", s.scheduler());
        assertEquals(250, s.hz());
        assertTrue(s.preemptModel().startsWith("dynamic (PREEMPT_DYNAMIC"), s.preemptModel());
        assertTrue(s.preemptModel().endsWith("the build's default mode: none (CONFIG_PREEMPT_NONE=y)"), s.preemptModel());
        assertNull(s.baseSliceNs());
        Fact base = fact(s, "base_slice_ns");
        assertTrue(base.flag().contains("debugfs is not mounted"), base.flag());
        assertEquals(100L, s.rrTimesliceMs());
        assertEquals(950000L, s.rtRuntimeUs());
        assertEquals(1000000L, s.rtPeriodUs());
        assertEquals("procfs:/proc/config.gz", fact(s, "HZ").source());
    }

    /** A host with debugfs mounted: base_slice_ns and the current preempt mode from debugfs, HZ from /boot. */
    @Test
    void debugfsMounted(@TempDir Path root) throws IOException {
        write(root, "/proc/sys/kernel/osrelease", "6.8.0-45-generic");
        write(root, "/proc/version", "Linux version 6.8.0-45-generic #45 SMP PREEMPT_DYNAMIC");
        write(root, "/proc/cmdline", "ro quiet");
        write(root, "/sys/kernel/debug/sched/base_slice_ns", "3000000");
        write(root, "/sys/kernel/debug/sched/preempt", "none (voluntary) full");
        write(root, "/boot/config-6.8.0-45-generic", "CONFIG_HZ=1000\nCONFIG_PREEMPT_VOLUNTARY=y\n");
        SchedulerFacts.Snapshot s = SchedulerFacts.read(new HostFiles(root));
        assertEquals("EEVDF (Linux 6.8, debugfs has base_slice_ns)", s.scheduler());
        assertEquals(3_000_000L, s.baseSliceNs());
        assertEquals("voluntary", s.preemptModel());
        assertEquals(1000, s.hz());
        assertEquals("file:/boot/config-6.8.0-45-generic", fact(s, "HZ").source());
        assertNull(s.rrTimesliceMs(), "absent file: absent value");
        assertNotNull(fact(s, "sched_rr_timeslice_ms").flag());
    }

    /** Nothing readable: every fact unavailable with its reason, never a default. */
    @Test
    void emptyTree(@TempDir Path root) {
        SchedulerFacts.Snapshot s = SchedulerFacts.read(new HostFiles(root));
        assertNull(s.release());
        assertNull(s.hz());
        assertTrue(s.scheduler().startsWith("unknown"));
        assertTrue(fact(s, "HZ").flag().contains("no /proc/config.gz"), fact(s, "HZ").flag());
        s.facts().stream().filter(f -> !f.name().equals("fair scheduler"))
                .forEach(f -> assertTrue(!f.available(), f.name() + " should be unavailable: " + f));
    }

    @Test
    void liveHostInvariants() {
        SchedulerFacts.Snapshot s = SchedulerFacts.read(HostFiles.live());
        assertNotNull(s.release());
        assertTrue(s.scheduler().startsWith("EEVDF") || s.scheduler().startsWith("CFS") || s.scheduler().startsWith("sched_ext"),
                s.scheduler());
        if (s.hz() != null) assertTrue(s.hz() >= 24 && s.hz() <= 1200, "HZ " + s.hz());
    }

    private static Fact fact(SchedulerFacts.Snapshot s, String name) {
        return s.facts().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError(name));
    }

    private static void write(Path root, String absolute, String text) throws IOException {
        Path p = root.resolve(absolute.substring(1));
        Files.createDirectories(p.getParent());
        Files.writeString(p, text + "\n", StandardCharsets.ISO_8859_1);
    }

    private static void gzip(Path root, String absolute, String text) throws IOException {
        Path p = root.resolve(absolute.substring(1));
        Files.createDirectories(p.getParent());
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
            out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        }
    }
}
