package io.ctxprobe.host;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The CPUs this process may run on, and the host's shape around them.
 *
 * <p>{@code cpus} lists only the CPUs allowed to this process (its affinity mask), sorted.
 * {@code physicalCores}, {@code packages}, {@code numaNodes} and {@code smt} describe the online
 * CPUs of the whole host, so that a probe restricted to one core still learns the host has 64.
 */
public record CpuTopology(List<LogicalCpu> cpus, int physicalCores, int packages, int numaNodes, boolean smt) {

    public CpuTopology {
        cpus = List.copyOf(cpus);
    }

    public Optional<LogicalCpu> cpu(int n) {
        return cpus.stream().filter(c -> c.cpu() == n).findFirst();
    }

    /** Both CPUs allowed, on the same package and the same core (known core ids only). */
    public boolean sameCore(int a, int b) {
        var ca = cpu(a);
        var cb = cpu(b);
        return ca.isPresent() && cb.isPresent() && ca.get().coreId() >= 0
                && ca.get().packageId() == cb.get().packageId() && ca.get().coreId() == cb.get().coreId();
    }

    public boolean samePackage(int a, int b) {
        var ca = cpu(a);
        var cb = cpu(b);
        return ca.isPresent() && cb.isPresent() && ca.get().packageId() >= 0
                && ca.get().packageId() == cb.get().packageId();
    }

    /**
     * The SMT sibling sets among the allowed CPUs: each thread_siblings_list restricted to the
     * allowed CPUs, duplicates removed, in CPU order. Every allowed CPU is in exactly one set.
     * (No "get" prefix: Jackson does not see it as a property.)
     */
    public List<List<Integer>> siblingSets() {
        Set<Integer> allowed = new LinkedHashSet<>();
        cpus.forEach(c -> allowed.add(c.cpu()));
        Set<Integer> placed = new LinkedHashSet<>();
        List<List<Integer>> sets = new ArrayList<>();
        for (LogicalCpu c : cpus) {
            if (placed.contains(c.cpu())) {
                continue;
            }
            List<Integer> set = new ArrayList<>();
            for (int s : c.threadSiblings()) {
                if (allowed.contains(s) && !placed.contains(s)) {
                    set.add(s);
                }
            }
            if (!set.contains(c.cpu())) {
                set.add(c.cpu());
            }
            set.sort(null);
            placed.addAll(set);
            sets.add(List.copyOf(set));
        }
        return List.copyOf(sets);
    }
}
