package io.ctxprobe.host;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The "topology" section and {@link CpuTopology}: online and allowed CPUs, cores, packages, SMT
 * sibling sets and NUMA nodes from sysfs, /proc/cpuinfo when sysfs lacks them, OSHI as a cross-check.
 */
final class TopologyReader {
    private TopologyReader() {
    }

    record Result(CpuTopology topology, FactSection section, List<Integer> online) {
    }

    static Result read(HostFiles files, NativeFacts nativeFacts, CpuInfoParser.CpuInfo info, OshiSnapshot oshi) {
        SectionBuilder s = new SectionBuilder("topology");
        List<Integer> online = online(files, info, s);
        List<Integer> allowed = allowed(files, nativeFacts, s, online);

        Map<Integer, int[]> placement = new HashMap<>();
        Map<Integer, List<Integer>> siblings = new HashMap<>();
        Set<Integer> all = new HashSet<>(online);
        all.addAll(allowed);
        placement(files, info, all, placement, siblings, s);
        String topoSource = HostFiles.source(HostPaths.SYS_CPU + "/cpu*/topology");

        Map<Integer, Integer> nodeOf = new HashMap<>();
        int nodes = readNodes(files, nodeOf);
        if (nodes > 0) {
            s.add(Fact.of("NUMA nodes", Integer.toString(nodes), HostFiles.source(HostPaths.SYS_NODE)).withNumber(nodes, "nodes"));
        } else {
            nodes = 1;
            s.add(Fact.of("NUMA nodes", "1", HostFiles.source(HostPaths.SYS_NODE),
                    "no node directories: kernel without NUMA, one memory node").withNumber(1, "nodes"));
        }

        CpuTopology topology = build(allowed, online, placement, siblings, nodeOf, nodes);
        s.add(Fact.of("physical cores", Integer.toString(topology.physicalCores()), topoSource)
                .withNumber(topology.physicalCores(), "cores"));
        s.add(Fact.of("packages", Integer.toString(topology.packages()), topoSource).withNumber(topology.packages(), "packages"));
        FileText smtActive = files.read(HostPaths.SMT_ACTIVE);
        s.add("SMT", topology.smt() ? "yes" : "no", topoSource);
        if (smtActive.ok()) {
            s.add(smtActive.integerFact("SMT active", "level"));
        }
        List<String> sets = topology.siblingSets().stream().map(CpuLists::format).toList();
        s.add("SMT sibling sets (allowed CPUs)", "{" + String.join("} {", sets) + "}", topoSource);

        if (oshi.available()) {
            s.add("logical/physical/packages (oshi)", oshi.logicalProcessors() + " / " + oshi.physicalProcessors()
                    + " / " + oshi.packages(), "oshi");
        } else {
            s.unavailable("logical/physical/packages (oshi)", "oshi", oshi.unavailableReason());
        }
        return new Result(topology, s.build(), List.copyOf(online));
    }

    /** Online CPUs from sysfs; /proc/cpuinfo's processor count when sysfs lacks the list. */
    private static List<Integer> online(HostFiles files, CpuInfoParser.CpuInfo info, SectionBuilder s) {
        FileText onlineText = files.read(HostPaths.CPU_ONLINE);
        List<Integer> online = cpuList(onlineText);
        if (online != null) {
            s.add(Fact.of("online CPUs", CpuLists.format(online) + " (" + online.size() + ")", onlineText.source())
                    .withNumber(online.size(), "CPUs"));
        } else if (!info.placement().isEmpty() || info.processors() > 0) {
            online = new ArrayList<>();
            for (int i = 0; i < info.processors(); i++) {
                online.add(i);
            }
            s.add(Fact.of("online CPUs", CpuLists.format(online) + " (" + online.size() + ")",
                    HostFiles.source(HostPaths.CPUINFO), "fallback: " + onlineText.error()).withNumber(online.size(), "CPUs"));
        } else {
            online = List.of();
            s.unavailable("online CPUs", onlineText.source(), reason(onlineText));
        }
        return online;
    }

    /** Allowed CPUs: sched_getaffinity, else /proc/self/status's Cpus_allowed_list, else the online ones. */
    private static List<Integer> allowed(HostFiles files, NativeFacts nativeFacts, SectionBuilder s, List<Integer> online) {
        FileText status = files.read(HostPaths.SELF_STATUS);
        String statusList = parseCpusAllowedList(status.lines());
        List<Integer> fromStatus = null;
        if (statusList != null) {
            try {
                fromStatus = CpuLists.parse(statusList);
            } catch (IllegalArgumentException e) {
                fromStatus = null;
            }
        }
        List<Integer> fromNative = null;
        String nativeWhy;
        try {
            fromNative = List.copyOf(nativeFacts.allowedCpus());
            nativeWhy = null;
        } catch (RuntimeException e) {
            nativeWhy = e.getMessage() == null ? e.toString() : e.getMessage();
        }
        if (fromNative != null) {
            s.add(Fact.of("allowed CPUs", CpuLists.format(fromNative) + " (" + fromNative.size() + ")", "sched_getaffinity")
                    .withNumber(fromNative.size(), "CPUs"));
        } else {
            s.unavailable("allowed CPUs", "sched_getaffinity", nativeWhy);
        }
        Fact statusFact = fromStatus == null
                ? Fact.unavailable("Cpus_allowed_list", status.source(),
                        status.ok() ? "no Cpus_allowed_list line" : status.error())
                : Fact.of("Cpus_allowed_list", CpuLists.format(fromStatus) + " (" + fromStatus.size() + ")",
                        status.source()).withNumber(fromStatus.size(), "CPUs");
        if (fromNative != null && fromStatus != null && !fromNative.equals(fromStatus)) {
            // Affinity is per thread; /proc/self/status shows the main thread's.
            statusFact = new Fact(statusFact.name(), statusFact.value(), statusFact.source(),
                    "differs from sched_getaffinity of the calling thread", statusFact.number(), statusFact.unit());
        }
        s.add(statusFact);
        return fromNative != null ? fromNative : fromStatus != null ? fromStatus : online;
    }

    /** Package and core of every CPU in {@code all} (sysfs, else cpuinfo) and its SMT siblings, into the maps. */
    private static void placement(HostFiles files, CpuInfoParser.CpuInfo info, Set<Integer> all,
            Map<Integer, int[]> placement, Map<Integer, List<Integer>> siblings, SectionBuilder s) {
        int fromCpuinfo = 0;
        for (int cpu : all) {
            String dir = HostPaths.cpu(cpu) + "/topology/";
            Integer core = CpuInfoParser.integer(files.read(dir + "core_id").first());
            Integer pkg = CpuInfoParser.integer(files.read(dir + "physical_package_id").first());
            List<Integer> sib = cpuList(files.read(dir + "thread_siblings_list"));
            if (core != null && pkg != null) {
                placement.put(cpu, new int[] {pkg, core});
            } else if (info.placement().containsKey(cpu)) {
                placement.put(cpu, info.placement().get(cpu));
                fromCpuinfo++;
            }
            siblings.put(cpu, sib != null && !sib.isEmpty() ? sib : List.of(cpu));
        }
        String topoSource = HostFiles.source(HostPaths.SYS_CPU + "/cpu*/topology");
        if (fromCpuinfo > 0) {
            s.add(Fact.of("core placement source", fromCpuinfo + " CPUs from /proc/cpuinfo", topoSource,
                    "fallback: no sysfs topology for those CPUs"));
        }
        if (placement.size() < all.size()) {
            s.unavailable("core placement", topoSource, (all.size() - placement.size())
                    + " CPUs have neither sysfs topology nor cpuinfo core id (core ids shown as -1)");
        }
    }

    /** Pure: the topology from parsed pieces. Counts cover online CPUs; the CPU list covers allowed ones. */
    static CpuTopology build(List<Integer> allowed, List<Integer> online, Map<Integer, int[]> placement,
            Map<Integer, List<Integer>> siblings, Map<Integer, Integer> nodeOf, int numaNodes) {
        List<LogicalCpu> cpus = new ArrayList<>();
        for (int cpu : allowed.stream().sorted().distinct().toList()) {
            int[] pc = placement.get(cpu);
            cpus.add(new LogicalCpu(cpu, pc == null ? -1 : pc[1], pc == null ? -1 : pc[0], nodeOf.getOrDefault(cpu, 0),
                    siblings.getOrDefault(cpu, List.of(cpu))));
        }
        Set<Long> cores = new HashSet<>();
        Set<Integer> packages = new HashSet<>();
        boolean smt = false;
        for (int cpu : online.isEmpty() ? allowed : online) {
            int[] pc = placement.get(cpu);
            if (pc != null) {
                cores.add(((long) pc[0] << 32) | (pc[1] & 0xffffffffL));
                packages.add(pc[0]);
            }
            smt |= siblings.getOrDefault(cpu, List.of(cpu)).size() > 1;
        }
        return new CpuTopology(cpus, cores.size(), packages.size(), numaNodes, smt);
    }

    /** Pure: the Cpus_allowed_list value of /proc/self/status, or null. */
    static String parseCpusAllowedList(List<String> statusLines) {
        for (String line : statusLines) {
            if (line.startsWith("Cpus_allowed_list:")) {
                return line.substring("Cpus_allowed_list:".length()).trim();
            }
        }
        return null;
    }

    private static int readNodes(HostFiles files, Map<Integer, Integer> nodeOf) {
        int nodes = 0;
        for (String name : files.list(HostPaths.SYS_NODE)) {
            if (!name.matches("node\\d+")) {
                continue;
            }
            nodes++;
            int node = Integer.parseInt(name.substring(4));
            List<Integer> cpus = cpuList(files.read(HostPaths.SYS_NODE + "/" + name + "/cpulist"));
            if (cpus != null) {
                cpus.forEach(c -> nodeOf.put(c, node));
            }
        }
        return nodes;
    }

    /** A CPU-list file parsed, or null when unreadable or malformed. */
    static List<Integer> cpuList(FileText t) {
        if (!t.ok()) {
            return null;
        }
        try {
            return CpuLists.parse(t.lines().isEmpty() ? "" : t.lines().getFirst());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static String reason(FileText t) {
        return t.ok() ? "malformed CPU list in " + t.path() : t.error();
    }
}
