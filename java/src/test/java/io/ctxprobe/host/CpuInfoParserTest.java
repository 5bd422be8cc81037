package io.ctxprobe.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CpuInfoParserTest {

    @Test
    void vmCpuinfo() {
        var info = CpuInfoParser.parse(Fixtures.rootFile("/proc/cpuinfo"));
        assertEquals(2, info.processors());
        assertEquals("AuthenticAMD", info.vendor());
        assertEquals("AMD EPYC", info.modelName());
        assertEquals(26, info.family());
        assertEquals(2, info.model());
        assertEquals(1, info.stepping());
        assertTrue(info.hasFlags());
        assertTrue(info.flag("hypervisor"));
        assertTrue(info.flag("pti"));
        assertFalse(info.flag("pcid"));
        assertFalse(info.flag("invpcid"));
        assertTrue(info.bugs().contains("cpu_meltdown"));
        assertEquals("192 4K pages", info.tlbSize());
        assertArrayEquals(new int[] {0, 1}, info.placement().get(1));
    }

    @Test
    void empty() {
        var info = CpuInfoParser.parse(List.of());
        assertEquals(0, info.processors());
        assertNull(info.vendor());
        assertNull(info.family());
        assertFalse(info.hasFlags());
        assertTrue(info.placement().isEmpty());
    }

    @Test
    void truncatedBeforeFlags() {
        var info = CpuInfoParser.parse(Fixtures.rootFile("/proc/cpuinfo").subList(0, 5));
        assertEquals(1, info.processors());
        assertEquals(26, info.family());
        assertEquals(2, info.model());
        assertNull(info.stepping(), "the stepping line was cut off");
        assertFalse(info.hasFlags(), "no flags line: flag facts are unknown, not false");
    }

    @Test
    void blocksWithoutBlankSeparator() {
        var blocks = CpuInfoParser.parseBlocks(List.of("processor\t: 0", "model\t: 1", "processor\t: 1", "model\t: 1"));
        assertEquals(2, blocks.size());
    }
}
