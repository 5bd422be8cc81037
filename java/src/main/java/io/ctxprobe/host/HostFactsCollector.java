package io.ctxprobe.host;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Collects {@link HostFacts}: files under a root ("/" on a live host, a fixture tree in tests),
 * native answers through {@link NativeFacts}, commands and OSHI through {@link ExternalSources}.
 * Nothing here throws for a missing fact: it becomes an "unavailable" fact with its reason.
 */
public final class HostFactsCollector {
    private final Path root;
    private final NativeFacts nativeFacts;
    private final ExternalSources external;

    /**
     * With the root "/" the commands and OSHI run live; with any other root they are not run (they
     * would describe the live host, not the tree), and say so.
     */
    public HostFactsCollector(Path root, NativeFacts nativeFacts) {
        this(root, nativeFacts, isLiveRoot(root) ? ExternalSources.live()
                : ExternalSources.none("file root redirected to " + root + ": commands and OSHI read only the live host"));
    }

    public HostFactsCollector(Path root, NativeFacts nativeFacts, ExternalSources external) {
        this.root = Objects.requireNonNull(root);
        this.nativeFacts = Objects.requireNonNull(nativeFacts);
        this.external = Objects.requireNonNull(external);
    }

    private static boolean isLiveRoot(Path root) {
        return root.toAbsolutePath().normalize().equals(Path.of("/"));
    }

    public HostFacts collect() {
        HostFiles files = new HostFiles(root);
        FileText cpuinfoText = files.read(HostPaths.CPUINFO);
        CpuInfoParser.CpuInfo info = CpuInfoParser.parse(cpuinfoText.lines());
        CpuidSource cpuid = new CpuidSource(nativeFacts);
        OshiSnapshot oshi = external.oshi();
        FileText cmdline = files.read(HostPaths.CMDLINE);

        TopologyReader.Result topo = TopologyReader.read(files, nativeFacts, info, oshi);
        List<FactSection> sections = List.of(
                CpuFacts.collect(cpuinfoText, info, cpuid, oshi),
                topo.section(),
                CacheFacts.collect(files, info, cpuid, external),
                KernelFacts.collect(files),
                SecurityFacts.collect(files, info, cpuid, cmdline),
                VirtualizationFacts.collect(files, info, cpuid, external),
                PowerFacts.collect(files),
                SchedulingFacts.collect(files, cmdline),
                MemoryFacts.collect(files, external),
                PerfFacts.collect(files, nativeFacts, external),
                JvmFacts.collect());

        String hostname = files.read(HostPaths.HOSTNAME).first();
        if (hostname == null || hostname.isEmpty()) {
            hostname = files.read(HostPaths.ETC_HOSTNAME).first();
        }
        Summary summary = summarize(sections, topo.topology());
        int logical = !topo.online().isEmpty() ? topo.online().size() : topo.topology().cpus().size();
        HostKey.Identity id = HostKey.identity(files, hostname);
        String key = HostKey.compute(id.id(), summary.cpuModel(), logical);
        return new HostFacts(key, hostname, topo.topology(), sections, summary);
    }

    /** The headline, read back from the facts so that it can never disagree with them. */
    static Summary summarize(List<FactSection> sections, CpuTopology topology) {
        Lookup l = new Lookup(sections);
        String model = l.value("cpu", CpuFacts.MODEL_NAME);
        if (model == null) {
            model = l.value("cpu", "brand string (cpuid)");
        }
        String uarch = l.value("cpu", CpuFacts.MICROARCHITECTURE);
        if (Microarchitecture.UNKNOWN.equals(uarch)) {
            uarch = null;
        }
        String pti = l.value("security", SecurityFacts.PTI);
        Boolean ptiOn = pti == null ? null : pti.startsWith("on");
        String pcid = l.value("security", SecurityFacts.PCID);
        String preempt = l.value("kernel", KernelFacts.PREEMPT_MODEL);
        String pmuText = l.value("perf", PerfFacts.HARDWARE);
        String pmu = l.value("perf", PerfFacts.HARDWARE_PMU);
        if (pmuText == null && "no".equals(pmu)) {
            pmuText = "no hardware PMU registered (" + l.value("perf", "PMUs (sysfs)") + ")";
        }
        return new Summary(model, uarch, topology.cpus().isEmpty() ? null : topology.cpus().size(),
                yesNo(l.value("virtualization", VirtualizationFacts.HYPERVISOR)),
                l.value("virtualization", VirtualizationFacts.VENDOR), yesNo(pmu), pmuText, ptiOn, yesNo(pcid),
                l.value("security", "PTI/PCID"), l.value("kernel", KernelFacts.RELEASE), preempt);
    }

    private static Boolean yesNo(String v) {
        return v == null ? null : v.equals("yes") ? Boolean.TRUE : v.equals("no") ? Boolean.FALSE : null;
    }

    private record Lookup(List<FactSection> sections) {
        String value(String section, String name) {
            return sections.stream().filter(s -> s.name().equals(section)).findFirst().flatMap(s -> s.fact(name))
                    .filter(Fact::available).map(Fact::value).orElse(null);
        }
    }
}
