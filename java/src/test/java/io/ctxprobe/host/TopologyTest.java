package io.ctxprobe.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopologyTest {

    /** 2 packages x 2 cores x 2 threads; this process allowed CPUs 0, 1, 4 and 6. */
    @Test
    void smtHostRestrictedAffinity() {
        Map<Integer, int[]> placement = Map.of(0, new int[] {0, 0}, 1, new int[] {0, 1}, 2, new int[] {1, 0},
                3, new int[] {1, 1}, 4, new int[] {0, 0}, 5, new int[] {0, 1}, 6, new int[] {1, 0}, 7, new int[] {1, 1});
        Map<Integer, List<Integer>> sib = Map.of(0, List.of(0, 4), 4, List.of(0, 4), 1, List.of(1, 5),
                5, List.of(1, 5), 2, List.of(2, 6), 6, List.of(2, 6), 3, List.of(3, 7), 7, List.of(3, 7));
        var t = TopologyReader.build(List.of(6, 0, 1, 4), List.of(0, 1, 2, 3, 4, 5, 6, 7), placement, sib,
                Map.of(2, 1, 3, 1, 6, 1, 7, 1), 2);
        assertEquals(List.of(0, 1, 4, 6), t.cpus().stream().map(LogicalCpu::cpu).toList());
        assertEquals(4, t.physicalCores());
        assertEquals(2, t.packages());
        assertTrue(t.smt());
        assertTrue(t.sameCore(0, 4));
        assertFalse(t.sameCore(0, 1));
        assertTrue(t.samePackage(0, 1));
        assertFalse(t.samePackage(0, 6));
        assertFalse(t.sameCore(0, 2), "CPU 2 is not allowed");
        assertEquals(List.of(List.of(0, 4), List.of(1), List.of(6)), t.siblingSets());
        assertEquals(1, t.cpu(6).orElseThrow().node());
    }

    @Test
    void unknownPlacementIsMinusOneNotAGuess() {
        var t = TopologyReader.build(List.of(0), List.of(0), Map.of(), Map.of(), Map.of(), 1);
        assertEquals(-1, t.cpus().getFirst().coreId());
        assertEquals(0, t.physicalCores());
        assertFalse(t.sameCore(0, 0), "unknown cores are never 'the same core'");
    }
}
