package io.ctxprobe.host;

import java.util.List;

/**
 * One logical CPU. {@code coreId}, {@code packageId} and {@code node} are the kernel's numbers
 * (sysfs topology, or /proc/cpuinfo when sysfs lacks them); -1 only where neither source gives one,
 * and then the topology section carries an "unavailable" fact saying so.
 * {@code threadSiblings} is the kernel's thread_siblings_list (this CPU included).
 */
public record LogicalCpu(int cpu, int coreId, int packageId, int node, List<Integer> threadSiblings) {

    public LogicalCpu {
        threadSiblings = List.copyOf(threadSiblings);
    }
}
