package io.ctxprobe.perf;

import io.ctxprobe.host.CommandOutput;
import io.ctxprobe.host.FileText;
import io.ctxprobe.host.HostFiles;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The formats (ids and field offsets) of named tracepoints, read without changing the host's mounts.
 * <ol>
 * <li>Where tracefs is mounted ({@link PerfEventSpec#TRACEFS_ROOTS}), its files are read directly.</li>
 * <li>Otherwise a short-lived child ({@code unshare --mount --propagation private}, util-linux) mounts
 *     tracefs in a private mount namespace of its own, prints the format files and exits: the mount
 *     lives and dies with that namespace and is never seen by the host (needs CAP_SYS_ADMIN, i.e.
 *     root). perf_event_open itself needs only the id, never a mounted tracefs.</li>
 * </ol>
 * Tracefs is never mounted on the host itself, and nothing is written there (no {@code enable}, no
 * {@code filter} file: filters go to the perf fd with PERF_EVENT_IOC_SET_FILTER).
 */
public final class Tracefs {

    /** Where the child mounts tracefs inside its own namespace (it exists wherever tracefs is built in). */
    static final String PRIVATE_MOUNT_POINT = "/sys/kernel/tracing";
    static final String MARKER = "==> ctxprobe tracepoint ";
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]+:[A-Za-z0-9_]+");

    /**
     * The formats found (by {@code category:name}) and, for each name not found, why; {@code source}
     * says where they came from (a mounted root, or the private namespace).
     */
    public record Lookup(Map<String, TracepointFormat> formats, Map<String, String> missing, String source) {
        public Lookup {
            formats = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(formats));
            missing = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(missing));
        }

        public boolean complete() {
            return missing.isEmpty();
        }

        public TracepointFormat get(String name) {
            TracepointFormat f = formats.get(name);
            if (f == null) throw new IllegalStateException("tracepoint " + name + " not looked up: " + missing.get(name));
            return f;
        }

        /** "tlb:tlb_flush: <why>; ..." for a skip reason. */
        public String missingText() {
            List<String> parts = new ArrayList<>();
            missing.forEach((n, why) -> parts.add(n + ": " + why));
            return String.join("; ", parts);
        }
    }

    private Tracefs() {}

    /** The live host: mounted tracefs first, else the private namespace child. */
    public static Lookup lookup(List<String> names) {
        names.forEach(Tracefs::checkName);
        Lookup mounted = fromMounted(names, HostFiles.live());
        if (mounted != null) return mounted;
        return fromPrivateNamespace(names);
    }

    /** From a mounted root under {@code files}; null when no root has an {@code events} directory. */
    static Lookup fromMounted(List<String> names, HostFiles files) {
        for (String root : PerfEventSpec.TRACEFS_ROOTS) {
            if (!files.exists(root + "/events")) continue;
            Map<String, TracepointFormat> found = new LinkedHashMap<>();
            Map<String, String> missing = new LinkedHashMap<>();
            for (String name : names) {
                FileText text = files.read(root + "/events/" + name.replace(':', '/') + "/format");
                if (!text.ok()) {
                    missing.put(name, text.error());
                    continue;
                }
                try {
                    found.put(name, TracepointFormat.parse(text.lines()));
                } catch (IllegalArgumentException e) {
                    missing.put(name, e.getMessage());
                }
            }
            return new Lookup(found, missing, "tracefs mounted at " + root);
        }
        return null;
    }

    /** The child: unshare, mount tracefs in its namespace, print every format file between markers. */
    static Lookup fromPrivateNamespace(List<String> names) {
        CommandOutput out = CommandOutput.runSystem(CHILD_TIMEOUT, "unshare", "--mount", "--propagation", "private",
                "/bin/sh", "-c", childScript(names));
        String source = "tracefs mounted in a private mount namespace of a short-lived child (unshare --mount);"
                + " the host's mounts unchanged";
        if (out.error() != null) {
            Map<String, String> missing = new LinkedHashMap<>();
            String why = "tracefs is not mounted and could not be mounted in a private namespace (" + out.error()
                    + "): needs root (CAP_SYS_ADMIN) and util-linux unshare; or mount it yourself: "
                    + "mount -t tracefs nodev /sys/kernel/tracing";
            names.forEach(n -> missing.put(n, why));
            return new Lookup(Map.of(), missing, source);
        }
        return parseDump(names, out.lines(), source);
    }

    /** The shell script the child runs: names are checked against [A-Za-z0-9_:] before they get here. */
    static String childScript(List<String> names) {
        StringBuilder s = new StringBuilder("PATH=/usr/sbin:/usr/bin:/sbin:/bin; mount -t tracefs nodev ")
                .append(PRIVATE_MOUNT_POINT).append(" || exit 1");
        for (String name : names) {
            checkName(name);
            s.append("; echo '").append(MARKER).append(name).append("'; cat ").append(PRIVATE_MOUNT_POINT)
                    .append("/events/").append(name.replace(':', '/')).append("/format 2>&1");
        }
        return s.toString();
    }

    /**
     * Pure: the child's output, one block per name after its marker line. A block that is not a
     * format file (cat's "No such file or directory") makes that name missing with the text.
     */
    static Lookup parseDump(List<String> names, List<String> lines, String source) {
        Map<String, List<String>> blocks = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : lines) {
            if (line.startsWith(MARKER)) {
                current = new ArrayList<>();
                blocks.put(line.substring(MARKER.length()).strip(), current);
            } else if (current != null) {
                current.add(line);
            }
        }
        Map<String, TracepointFormat> found = new LinkedHashMap<>();
        Map<String, String> missing = new LinkedHashMap<>();
        for (String name : names) {
            List<String> block = blocks.get(name);
            if (block == null) {
                missing.put(name, "no output for it from the tracefs child");
                continue;
            }
            try {
                found.put(name, TracepointFormat.parse(block));
            } catch (IllegalArgumentException e) {
                String first = block.isEmpty() ? "empty" : block.getFirst().strip();
                missing.put(name, "not in this kernel's tracefs (" + first + ")");
            }
        }
        return new Lookup(found, missing, source);
    }

    private static void checkName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("malformed tracepoint '" + name + "': expected category:name");
        }
    }
}
