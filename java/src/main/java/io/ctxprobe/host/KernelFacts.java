package io.ctxprobe.host;

import java.util.List;

/** The "kernel" section: release, version, command line, preempt model, clocksource, THP. */
final class KernelFacts {
    private KernelFacts() {
    }

    static final String PREEMPT_MODEL = "preempt model";
    static final String RELEASE = "release";

    static FactSection collect(HostFiles files) {
        SectionBuilder s = new SectionBuilder("kernel");
        s.add(files.read(HostPaths.OSRELEASE).fact(RELEASE));
        FileText version = files.read(HostPaths.VERSION);
        s.add(version.fact("version"));
        FileText cmdline = files.read(HostPaths.CMDLINE);
        s.add(cmdline.fact("command line"));
        s.add(preempt(files, version, cmdline));
        String cs = HostPaths.CLOCKSOURCE;
        s.add(files.read(cs + "/current_clocksource").fact("clocksource"));
        s.add(files.read(cs + "/available_clocksource").fact("available clocksources"));
        s.add(bracketed(files.read(HostPaths.THP + "/enabled"), "THP enabled"));
        s.add(bracketed(files.read(HostPaths.THP + "/defrag"), "THP defrag"));
        return s.build();
    }

    /** debugfs says the current mode; otherwise preempt= on the command line; otherwise /proc/version's words. */
    static Fact preempt(HostFiles files, FileText version, FileText cmdline) {
        FileText debug = files.read(HostPaths.DEBUG_SCHED_PREEMPT);
        String mode = debug.ok() ? parseDebugfsPreempt(debug.first()) : null;
        if (mode != null) {
            return Fact.of(PREEMPT_MODEL, mode, debug.source());
        }
        String param = cmdline.ok() ? parameter(cmdline.first(), "preempt") : null;
        if (param != null) {
            return Fact.of(PREEMPT_MODEL, param + " (preempt= on the command line)", cmdline.source());
        }
        if (!version.ok()) {
            return Fact.unavailable(PREEMPT_MODEL, version.source(), version.error());
        }
        String why = debug.ok() ? "unrecognised " + debug.path() : debug.error();
        return Fact.of(PREEMPT_MODEL, parseVersionPreempt(version.first(), why), version.source());
    }

    /** Pure: "none voluntary (full) lazy" -> "full"; null when no parenthesised word. */
    static String parseDebugfsPreempt(String line) {
        if (line == null) {
            return null;
        }
        int open = line.indexOf('(');
        int close = line.indexOf(')', open + 1);
        return open >= 0 && close > open + 1 ? line.substring(open + 1, close).trim() : null;
    }

    /** Pure: the preempt model /proc/version's build words allow one to say. */
    static String parseVersionPreempt(String version, String whyModeUnknown) {
        List<String> words = version == null ? List.of() : List.of(version.split("\\s+"));
        if (words.contains("PREEMPT_RT")) {
            return "rt (PREEMPT_RT)";
        }
        if (words.contains("PREEMPT_DYNAMIC")) {
            return "dynamic (PREEMPT_DYNAMIC; current mode unknown: " + whyModeUnknown + ")";
        }
        if (words.contains("PREEMPT_LAZY")) {
            return "lazy (PREEMPT_LAZY)";
        }
        if (words.contains("PREEMPT")) {
            return "full (PREEMPT)";
        }
        return "none or voluntary (no PREEMPT word in /proc/version)";
    }

    /** Pure: the value of name=value on a command line (last one wins, as the kernel does), or null. */
    static String parameter(String cmdline, String name) {
        if (cmdline == null) {
            return null;
        }
        String found = null;
        for (String w : cmdline.trim().split("\\s+")) {
            if (w.equals("--")) {
                break; // what follows goes to init, not the kernel
            }
            if (w.startsWith(name + "=")) {
                found = w.substring(name.length() + 1);
            }
        }
        return found;
    }

    /** Pure: "always [madvise] never" -> "madvise"; null when nothing is bracketed. */
    static String parseBracketed(String line) {
        if (line == null) {
            return null;
        }
        int open = line.indexOf('[');
        int close = line.indexOf(']', open + 1);
        return open >= 0 && close > open + 1 ? line.substring(open + 1, close) : null;
    }

    static Fact bracketed(FileText t, String name) {
        if (!t.ok()) {
            return Fact.unavailable(name, t.source(), t.error());
        }
        String v = parseBracketed(t.first());
        return v == null ? Fact.unavailable(name, t.source(), "no [selected] value in '" + t.first() + "'")
                : Fact.of(name, v, t.source());
    }
}
