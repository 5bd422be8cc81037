package io.ctxprobe.perf;

import io.ctxprobe.host.FileText;
import io.ctxprobe.host.HostFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * One event to open, as the user names it: a catalogue event by its display name
 * ({@code "context-switches"}, {@code "dTLB-load-misses"}, see {@link PerfEvent}) or a kernel
 * tracepoint {@code category:name} ({@code "sched:sched_switch"}, {@code "tlb:tlb_flush"}), whose
 * config is the id tracefs gives in {@code events/<category>/<name>/id}.
 *
 * @param name    the name as given (the label of every reading and note)
 * @param kind    software, hardware (incl. hw-cache) or tracepoint
 * @param type    perf_event_attr.type
 * @param config  perf_event_attr.config; -1 for a tracepoint that was not found
 * @param missing why the event cannot even be tried (a tracepoint not found), else null
 */
public record PerfEventSpec(String name, PerfEvent.Kind kind, int type, long config, String missing) {

    /** Where tracefs lives: its own mount first, then the old place under debugfs (read through HostFiles). */
    public static final List<String> TRACEFS_ROOTS = List.of("/sys/kernel/tracing", "/sys/kernel/debug/tracing");

    private static final Pattern TRACEPOINT = Pattern.compile("[A-Za-z0-9_]+:[A-Za-z0-9_]+");

    public static PerfEventSpec of(PerfEvent event) {
        return new PerfEventSpec(event.displayName(), event.kind(), event.type(), event.config(), null);
    }

    /** Whether the spec names something that exists here (it may still be refused when opened). */
    public boolean resolved() {
        return missing == null;
    }

    /**
     * A catalogue name or {@code category:name}. Unknown names and malformed tracepoints throw
     * IllegalArgumentException (a usage error); a well-formed tracepoint this host lacks is returned
     * with {@link #missing} saying why, so it is reported unavailable rather than refused.
     */
    public static PerfEventSpec parse(String text) {
        return parse(text, HostFiles.live());
    }

    /** {@link #parse(String)} with tracefs read under {@code files}' root (a fixture tree in tests). */
    static PerfEventSpec parse(String text, HostFiles files) {
        String name = text.strip();
        for (PerfEvent e : PerfEvent.values()) {
            if (e.displayName().equals(name)) {
                return of(e);
            }
        }
        if (!name.contains(":")) {
            throw new IllegalArgumentException("unknown perf event '" + name + "': expected one of " + catalogueNames()
                    + " or a tracepoint category:name (e.g. sched:sched_switch)");
        }
        if (!TRACEPOINT.matcher(name).matches()) {
            throw new IllegalArgumentException("malformed tracepoint '" + name + "': expected category:name, e.g. sched:sched_switch");
        }
        return tracepoint(name, files);
    }

    /** The tracepoint's id from the first tracefs root that has it; "not found" names the roots tried. */
    static PerfEventSpec tracepoint(String name, HostFiles files) {
        int colon = name.indexOf(':');
        String category = name.substring(0, colon);
        String event = name.substring(colon + 1);
        for (String root : TRACEFS_ROOTS) {
            // not under this root (tracefs not mounted there, no such event, unreadable, garbled): try the next
            OptionalLong config = parseTracepointId(files.read(root + "/events/" + category + "/" + event + "/id"));
            if (config.isPresent()) {
                return new PerfEventSpec(name, PerfEvent.Kind.TRACEPOINT, PerfEvent.Type.TRACEPOINT, config.getAsLong(), null);
            }
        }
        for (String root : TRACEFS_ROOTS) {
            if (files.exists(root + "/events")) {
                // tracefs is mounted and readable here: a name it does not list is a typo, not a host limit.
                throw new IllegalArgumentException("unknown tracepoint '" + name + "': not in " + root
                        + "/events (the names are in " + root + "/available_events)");
            }
        }
        String tried = String.join(" or ", TRACEFS_ROOTS.stream().map(r -> r + "/events").toList());
        return new PerfEventSpec(name, PerfEvent.Kind.TRACEPOINT, PerfEvent.Type.TRACEPOINT, -1,
                "tracepoint " + name + " not found: tracefs is not mounted (no " + tried
                        + "); as root: mount -t tracefs nodev /sys/kernel/tracing");
    }

    /** Pure: a tracefs {@code id} file's one number; absent when unreadable, empty or not a number. */
    static OptionalLong parseTracepointId(FileText id) {
        String first = id.first();
        if (first == null) return OptionalLong.empty();
        try {
            return OptionalLong.of(Long.parseLong(first));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** Parses a comma list, keeping the order and dropping repeats. */
    public static List<PerfEventSpec> parseList(List<String> names) {
        List<PerfEventSpec> out = new ArrayList<>();
        for (String n : names) {
            PerfEventSpec s = parse(n);
            if (out.stream().noneMatch(o -> o.name.equals(s.name))) {
                out.add(s);
            }
        }
        return out;
    }

    public static List<String> catalogueNames() {
        List<String> out = new ArrayList<>();
        for (PerfEvent e : PerfEvent.values()) {
            out.add(e.displayName());
        }
        return out;
    }

    /** "software", "hardware", "tracepoint": the word used in counter sources. */
    public String kindWord() {
        return kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
