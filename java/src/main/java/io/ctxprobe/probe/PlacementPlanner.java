package io.ctxprobe.probe;

import io.ctxprobe.host.CpuTopology;
import io.ctxprobe.linux.CpuSet;

import java.util.List;

/**
 * Chooses CPUs for a placement from the CPUs the run may use and the host's topology. A placement
 * the host cannot give is reported with the reason, never approximated silently.
 */
public final class PlacementPlanner {

    private final CpuSet usable;
    private final CpuTopology topology;

    public PlacementPlanner(CpuSet usable, CpuTopology topology) {
        this.usable = usable;
        this.topology = topology;
    }

    /** Result of planning: a pair, or the reason there is none. */
    public record Plan(CpuPair pair, String skipReason) {
        static Plan of(CpuPair pair) { return new Plan(pair, null); }
        static Plan skip(String reason) { return new Plan(null, reason); }
    }

    public Plan plan(Placement placement) {
        List<Integer> cpus = usable.cpus();
        return switch (placement) {
            case SAME_CORE -> Plan.of(new CpuPair(cpus.getFirst(), cpus.getFirst(),
                    "both on CPU " + cpus.getFirst() + ", the first usable CPU"));
            case CROSS_CORE -> crossCore(cpus);
            case SMT_SIBLING -> smtSibling(cpus);
            case ALL_PAIRS -> throw new IllegalArgumentException("all-pairs is a matrix: use allPairs()");
        };
    }

    /** Every pair (a, b) with a <= b of the usable CPUs, in order: the diagonal and one triangle. */
    public List<CpuPair> allPairs() {
        List<Integer> cpus = usable.cpus();
        List<CpuPair> pairs = new java.util.ArrayList<>();
        for (int i = 0; i < cpus.size(); i++) {
            for (int j = i; j < cpus.size(); j++) {
                int a = cpus.get(i);
                int b = cpus.get(j);
                pairs.add(new CpuPair(a, b, a == b ? "CPU " + a + " alone" : "CPUs " + a + " and " + b + ": "
                        + (topology.sameCore(a, b) ? "SMT siblings" : knownCore(a) && knownCore(b) ? "different cores" : "cores unknown")));
            }
        }
        return pairs;
    }

    private Plan smtSibling(List<Integer> cpus) {
        for (int a : cpus) {
            for (int b : cpus) {
                if (a < b && topology.sameCore(a, b)) {
                    return Plan.of(new CpuPair(a, b, "CPUs " + a + " and " + b + ": SMT siblings of one core"));
                }
            }
        }
        return Plan.skip(topology.smt()
                ? "no two usable CPUs (" + usable + ") are SMT siblings of one core"
                : "this host has no SMT: every core runs one hardware thread (SMT off or absent)");
    }

    private boolean knownCore(int cpu) {
        return topology.cpu(cpu).map(c -> c.coreId() >= 0 && c.packageId() >= 0).orElse(false);
    }

    private Plan crossCore(List<Integer> cpus) {
        if (cpus.size() < 2) {
            return Plan.skip("needs 2 CPUs; this run may use only CPU " + usable
                    + (usable.size() < topology.cpus().size() ? " (--cpus)" : " (the process affinity or cgroup allows one)"));
        }
        int a = cpus.getFirst();
        // Prefer a CPU on another physical core of the same package: the cheapest true cross-core path.
        for (int b : cpus) {
            if (b != a && !topology.sameCore(a, b) && topology.samePackage(a, b)) {
                return Plan.of(new CpuPair(a, b, "CPUs " + a + " and " + b + ": different cores, same package"));
            }
        }
        for (int b : cpus) {
            if (b != a && !topology.sameCore(a, b) && knownCore(a) && knownCore(b)) {
                return Plan.of(new CpuPair(a, b, "CPUs " + a + " and " + b + ": different cores, different packages"));
            }
        }
        for (int b : cpus) {
            if (b != a && (!knownCore(a) || !knownCore(b))) {
                return Plan.of(new CpuPair(a, b, "CPUs " + a + " and " + b
                        + ": the host does not say which core each is on, so they may be SMT siblings"));
            }
        }
        return Plan.skip("no two usable CPUs on different physical cores: CPUs " + usable
                + " are SMT siblings of one core");
    }
}
