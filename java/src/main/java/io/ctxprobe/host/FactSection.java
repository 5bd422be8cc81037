package io.ctxprobe.host;

import java.util.List;
import java.util.Optional;

/**
 * A named group of facts: "cpu", "topology", "caches", "kernel", "security", "virtualization",
 * "power", "scheduling", "memory", "perf", "jvm".
 */
public record FactSection(String name, List<Fact> facts) {

    public FactSection {
        facts = List.copyOf(facts);
    }

    /** The first fact with this name (method with a parameter: not a Jackson property). */
    public Optional<Fact> fact(String factName) {
        return facts.stream().filter(f -> f.name().equals(factName)).findFirst();
    }
}
