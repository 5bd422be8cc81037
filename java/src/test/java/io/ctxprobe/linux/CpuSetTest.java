package io.ctxprobe.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CpuSetTest {

    @Test
    void roundTrip() {
        for (String s : List.of("0", "0-3", "0-3,8", "0-3,8,10-11", "1,3,5", "0-1023", "4095", "")) {
            assertEquals(s, CpuSet.parse(s).toString());
        }
        assertEquals("0-3,8", CpuSet.parse(" 0,1,2-3 ,8\n").toString());
        assertEquals("0-2", CpuSet.of(2, 0, 1, 1).toString());
        assertEquals(CpuSet.of(List.of(3, 1)), CpuSet.parse("1,3"));
        assertEquals(CpuSet.of(1, 3).hashCode(), CpuSet.parse("1,3").hashCode());
    }

    @Test
    void queries() {
        CpuSet s = CpuSet.parse("8,0-3");
        assertEquals(List.of(0, 1, 2, 3, 8), s.cpus());
        assertEquals(5, s.size());
        assertEquals(0, s.first());
        assertTrue(s.contains(8));
        assertFalse(s.contains(4));
        assertFalse(s.contains(-1));
        assertTrue(CpuSet.of().isEmpty());
    }

    @Test
    void badSyntaxIsOneLine() {
        for (String bad : List.of("a", "1-", "-1", "3-1", "1,,2", "1;2", "0-3:2/4")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CpuSet.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("bad CPU list '" + bad + "'"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
        assertThrows(IllegalArgumentException.class, () -> CpuSet.of(-1));
    }

    @Test
    void maskWords() {
        CpuSet s = CpuSet.parse("0,63,64,130");
        long[] w = s.toMaskWords(192);
        assertArrayEquals(new long[] {1L | (1L << 63), 1L, 1L << 2}, w);
        assertEquals(s, CpuSet.fromMaskWords(w));
        assertEquals(64, CpuSet.roundToWords(1));
        assertEquals(128, CpuSet.roundToWords(65));
        assertEquals(0, CpuSet.initialMaskBits() % 64);
    }
}
