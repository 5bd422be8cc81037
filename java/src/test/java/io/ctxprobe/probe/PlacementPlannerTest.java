package io.ctxprobe.probe;

import io.ctxprobe.host.CpuTopology;
import io.ctxprobe.host.LogicalCpu;
import io.ctxprobe.linux.CpuSet;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlacementPlannerTest {

    /** 2 packages x 2 cores x 2 SMT threads, Linux numbering: CPU n and n+4 are siblings. */
    private static final CpuTopology SMT_2X2X2 = new CpuTopology(List.of(
            cpu(0, 0, 0, 4), cpu(1, 1, 0, 5), cpu(2, 0, 1, 6), cpu(3, 1, 1, 7),
            cpu(4, 0, 0, 0), cpu(5, 1, 0, 1), cpu(6, 0, 1, 2), cpu(7, 1, 1, 3)), 4, 2, 2, true);

    private static LogicalCpu cpu(int n, int core, int pkg, int sibling) {
        return new LogicalCpu(n, core, pkg, pkg, List.of(Math.min(n, sibling), Math.max(n, sibling)));
    }

    @Test
    void sameCoreUsesTheFirstUsableCpuTwice() {
        CpuPair p = new PlacementPlanner(CpuSet.parse("3-7"), SMT_2X2X2).plan(Placement.SAME_CORE).pair();
        assertEquals(3, p.first());
        assertEquals(3, p.second());
    }

    @Test
    void crossCoreAvoidsTheSmtSiblingAndPrefersTheSamePackage() {
        PlacementPlanner.Plan plan = new PlacementPlanner(CpuSet.parse("0-7"), SMT_2X2X2).plan(Placement.CROSS_CORE);
        assertNull(plan.skipReason());
        assertEquals(0, plan.pair().first());
        assertEquals(1, plan.pair().second());
        assertTrue(plan.pair().why().contains("same package"), plan.pair().why());
    }

    @Test
    void crossCoreFallsBackToAnotherPackage() {
        CpuPair p = new PlacementPlanner(CpuSet.of(0, 4, 2), SMT_2X2X2).plan(Placement.CROSS_CORE).pair();
        assertEquals(2, p.second());
        assertTrue(p.why().contains("different packages"), p.why());
    }

    @Test
    void onlySiblingsOrOneCpuIsSkippedWithTheReason() {
        PlacementPlanner.Plan siblings = new PlacementPlanner(CpuSet.of(1, 5), SMT_2X2X2).plan(Placement.CROSS_CORE);
        assertNull(siblings.pair());
        assertTrue(siblings.skipReason().contains("SMT siblings"), siblings.skipReason());
        PlacementPlanner.Plan one = new PlacementPlanner(CpuSet.of(6), SMT_2X2X2).plan(Placement.CROSS_CORE);
        assertTrue(one.skipReason().startsWith("needs 2 CPUs"), one.skipReason());
    }

    @Test
    void unknownCoreIdsAreSaidNotHidden() {
        CpuTopology unknown = new CpuTopology(List.of(new LogicalCpu(0, -1, -1, 0, List.of(0)),
                new LogicalCpu(1, -1, -1, 0, List.of(1))), 2, 1, 1, false);
        CpuPair p = new PlacementPlanner(CpuSet.of(0, 1), unknown).plan(Placement.CROSS_CORE).pair();
        assertTrue(p.why().contains("may be SMT siblings"), p.why());
    }

    @Test
    void placementLabelsParseBack() {
        for (Placement p : Placement.values()) assertEquals(p, Placement.parse(p.label()));
    }
}
