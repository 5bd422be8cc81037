package io.ctxprobe.host;

import java.util.ArrayList;
import java.util.List;

/** Pure helpers over kernel log lines ("[    0.000000] text"). */
final class DmesgParser {
    private DmesgParser() {
    }

    /** The messages containing a phrase, timestamps removed. */
    static List<String> matching(List<String> lines, String phrase) {
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            if (l.contains(phrase)) {
                out.add(stripTimestamp(l));
            }
        }
        return out;
    }

    static String stripTimestamp(String line) {
        String t = line.trim();
        if (t.startsWith("[")) {
            int close = t.indexOf(']');
            if (close > 0) {
                return t.substring(close + 1).trim();
            }
        }
        return t;
    }

    /** "Hypervisor detected: KVM" -> "KVM"; null when no such line. */
    static String hypervisorDetected(List<String> lines) {
        for (String m : matching(lines, "Hypervisor detected:")) {
            return m.substring(m.indexOf("Hypervisor detected:") + "Hypervisor detected:".length()).trim();
        }
        return null;
    }
}
