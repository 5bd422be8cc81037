package io.ctxprobe.host;

import java.util.List;
import java.util.Optional;

/**
 * Everything ctxprobe knows about the host a run happened on.
 *
 * @param hostKey a stable key for this host, see {@link HostKey}
 */
public record HostFacts(String hostKey, String hostname, CpuTopology topology, List<FactSection> sections,
        Summary summary) {

    public HostFacts {
        sections = List.copyOf(sections);
    }

    /** The first fact of that name in that section (has parameters: not a Jackson property). */
    public Optional<Fact> fact(String section, String name) {
        return sections.stream().filter(s -> s.name().equals(section)).findFirst().flatMap(s -> s.fact(name));
    }

    public Optional<FactSection> section(String name) {
        return sections.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
