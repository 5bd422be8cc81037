package io.ctxprobe.host;

import java.util.stream.Collectors;

/** The text of {@code ctxprobe host}: the summary, the allowed CPUs, then every section's facts. */
public final class HostFactsText {
    private HostFactsText() {
    }

    private static final int NAME_WIDTH = 34;

    public static String render(HostFacts f) {
        StringBuilder b = new StringBuilder();
        b.append("host ").append(f.hostname() == null ? "(unknown hostname)" : f.hostname())
                .append("  key ").append(f.hostKey()).append('\n');
        Summary s = f.summary();
        b.append("\nsummary\n");
        line(b, "cpu", known(s.cpuModel()) + (s.microarchitecture() == null ? "" : " (" + s.microarchitecture() + ")"));
        line(b, "logical CPUs allowed", s.logicalCpusAllowed() == null ? "unknown" : s.logicalCpusAllowed().toString());
        line(b, "hypervisor", s.hypervisor() == null ? "unknown"
                : s.hypervisor() ? "yes" + (s.hypervisorVendor() == null ? "" : ": " + s.hypervisorVendor()) : "no");
        line(b, "hardware PMU", (s.hardwarePmu() == null ? "unknown" : s.hardwarePmu() ? "yes" : "no")
                + (s.pmuText() == null ? "" : ": " + s.pmuText()));
        line(b, "page-table isolation", known(s.ptiText()));
        line(b, "kernel", known(s.kernel()));
        line(b, "preempt model", known(s.preemptModel()));

        CpuTopology t = f.topology();
        b.append("\nallowed CPUs (").append(t.cpus().size()).append(" of this host's ").append(t.physicalCores())
                .append(" cores, ").append(t.packages()).append(" package(s), ").append(t.numaNodes())
                .append(" NUMA node(s), SMT ").append(t.smt() ? "on" : "off").append(")\n");
        b.append("  cpu  core  package  node  siblings\n");
        for (LogicalCpu c : t.cpus()) {
            b.append(String.format("  %3d  %4d  %7d  %4d  %s%n", c.cpu(), c.coreId(), c.packageId(), c.node(),
                    c.threadSiblings().stream().map(String::valueOf).collect(Collectors.joining(","))));
        }
        for (FactSection sec : f.sections()) {
            b.append('\n').append(sec.name()).append('\n');
            for (Fact fact : sec.facts()) {
                String value = fact.available() ? fact.value() : "-";
                b.append("  ").append(pad(fact.name())).append(' ').append(value)
                        .append("  [").append(fact.source()).append("]\n");
                if (fact.flag() != null) {
                    b.append("  ").append(pad("")).append(" ! ").append(fact.flag()).append('\n');
                }
            }
        }
        return b.toString();
    }

    private static void line(StringBuilder b, String name, String value) {
        b.append("  ").append(pad(name)).append(' ').append(value).append('\n');
    }

    private static String pad(String s) {
        return s.length() >= NAME_WIDTH ? s : s + " ".repeat(NAME_WIDTH - s.length());
    }

    private static String known(String s) {
        return s == null ? "unknown" : s;
    }
}
