package io.ctxprobe.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The whole collector on the vm-2cpu tree, with this VM's CPUID and perf answers faked. */
class FixtureCollectorTest {

    static HostFacts vm() {
        return new HostFactsCollector(Fixtures.vmRoot(), Fixtures.vmNative(), Fixtures.vmCommands()).collect();
    }

    private static Fact fact(HostFacts f, String section, String name) {
        return f.fact(section, name).orElseThrow(() -> new AssertionError("no fact " + section + "/" + name));
    }

    @Test
    void textExplainsThisVm() {
        String text = HostFactsText.render(vm());
        assertTrue(text.contains("no hardware PMU (ENOENT)"), text);
        assertTrue(text.contains("PTI on, no PCID"), text);
        try {
            java.nio.file.Files.writeString(java.nio.file.Path.of("target", "host-fixture.txt"), text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void summary() {
        Summary s = vm().summary();
        assertEquals("AMD EPYC", s.cpuModel());
        assertEquals("Zen 5", s.microarchitecture());
        assertEquals(2, s.logicalCpusAllowed());
        assertEquals(Boolean.TRUE, s.hypervisor());
        assertEquals("PVM (dmesg; CPUID signature says bhyve)", s.hypervisorVendor());
        assertEquals(Boolean.FALSE, s.hardwarePmu());
        assertTrue(s.pmuText().startsWith("no hardware PMU (ENOENT)"));
        assertEquals(Boolean.TRUE, s.ptiOn());
        assertEquals(Boolean.FALSE, s.pcid());
        assertEquals("PTI on, no PCID", s.ptiText());
        assertEquals("6.18.44-fc-v782", s.kernel());
        assertTrue(s.preemptModel().startsWith("dynamic"), s.preemptModel());
    }

    @Test
    void caches() {
        HostFacts f = vm();
        assertEquals("unavailable: no /sys/devices/system/cpu/cpu0/cache (common in VMs)",
                fact(f, "caches", "caches (sysfs)").flag());
        Fact getconfL3 = fact(f, "caches", "L3 (getconf)");
        assertEquals("getconf", getconfL3.source());
        assertTrue(getconfL3.value().startsWith("508 MiB"), getconfL3.value());
        assertTrue(getconfL3.flag().startsWith("implausible: L3 larger than 256 MiB"), getconfL3.flag());
        assertTrue(fact(f, "caches", "L3 (cpuid)").flag().startsWith("implausible"));
        assertNull(fact(f, "caches", "L1d (cpuid)").flag());
        assertEquals("48 KiB, 12-way, 64 B lines", fact(f, "caches", "L1d (getconf)").value());
        Fact l2tlb = fact(f, "caches", "L2 dTLB 4K entries (cpuid)");
        assertEquals("128, 8-way", l2tlb.value());
        assertTrue(l2tlb.flag().startsWith("implausible"), "CPUID's L2 TLB size is wrong on this VM");
        assertEquals("96, fully associative", fact(f, "caches", "L1 dTLB 4K entries (cpuid)").value());
        assertTrue(fact(f, "caches", "caches (oshi)").flag().startsWith("unavailable"));
    }

    @Test
    void topology() {
        HostFacts f = vm();
        CpuTopology t = f.topology();
        assertEquals(List.of(0, 1), t.cpus().stream().map(LogicalCpu::cpu).toList());
        assertEquals(2, t.physicalCores());
        assertEquals(1, t.packages());
        assertEquals(1, t.numaNodes());
        assertFalse(t.smt());
        assertFalse(t.sameCore(0, 1));
        assertTrue(t.samePackage(0, 1));
        assertEquals(List.of(List.of(0), List.of(1)), t.siblingSets());
        assertEquals("0-1 (2)", fact(f, "topology", "allowed CPUs").value());
        assertEquals("0-1 (2)", fact(f, "topology", "Cpus_allowed_list").value());
    }

    @Test
    void sectionsAndFacts() {
        HostFacts f = vm();
        assertEquals(List.of("cpu", "topology", "caches", "kernel", "security", "virtualization", "power",
                "scheduling", "memory", "perf", "jvm"), f.sections().stream().map(FactSection::name).toList());
        assertEquals("yes", fact(f, "cpu", "flag hypervisor").value());
        assertEquals("no", fact(f, "cpu", "flag pcid").value());
        assertEquals("Oxide Virtual Turin-like Processor", fact(f, "cpu", "brand string (cpuid)").value());
        assertEquals("26 (0x1a) / 2 (0x02) / 1", fact(f, "cpu", "family/model/stepping (cpuid)").value());
        assertEquals("Mitigation: PTI", fact(f, "security", "vulnerability meltdown").value());
        assertEquals("Vulnerable: No microcode", fact(f, "security", "vulnerability spec_rstack_overflow").value());
        assertEquals(19, f.section("security").orElseThrow().facts().stream()
                .filter(x -> x.name().startsWith("vulnerability ")).count(), "every vulnerabilities/ file");
        assertEquals("\"bhyve bhyve \" (bhyve)", fact(f, "virtualization", "hypervisor signature (cpuid)").value());
        assertTrue(fact(f, "virtualization", "DMI sys_vendor").flag().startsWith("unavailable: no /sys/class/dmi"));
        assertTrue(fact(f, "power", "cpufreq governor").flag().contains("common in VMs"));
        assertEquals("none", fact(f, "power", "cpuidle driver").value());
        assertEquals("kvm-clock", fact(f, "kernel", "clocksource").value());
        assertEquals("madvise", fact(f, "kernel", "THP enabled").value());
        assertEquals("madvise", fact(f, "kernel", "THP defrag").value());
        assertTrue(fact(f, "scheduling", "steal time").value().startsWith("0 jiffies"));
        assertTrue(fact(f, "scheduling", "cgroup v2 cpu.max").flag().startsWith("unavailable: cpu controller not"));
        assertEquals("-1 (no limit), period 100000 us", fact(f, "scheduling", "cgroup v1 cpu quota").value());
        assertEquals("0-1", fact(f, "scheduling", "cgroup v1 cpuset").value());
        assertEquals("(none)", fact(f, "scheduling", "isolated CPUs").value());
        assertTrue(fact(f, "scheduling", "nohz_full CPUs").flag().startsWith("unavailable"));
        assertEquals("4 KiB", fact(f, "memory", "page size").value());
        assertEquals("2 MiB", fact(f, "memory", "hugetlb page size").value());
        assertEquals("2", fact(f, "perf", "perf_event_paranoid").value());
        assertEquals("none registered", fact(f, "perf", "core PMU (sysfs)").value());
        assertEquals("NO_PMU (ENOENT)", fact(f, "perf", "hardware open status").value());
    }

    @Test
    void withoutNativeLibraryFilesStillTell() {
        HostFacts f = new HostFactsCollector(Fixtures.vmRoot(), NativeFacts.NONE, Fixtures.vmCommands()).collect();
        assertEquals("unavailable: no native library", fact(f, "topology", "allowed CPUs").flag());
        assertEquals(2, f.topology().cpus().size(), "falls back to Cpus_allowed_list");
        assertEquals("unavailable: no native library", fact(f, "cpu", "vendor (cpuid)").flag());
        assertEquals("unavailable: no native library", fact(f, "perf", "hardware events").flag());
        assertEquals("PTI on, no PCID", f.summary().ptiText());
        assertEquals(Boolean.FALSE, f.summary().hardwarePmu(), "no core PMU in sysfs event_source");
        assertTrue(HostFactsText.render(f).contains("no hardware PMU registered"));
        assertEquals("PVM", f.summary().hypervisorVendor());
    }

    @Test
    void redirectedRootRunsNoCommands() {
        HostFacts f = new HostFactsCollector(Fixtures.vmRoot(), NativeFacts.NONE).collect();
        assertTrue(fact(f, "caches", "caches (getconf)").flag().contains("file root redirected"));
    }

    @Test
    void hostKeyFromMachineIdModelAndOnlineCount() {
        HostFacts f = vm();
        assertEquals(HostKey.compute("0123456789abcdef0123456789abcdef", "AMD EPYC", 2), f.hostKey());
        assertEquals("vm-fixture", f.hostname());
    }

    @Test
    void emptyRootGivesReasonsNotDefaults() {
        HostFacts f = new HostFactsCollector(Fixtures.vm().resolve("commands"), NativeFacts.NONE,
                ExternalSources.none("test")).collect();
        for (FactSection s : f.sections()) {
            if (s.name().equals("jvm")) {
                continue;
            }
            for (Fact x : s.facts()) {
                assertTrue(x.value() == null || x.flag() == null || !x.flag().startsWith("unavailable"),
                        "unavailable facts carry no value: " + x);
            }
        }
        assertNull(f.summary().cpuModel());
        assertNull(f.summary().ptiText());
        assertNull(f.summary().hypervisor());
        assertTrue(fact(f, "cpu", "vendor").flag().startsWith("unavailable: no /proc/cpuinfo"));
        assertTrue(f.hostKey().matches("[0-9a-f]{16}"));
        HostFactsText.render(f);
    }
}
