package io.ctxprobe.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The small pure parsers, each on this VM's text, on empty text and on truncated text. */
class ParsersTest {

    @Test
    void cpuLists() {
        assertEquals(List.of(0, 1), CpuLists.parse("0-1"));
        assertEquals(List.of(0, 2, 3, 4, 8), CpuLists.parse("0,2-4,8\n"));
        assertEquals(List.of(), CpuLists.parse(""));
        assertEquals("0-2,5,7-8", CpuLists.format(List.of(8, 0, 1, 2, 5, 7)));
        assertThrows(IllegalArgumentException.class, () -> CpuLists.parse("0-"));
        assertThrows(IllegalArgumentException.class, () -> CpuLists.parse("3-1"));
    }

    @Test
    void getconf() {
        var caches = GetconfParser.caches(Fixtures.lines("commands/getconf-a.txt"));
        assertEquals(4, caches.size());
        assertEquals(new CacheInfo(1, "Data", 49152L, "12-way", 64, null), caches.get(0));
        assertEquals(new CacheInfo(1, "Instruction", 32768L, null, 64, null), caches.get(1), "empty ASSOC: not given");
        assertEquals(532676608L, caches.get(3).sizeBytes());
        assertNull(caches.get(3).ways(), "ASSOC 0 means unknown, not 0-way");
        assertEquals(4096L, GetconfParser.pageSize(Fixtures.lines("commands/getconf-a.txt")));
        assertTrue(GetconfParser.caches(List.of()).isEmpty());
        assertTrue(GetconfParser.caches(List.of("LEVEL1_DCACHE_SIZE", "LEVEL2_CACHE_SIZE 0")).isEmpty());
    }

    @Test
    void sysfsCacheSizes() {
        assertEquals(48L * 1024, CacheFacts.parseSysfsSize("48K"));
        assertEquals(32L << 20, CacheFacts.parseSysfsSize("32M"));
        assertNull(CacheFacts.parseSysfsSize(""));
        assertNull(CacheFacts.parseSysfsSize("K"));
    }

    @Test
    void preemptModel() {
        assertEquals("full", KernelFacts.parseDebugfsPreempt("none voluntary (full) lazy"));
        assertNull(KernelFacts.parseDebugfsPreempt("none voluntary full"));
        String version = Fixtures.rootFile("/proc/version").getFirst();
        assertTrue(KernelFacts.parseVersionPreempt(version, "x").startsWith("dynamic (PREEMPT_DYNAMIC"));
        assertEquals("rt (PREEMPT_RT)", KernelFacts.parseVersionPreempt("Linux version 6.6 #1 SMP PREEMPT_RT", "x"));
        assertEquals("full (PREEMPT)", KernelFacts.parseVersionPreempt("Linux version 5.4 #1 SMP PREEMPT Mon", "x"));
        assertTrue(KernelFacts.parseVersionPreempt("", "x").startsWith("none or voluntary"));
    }

    @Test
    void commandLineParameters() {
        String cmdline = Fixtures.rootFile("/proc/cmdline").getFirst();
        assertEquals("on", KernelFacts.parameter(cmdline, "pti"));
        assertEquals("auto,no_guest_host,no_guest_guest", KernelFacts.parameter(cmdline, "mitigations"));
        assertEquals("unstable", KernelFacts.parameter(cmdline, "tsc"), "the last one wins");
        assertNull(KernelFacts.parameter(cmdline, "--addr"), "words after -- belong to init");
        assertNull(KernelFacts.parameter(null, "pti"));
    }

    @Test
    void bracketed() {
        assertEquals("madvise", KernelFacts.parseBracketed(Fixtures.rootFile("/sys/kernel/mm/transparent_hugepage/enabled")
                .getFirst()));
        assertEquals("madvise", KernelFacts.parseBracketed("always defer defer+madvise [madvise] never"));
        assertNull(KernelFacts.parseBracketed("always madvise never"));
        assertNull(KernelFacts.parseBracketed("always [madv"));
    }

    @Test
    void pti() {
        assertEquals(Boolean.TRUE, SecurityFacts.ptiOn("Mitigation: PTI", true));
        assertEquals(Boolean.TRUE, SecurityFacts.ptiOn(null, true), "old kernel: the pti flag alone");
        assertEquals(Boolean.FALSE, SecurityFacts.ptiOn("Not affected", false));
        assertEquals(Boolean.FALSE, SecurityFacts.ptiOn("Vulnerable", null));
        assertNull(SecurityFacts.ptiOn(null, null));
        assertNull(SecurityFacts.ptiOn(null, false), "no meltdown file and no flag: cannot tell");
        assertEquals("PTI on, no PCID", SecurityFacts.ptiText(true, false));
        assertEquals("PTI on, PCID", SecurityFacts.ptiText(true, true));
        assertEquals("PTI off", SecurityFacts.ptiText(false, null));
        assertNull(SecurityFacts.ptiText(null, true));
    }

    @Test
    void steal() {
        var s = SchedulingFacts.parseSteal(Fixtures.rootFile("/proc/stat"));
        assertEquals(0, s.steal());
        assertEquals(3518 + 2910 + 55874 + 244 + 158, s.total(), "user..steal of the first line");
        var busy = SchedulingFacts.parseSteal(List.of("cpu  100 0 100 700 0 0 0 100 0 0"));
        assertEquals("100 jiffies (10.00% of 1000 jiffies since boot)", busy.describe());
        assertNull(SchedulingFacts.parseSteal(List.of()));
        assertNull(SchedulingFacts.parseSteal(List.of("cpu  1 2 3 4")), "truncated: no steal column");
        assertNull(SchedulingFacts.parseSteal(List.of("cpu0 1 2 3 4 5 6 7 8 9 10")), "per-CPU lines are not the total");
    }

    @Test
    void cgroups() {
        var members = CgroupFacts.parseCgroup(Fixtures.rootFile("/proc/self/cgroup"));
        assertEquals(new CgroupFacts.Membership("0", List.of(), "/"), members.getLast());
        assertEquals(List.of("cpu"), members.stream().filter(m -> m.id().equals("1")).findFirst().orElseThrow()
                .controllers());
        var mounts = CgroupFacts.parseMounts(Fixtures.rootFile("/proc/self/mounts"));
        assertEquals("/sys/fs/cgroup/unified", mounts.stream().filter(m -> m.type().equals("cgroup2")).findFirst()
                .orElseThrow().mountPoint());
        assertEquals("max (no limit), period 100000 us", CgroupFacts.describeCpuMax("max 100000"));
        assertEquals("1.50 CPUs (quota 150000 us per 100000 us)", CgroupFacts.describeCpuMax("150000 100000"));
        assertEquals("-1 (no limit), period 100000 us", CgroupFacts.describeV1Quota("-1", "100000"));
        assertTrue(CgroupFacts.parseCgroup(List.of("garbage")).isEmpty());
    }

    @Test
    void cpusAllowedList() {
        assertEquals("0-1", TopologyReader.parseCpusAllowedList(Fixtures.rootFile("/proc/self/status")));
        assertNull(TopologyReader.parseCpusAllowedList(List.of("Name:\tjava")));
    }

    @Test
    void dmesg() {
        var lines = Fixtures.lines("commands/dmesg.txt");
        assertEquals("PVM", DmesgParser.hypervisorDetected(lines));
        assertEquals("Performance Events: PMU not available due to virtualization, using software events only.",
                DmesgParser.matching(lines, "Performance Events:").getFirst());
        assertNull(DmesgParser.hypervisorDetected(List.of()));
    }

    @Test
    void meminfoFields() {
        var meminfo = Fixtures.rootFile("/proc/meminfo");
        assertEquals(2048L * 1024, Units.kbField(MemoryFacts.parseField(meminfo, "Hugepagesize")));
        assertNull(MemoryFacts.parseField(List.of(), "MemTotal"));
        assertEquals("2 MiB", Units.bytes(2097152));
        assertEquals("508 MiB", Units.bytes(532676608));
    }

    @Test
    void hostKey() {
        String k = HostKey.compute("0123456789abcdef0123456789abcdef", "AMD EPYC", 2);
        assertTrue(k.matches("[0-9a-f]{16}"));
        assertEquals(k, HostKey.compute("0123456789abcdef0123456789abcdef\n", " AMD EPYC", 2));
        assertTrue(!k.equals(HostKey.compute("0123456789abcdef0123456789abcdef", "AMD EPYC", 4)));
    }
}
