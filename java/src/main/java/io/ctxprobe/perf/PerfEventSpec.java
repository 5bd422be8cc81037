package io.ctxprobe.perf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    /** Where tracefs lives: its own mount first, then the old place under debugfs. */
    public static final List<Path> TRACEFS_ROOTS = List.of(Path.of("/sys/kernel/tracing"),
            Path.of("/sys/kernel/debug/tracing"));

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
        return parse(text, TRACEFS_ROOTS);
    }

    static PerfEventSpec parse(String text, List<Path> tracefsRoots) {
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
        return tracepoint(name, tracefsRoots);
    }

    /** The tracepoint's id from the first tracefs root that has it; "not found" names the roots tried. */
    static PerfEventSpec tracepoint(String name, List<Path> roots) {
        int colon = name.indexOf(':');
        String category = name.substring(0, colon);
        String event = name.substring(colon + 1);
        for (Path root : roots) {
            Path id = root.resolve("events").resolve(category).resolve(event).resolve("id");
            try {
                long config = Long.parseLong(Files.readString(id).strip());
                return new PerfEventSpec(name, PerfEvent.Kind.TRACEPOINT, PerfEvent.Type.TRACEPOINT, config, null);
            } catch (IOException | NumberFormatException e) {
                // not under this root (tracefs not mounted there, no such event, or not readable): try the next
            }
        }
        for (Path root : roots) {
            if (Files.isDirectory(root.resolve("events"))) {
                // tracefs is mounted and readable here: a name it does not list is a typo, not a host limit.
                throw new IllegalArgumentException("unknown tracepoint '" + name + "': not in " + root.resolve("events")
                        + " (the names are in " + root.resolve("available_events") + ")");
            }
        }
        String tried = String.join(" or ", roots.stream().map(r -> r.resolve("events").toString()).toList());
        return new PerfEventSpec(name, PerfEvent.Kind.TRACEPOINT, PerfEvent.Type.TRACEPOINT, -1,
                "tracepoint " + name + " not found: tracefs is not mounted (no " + tried
                        + "); as root: mount -t tracefs nodev /sys/kernel/tracing");
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
