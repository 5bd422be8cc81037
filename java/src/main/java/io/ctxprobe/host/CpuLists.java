package io.ctxprobe.host;

import io.ctxprobe.linux.CpuSet;

import java.util.List;

/** The kernel's CPU list format, "0-3,8,10-11" (empty means none), through the one parser in {@link CpuSet}. */
final class CpuLists {
    private CpuLists() {
    }

    /** Parses a CPU list (empty or null: none); throws IllegalArgumentException on malformed text. */
    static List<Integer> parse(String text) {
        return text == null ? List.of() : CpuSet.parse(text).cpus();
    }

    /** The canonical text of a CPU list: ranges collapsed. */
    static String format(List<Integer> cpus) {
        return CpuSet.of(cpus).toString();
    }
}
