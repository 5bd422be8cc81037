package io.ctxprobe.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CpuidDecoderTest {
    private static int[] leaf(int l) {
        return Fixtures.VM_CPUID.get(l);
    }

    @Test
    void vmIdentity() {
        assertEquals("AuthenticAMD", CpuidDecoder.vendor(leaf(0)));
        assertArrayEquals(new int[] {0x1a, 0x02, 1}, CpuidDecoder.signature(leaf(1)[0]));
        assertTrue(CpuidDecoder.hypervisorBit(leaf(1)));
        assertFalse(CpuidDecoder.pcid(leaf(1)));
        assertFalse(CpuidDecoder.invpcid(leaf(7)));
        assertEquals("bhyve bhyve ", CpuidDecoder.hypervisorSignature(leaf(0x40000000)));
        assertEquals("bhyve", CpuidDecoder.hypervisorName("bhyve bhyve "));
        assertEquals("KVM", CpuidDecoder.hypervisorName("KVMKVMKVM\\0\\0\\0"));
        assertNull(CpuidDecoder.hypervisorName("Nonexistent!"));
        assertEquals("Oxide Virtual Turin-like Processor",
                CpuidDecoder.brand(leaf(0x80000002), leaf(0x80000003), leaf(0x80000004)));
    }

    @Test
    void intelSignatureFoldsExtendedModel() {
        // Sapphire Rapids: family 6, ext model 8, model 0xf, stepping 8.
        assertArrayEquals(new int[] {6, 0x8f, 8}, CpuidDecoder.signature(0x000806f8));
    }

    @Test
    void vmAmdCaches() {
        var l1 = CpuidDecoder.amdL1Caches(leaf(0x80000005));
        assertEquals(new CacheInfo(1, "Data", 48L * 1024, "12-way", 64, null), l1.get(0));
        assertEquals(new CacheInfo(1, "Instruction", 32L * 1024, "8-way", 64, null), l1.get(1));
        var l23 = CpuidDecoder.amdL2L3Caches(leaf(0x80000006));
        assertEquals(new CacheInfo(2, "Unified", 1024L * 1024, "8-way", 64, null), l23.get(0));
        assertEquals(508L << 20, l23.get(1).sizeBytes(), "the hypervisor's CPUID claims a 508 MiB L3");
        assertEquals("ways in leaf 0x8000001D", l23.get(1).ways());
    }

    @Test
    void vmAmdTlbs() {
        var l1 = CpuidDecoder.amdL1Tlbs(leaf(0x80000005));
        assertEquals(new CpuidDecoder.TlbInfo("L1 dTLB 4K entries", 96, "fully associative"), l1.get(0));
        assertEquals(64, l1.get(1).entries());
        var l2 = CpuidDecoder.amdL2Tlbs(leaf(0x80000006));
        assertEquals(new CpuidDecoder.TlbInfo("L2 dTLB 4K entries", 128, "8-way"), l2.get(0));
    }

    @Test
    void emptyAmdLeavesGiveNothing() {
        assertTrue(CpuidDecoder.amdL2L3Caches(new int[4]).isEmpty());
        assertTrue(CpuidDecoder.amdL2Tlbs(new int[4]).isEmpty());
    }

    @Test
    void intelLeaf4() {
        // L1d: type 1, level 1; 8 ways, 1 partition, 64 B lines, 64 sets = 32 KiB.
        int[] l1d = {(1 << 5) | 1, (7 << 22) | 63, 63, 0};
        // L3: type 3, level 3; 12 ways, 64 B, 32768 sets = 24 MiB.
        int[] l3 = {(3 << 5) | 3, (11 << 22) | 63, 32767, 0};
        var caches = CpuidDecoder.intelLeaf4(List.of(l1d, l3, new int[4]));
        assertEquals(new CacheInfo(1, "Data", 32768L, "8-way", 64, null), caches.get(0));
        assertEquals(24L << 20, caches.get(1).sizeBytes());
        assertEquals("L3", caches.get(1).label());
    }

    @Test
    void intelLeaf18() {
        // Subleaf 1: L1 dTLB, 4K pages, 4 ways x 16 sets = 64 entries. Subleaf 0 invalid here.
        int[] invalid = {1, 0, 0, 0};
        int[] dtlb = {0, (4 << 16) | 1, 16, (1 << 5) | 1};
        var tlbs = CpuidDecoder.intelLeaf18(List.of(invalid, dtlb));
        assertEquals(List.of(new CpuidDecoder.TlbInfo("L1 dTLB 4K entries", 64, "4-way")), tlbs);
    }
}
