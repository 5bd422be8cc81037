package io.ctxprobe.probe;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Where the two parties of a switch run, relative to each other. */
public enum Placement {
    /** Both on one logical CPU: every handoff is a context switch on that CPU. */
    SAME_CORE,
    /** On two different physical cores (never SMT siblings when the topology offers better). */
    CROSS_CORE;

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
