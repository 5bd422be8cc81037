package io.ctxprobe.host;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Pure parser for {@code getconf -a} text ("NAME   value", value possibly empty). */
final class GetconfParser {
    private GetconfParser() {
    }

    /** Every "NAME value" pair; names without a value map to "". */
    static Map<String, String> parse(List<String> lines) {
        Map<String, String> m = new HashMap<>();
        for (String line : lines) {
            String t = line.trim();
            if (t.isEmpty()) {
                continue;
            }
            String[] kv = t.split("\\s+", 2);
            m.put(kv[0], kv.length > 1 ? kv[1].trim() : "");
        }
        return m;
    }

    /** LEVEL{1..4}_*CACHE_{SIZE,ASSOC,LINESIZE}; a level with no size (empty or 0) is absent. */
    static List<CacheInfo> caches(List<String> lines) {
        Map<String, String> m = parse(lines);
        List<CacheInfo> out = new ArrayList<>();
        add(out, m, "LEVEL1_DCACHE", 1, "Data");
        add(out, m, "LEVEL1_ICACHE", 1, "Instruction");
        add(out, m, "LEVEL2_CACHE", 2, "Unified");
        add(out, m, "LEVEL3_CACHE", 3, "Unified");
        add(out, m, "LEVEL4_CACHE", 4, "Unified");
        return out;
    }

    /** PAGESIZE (or PAGE_SIZE) in bytes, null when absent. */
    static Long pageSize(List<String> lines) {
        Map<String, String> m = parse(lines);
        Long v = number(m.get("PAGESIZE"));
        return v != null ? v : number(m.get("PAGE_SIZE"));
    }

    private static void add(List<CacheInfo> out, Map<String, String> m, String prefix, int level, String type) {
        Long size = number(m.get(prefix + "_SIZE"));
        if (size == null || size <= 0) {
            return;
        }
        Long assoc = number(m.get(prefix + "_ASSOC"));
        Long line = number(m.get(prefix + "_LINESIZE"));
        // glibc reports 0 ways when it does not know (and for fully associative): not "0-way".
        String ways = assoc == null || assoc <= 0 ? null : CacheInfo.waysText(assoc.intValue());
        out.add(new CacheInfo(level, type, size, ways, line == null || line <= 0 ? null : line.intValue(), null));
    }

    private static Long number(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
