package io.ctxprobe.perf;

import io.ctxprobe.host.FileText;
import io.ctxprobe.host.HostFiles;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether this process may sample tracepoints on whole CPUs with raw data, and the formats of the
 * ones it needs: checked up front, so that a probe says why it cannot run instead of failing half
 * way. The kernel's rule (kernel/events/core.c, perf_trace_event_perm): raw tracepoint data needs
 * perf_event_paranoid -1 or CAP_PERFMON; a whole-CPU event needs paranoid 0 or CAP_PERFMON.
 */
public final class TracepointAccess {

    /** CAP_SYS_ADMIN and CAP_PERFMON bits of /proc/self/status CapEff (either allows both). */
    static final int CAP_SYS_ADMIN = 21;
    static final int CAP_PERFMON = 38;

    private static final Map<List<String>, Tracefs.Lookup> LOOKUPS = new ConcurrentHashMap<>();

    private TracepointAccess() {}

    /** Null when {@code names} can be sampled here, else the reason with the fix. */
    public static String unavailableReason(List<String> names) {
        String privilege = privilegeProblem(HostFiles.live());
        if (privilege != null) return privilege;
        Tracefs.Lookup lookup = lookup(names);
        return lookup.complete() ? null : lookup.missingText();
    }

    /** The formats, looked up once per set of names per JVM (the private-namespace child is not free). */
    public static Tracefs.Lookup lookup(List<String> names) {
        return LOOKUPS.computeIfAbsent(List.copyOf(names), Tracefs::lookup);
    }

    /** Null when this process may open raw tracepoint samples on a whole CPU; else why not. */
    static String privilegeProblem(HostFiles files) {
        OptionalInt paranoid = PerfAvailability.readParanoid(files);
        long capEff = capEff(files.read("/proc/self/status"));
        return privilegeProblem(paranoid, capEff);
    }

    /** Pure: from perf_event_paranoid and the effective capability mask (-1: unknown). */
    static String privilegeProblem(OptionalInt paranoid, long capEff) {
        boolean capable = capEff >= 0 && ((capEff >>> CAP_PERFMON & 1) == 1 || (capEff >>> CAP_SYS_ADMIN & 1) == 1);
        if (capable) return null;
        if (paranoid.isPresent() && paranoid.getAsInt() <= -1) return null;
        return String.format(Locale.ROOT, "tracepoint sampling with raw data on whole CPUs needs root or CAP_PERFMON"
                + " (this process has neither; perf_event_paranoid=%s refuses raw tracepoint data to others):"
                + " run as root, or sysctl kernel.perf_event_paranoid=-1",
                paranoid.isPresent() ? String.valueOf(paranoid.getAsInt()) : "unknown");
    }

    /** Pure: the CapEff hex mask from /proc/self/status, -1 when absent. */
    static long capEff(FileText status) {
        if (!status.ok()) return -1;
        for (String line : status.lines()) {
            if (line.startsWith("CapEff:")) {
                try {
                    return Long.parseUnsignedLong(line.substring(7).strip(), 16);
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }
}
