package io.ctxprobe.probes.lifecycle;

import io.ctxprobe.host.HostFiles;
import io.ctxprobe.probes.lifecycle.FootprintReadings.Snapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** footprint's readings on fixture text: the parsers, and the host-wide files read under a redirected root. */
class FootprintReadingsTest {

    /** The head of a real /proc/meminfo (Linux 6.x, a 2-vCPU VM). */
    static final List<String> MEMINFO = List.of(
            "MemTotal:        8131832 kB",
            "MemFree:         5123456 kB",
            "MemAvailable:    7001234 kB",
            "KernelStack:        4896 kB",
            "PageTables:        11260 kB",
            "SecPageTables:         0 kB");

    static final List<String> SELF_STATUS = List.of(
            "Name:\tjava", "State:\tS (sleeping)", "Tgid:\t4242", "PPid:\t1",
            "VmRSS:\t   61440 kB", "RssAnon:\t   40960 kB", "RssFile:\t   20480 kB", "Threads:\t21");

    @Test
    void aSnapshotFromKernelText() {
        Snapshot s = Snapshot.of(ProcKeyValues.parse(SELF_STATUS), ProcKeyValues.parse(MEMINFO));
        assertEquals(new Snapshot(61440, 40960L, 4896, 11260), s);
    }

    @Test
    void rssAnonMayBeAbsentButVmRssMayNot() {
        Snapshot old = Snapshot.of(ProcKeyValues.parse(List.of("VmRSS:\t 100 kB")), ProcKeyValues.parse(MEMINFO));
        assertNull(old.rssAnon());
        var e = assertThrows(IllegalArgumentException.class,
                () -> Snapshot.of(ProcKeyValues.parse(List.of()), ProcKeyValues.parse(MEMINFO)));
        assertTrue(e.getMessage().contains("VmRSS"), e.getMessage());
    }

    @Test
    void aTruncatedMeminfoIsAnErrorNamingTheMissingLine() {
        var e = assertThrows(IllegalArgumentException.class, () -> Snapshot.of(ProcKeyValues.parse(SELF_STATUS),
                ProcKeyValues.parse(MEMINFO.subList(0, 4))));
        assertTrue(e.getMessage().contains("PageTables"), e.getMessage());
        var cut = assertThrows(IllegalArgumentException.class, () -> ProcKeyValues.parse(List.of("KernelStack:    48")).kib("x"));
        assertTrue(cut.getMessage().contains("'x'"), cut.getMessage());
        var garbled = assertThrows(IllegalArgumentException.class,
                () -> ProcKeyValues.parse(List.of("PageTables:  11 MB")).kib("PageTables"));
        assertTrue(garbled.getMessage().contains("not a size in kB"), garbled.getMessage());
    }

    @Test
    void theHostWideFilesAreReadUnderTheHostRoot(@TempDir Path root) throws IOException {
        Files.createDirectories(root.resolve("proc/self"));
        Files.write(root.resolve("proc/meminfo"), MEMINFO);
        Files.write(root.resolve("proc/self/status"), SELF_STATUS);
        assertEquals(new Snapshot(61440, 40960L, 4896, 11260), Snapshot.take(new HostFiles(root)));
        Files.write(root.resolve("proc/meminfo"), List.of());
        var empty = assertThrows(IllegalArgumentException.class, () -> Snapshot.take(new HostFiles(root)));
        assertTrue(empty.getMessage().contains("KernelStack"), empty.getMessage());
        Files.delete(root.resolve("proc/meminfo"));
        var missing = assertThrows(IllegalStateException.class, () -> Snapshot.take(new HostFiles(root)));
        assertTrue(missing.getMessage().contains("/proc/meminfo"), missing.getMessage());
    }

    @Test
    void theLiveHostGivesASnapshot() {
        Snapshot s = Snapshot.take(HostFiles.live());
        assertTrue(s.vmRss() > 0 && s.kernelStack() > 0 && s.pageTables() > 0, s.toString());
    }
}
