package io.ctxprobe.host;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** The kernel's CPU list format: "0-3,8,10-11" (empty means none). */
final class CpuLists {
    private CpuLists() {
    }

    /** Parses a CPU list; throws IllegalArgumentException on malformed text. */
    static List<Integer> parse(String text) {
        TreeSet<Integer> cpus = new TreeSet<>();
        String t = text == null ? "" : text.trim();
        if (t.isEmpty()) {
            return List.of();
        }
        for (String part : t.split(",")) {
            String p = part.trim();
            int dash = p.indexOf('-');
            try {
                if (dash < 0) {
                    cpus.add(Integer.parseInt(p));
                } else {
                    int lo = Integer.parseInt(p.substring(0, dash));
                    int hi = Integer.parseInt(p.substring(dash + 1));
                    if (hi < lo || hi - lo > 1 << 16) {
                        throw new IllegalArgumentException("bad CPU range '" + p + "'");
                    }
                    for (int c = lo; c <= hi; c++) {
                        cpus.add(c);
                    }
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad CPU list '" + t + "'", e);
            }
        }
        return List.copyOf(cpus);
    }

    /** The canonical text of a CPU list: ranges collapsed. */
    static String format(List<Integer> cpus) {
        List<Integer> s = new ArrayList<>(new TreeSet<>(cpus));
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.size(); ) {
            int j = i;
            while (j + 1 < s.size() && s.get(j + 1) == s.get(j) + 1) {
                j++;
            }
            if (!b.isEmpty()) {
                b.append(',');
            }
            b.append(s.get(i));
            if (j > i) {
                b.append('-').append(s.get(j));
            }
            i = j + 1;
        }
        return b.toString();
    }
}
