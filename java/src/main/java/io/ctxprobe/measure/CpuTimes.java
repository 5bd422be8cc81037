package io.ctxprobe.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The machine-wide "cpu" line of {@code /proc/stat}, in clock ticks (USER_HZ, often 100 a second): all
 * the time every CPU accounted, and the part of it the hypervisor gave to someone else (steal). Ticks
 * are far too coarse for a 100 ms case, so this serves only a run-level steal figure; per-case
 * interference comes from each thread's {@link SchedStat}.
 *
 * @param totalTicks user + nice + system + idle + iowait + irq + softirq + steal (guest time is
 *                   already inside user and nice)
 * @param idleTicks  idle + iowait: time the CPU(s) had nothing to run
 * @param stealTicks the eighth field; 0 on kernels or hosts that do not report it
 */
public record CpuTimes(long totalTicks, long idleTicks, long stealTicks) {

    public static final String SOURCE = "procfs:/proc/stat (cpu line, clock ticks)";

    /** Now, from the live /proc/stat; empty if it cannot be read. */
    public static Optional<CpuTimes> read() {
        try {
            return Optional.of(parse(Files.readAllLines(Path.of("/proc/stat"))));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** One CPU's times now (its "cpuN" line); empty if unreadable. */
    public static Optional<CpuTimes> read(int cpu) {
        try {
            return Optional.of(parse(Files.readAllLines(Path.of("/proc/stat")), cpu));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** From the lines of /proc/stat: the first line starting "cpu " (the sum over CPUs). */
    public static CpuTimes parse(List<String> lines) {
        return parse(lines, "cpu");
    }

    /** One CPU's line ("cpu3 ...") of /proc/stat. */
    public static CpuTimes parse(List<String> lines, int cpu) {
        return parse(lines, "cpu" + cpu);
    }

    private static CpuTimes parse(List<String> lines, String label) {
        String prefix = label + " ";
        for (String line : lines) {
            if (!line.startsWith(prefix)) continue;
            String[] f = line.substring(prefix.length()).strip().split("\\s+");
            if (f.length < 4) throw new IllegalArgumentException("/proc/stat cpu line too short: '" + line + "'");
            long total = 0;
            long[] v = new long[Math.min(f.length, 8)];
            try {
                for (int i = 0; i < v.length; i++) {
                    v[i] = Long.parseLong(f[i]);
                    total += v[i];
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("/proc/stat cpu line has a non-number: '" + line + "'", e);
            }
            return new CpuTimes(total, v[3] + (v.length > 4 ? v[4] : 0), v.length >= 8 ? v[7] : 0);
        }
        throw new IllegalArgumentException("/proc/stat has no '" + label + "' line");
    }

    public CpuTimes minus(CpuTimes before) {
        return new CpuTimes(totalTicks - before.totalTicks, idleTicks - before.idleTicks, stealTicks - before.stealTicks);
    }

    /** Steal as a share of all accounted time, or null when no time was accounted. */
    public Double stealShare() {
        return totalTicks > 0 ? (double) stealTicks / totalTicks : null;
    }
}
