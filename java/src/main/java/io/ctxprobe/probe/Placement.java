package io.ctxprobe.probe;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Where the two parties of a switch run, relative to each other. */
public enum Placement {
    /** Both on one logical CPU: every handoff is a context switch on that CPU. */
    SAME_CORE,
    /** On two different physical cores (never SMT siblings when the topology offers better). */
    CROSS_CORE,
    /** On the two hardware threads of one physical core (hosts with SMT only). */
    SMT_SIBLING,
    /** Every pair of the usable CPUs, the diagonal included: an N x N matrix. Only when asked for. */
    ALL_PAIRS;

    /** What a run measures when no placement is named: everything but the matrix. */
    public static java.util.Set<Placement> defaults() {
        return java.util.EnumSet.of(SAME_CORE, CROSS_CORE, SMT_SIBLING);
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Placement parse(String text) {
        for (Placement p : values()) {
            if (p.label().equals(text)) return p;
        }
        throw new IllegalArgumentException("unknown placement '" + text + "': expected one of "
                + Arrays.stream(values()).map(Placement::label).collect(Collectors.joining(", ")));
    }
}
