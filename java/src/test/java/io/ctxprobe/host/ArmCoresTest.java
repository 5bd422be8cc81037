package io.ctxprobe.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctxprobe.linux.Arch;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Arm /proc/cpuinfo (MIDR implementer/part) decoded; CPUID facts on Arm say "x86 only". */
class ArmCoresTest {

    private static List<String> fixture(String name) throws IOException {
        try (InputStream in = ArmCoresTest.class.getResourceAsStream("/host/arm64/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).lines().toList();
        }
    }

    private static List<ArmCores.CoreId> cores(List<String> lines) {
        return ArmCores.parse(CpuInfoParser.parseBlocks(lines));
    }

    @Test
    void neoverseN1() throws IOException {
        List<ArmCores.CoreId> c = cores(fixture("cpuinfo-neoverse-n1.txt"));
        assertEquals(List.of(new ArmCores.CoreId(0x41, 0xd0c, 3, 1)), c, "two CPUs, one core type");
        assertEquals("Neoverse-N1", ArmCores.describe(c));
        assertEquals("0x41 (Arm)", c.getFirst().implementerText());
        assertEquals("0xd0c (Neoverse-N1)", c.getFirst().partText());
        var info = CpuInfoParser.parse(fixture("cpuinfo-neoverse-n1.txt"));
        assertEquals(2, info.processors());
        assertNull(info.vendor(), "no x86 vendor_id on Arm");
    }

    @Test
    void mixedCoresListedInOrder() throws IOException {
        assertEquals("Cortex-A55 + Cortex-A76", ArmCores.describe(cores(fixture("cpuinfo-a55-a76.txt"))));
    }

    @Test
    void unknownCodesStayUnknown() {
        assertEquals(Microarchitecture.UNKNOWN, ArmCores.coreName(0x41, 0xfff));
        assertEquals(Microarchitecture.UNKNOWN, ArmCores.coreName(0x99, 0xd0c), "a part number means nothing without its implementer");
        var c = cores(List.of("processor\t: 0", "CPU implementer\t: 0x99", "CPU part\t: 0x123"));
        assertEquals("0x99", c.getFirst().implementerText());
        assertEquals("0x123 (unknown)", c.getFirst().partText());
    }

    @Test
    void x86EmptyAndTruncatedInputGiveNoCores() {
        assertTrue(cores(Fixtures.rootFile("/proc/cpuinfo")).isEmpty(), "the x86 fixture has no MIDR lines");
        assertTrue(cores(List.of()).isEmpty());
        assertTrue(cores(List.of("processor\t: 0", "CPU implementer\t: 0x41")).isEmpty(), "cut before CPU part");
        assertTrue(cores(List.of("processor\t: 0", "CPU implementer\t: zz", "CPU part\t: 0xd0c")).isEmpty());
    }

    @Test
    void cpuFactsOnArmDecodeTheCoreAndSayCpuidIsX86Only() throws IOException {
        List<String> lines = fixture("cpuinfo-neoverse-n1.txt");
        CpuidSource cpuid = new CpuidSource(Fixtures.vmNative(), Arch.AARCH64);
        assertEquals("x86 only: CPUID does not exist on aarch64", cpuid.reason());
        assertNull(cpuid.leaf(0, 0));
        FactSection s = CpuFacts.collect(new FileText(HostPaths.CPUINFO, lines, null), CpuInfoParser.parse(lines), cpuid,
                OshiSnapshot.unavailable("fixture: no OSHI"));
        assertEquals("Neoverse-N1", s.fact(CpuFacts.MICROARCHITECTURE).orElseThrow().value());
        assertEquals("0xd0c (Neoverse-N1)", s.fact("CPU part").orElseThrow().value());
        Fact vendor = s.fact("vendor (cpuid)").orElseThrow();
        assertEquals("unavailable: x86 only: CPUID does not exist on aarch64", vendor.flag());
    }
}
