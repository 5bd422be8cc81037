package io.ctxprobe.host;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Pure parser for /proc/cpuinfo (x86 layout: "key\t: value", one block per logical CPU). */
final class CpuInfoParser {
    private CpuInfoParser() {
    }

    /**
     * The first processor's identity plus per-processor placement.
     *
     * @param family,model,stepping null when the line is absent or not a number
     * @param flags empty when there is no "flags" line (then flag-derived facts are unknown, not false)
     * @param hasFlags whether a "flags" line was present at all
     */
    record CpuInfo(int processors, String vendor, String modelName, Integer family, Integer model, Integer stepping,
            Set<String> flags, boolean hasFlags, Set<String> bugs, String cacheSize, String tlbSize,
            Map<Integer, int[]> placement) {

        boolean flag(String f) {
            return flags.contains(f);
        }
    }

    /** One map per processor block, keys as written. Empty input gives an empty list. */
    static List<Map<String, String>> parseBlocks(List<String> lines) {
        List<Map<String, String>> blocks = new ArrayList<>();
        Map<String, String> cur = new LinkedHashMap<>();
        for (String line : lines) {
            if (line.isBlank()) {
                if (!cur.isEmpty()) {
                    blocks.add(cur);
                    cur = new LinkedHashMap<>();
                }
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim();
            if (key.equals("processor") && cur.containsKey("processor")) {
                blocks.add(cur);
                cur = new LinkedHashMap<>();
            }
            cur.put(key, line.substring(colon + 1).trim());
        }
        if (!cur.isEmpty()) {
            blocks.add(cur);
        }
        return blocks;
    }

    static CpuInfo parse(List<String> lines) {
        List<Map<String, String>> blocks = parseBlocks(lines);
        Map<String, String> first = blocks.isEmpty() ? Map.of() : blocks.getFirst();
        String flagLine = first.get("flags");
        String bugLine = first.get("bugs");
        Map<Integer, int[]> placement = new LinkedHashMap<>();
        int processors = 0;
        for (Map<String, String> b : blocks) {
            Integer n = integer(b.get("processor"));
            if (n == null) {
                continue;
            }
            processors++;
            Integer pkg = integer(b.get("physical id"));
            Integer core = integer(b.get("core id"));
            if (pkg != null && core != null) {
                placement.put(n, new int[] {pkg, core});
            }
        }
        return new CpuInfo(processors, first.get("vendor_id"), first.get("model name"), integer(first.get("cpu family")),
                integer(first.get("model")), integer(first.get("stepping")), words(flagLine), flagLine != null,
                words(bugLine), first.get("cache size"), first.get("TLB size"), placement);
    }

    private static Set<String> words(String line) {
        Set<String> s = new TreeSet<>();
        if (line != null) {
            for (String w : line.trim().split("\\s+")) {
                if (!w.isEmpty()) {
                    s.add(w);
                }
            }
        }
        return Set.copyOf(s);
    }

    static Integer integer(String s) {
        if (s == null) {
            return null;
        }
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
