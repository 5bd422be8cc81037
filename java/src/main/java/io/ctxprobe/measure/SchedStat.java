package io.ctxprobe.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One thread's scheduling totals from {@code /proc/self/task/<tid>/schedstat}: three numbers, "time
 * on a CPU (ns), time runnable but waiting for a CPU (ns, run_delay), timeslices run". The second is
 * what another task (or the hypervisor's steal, seen from inside a guest as a busy vCPU) took from a
 * thread that wanted to run. The file exists where the kernel has CONFIG_SCHED_INFO (schedstats or
 * delay accounting); elsewhere {@link #read} is empty and the figure is absent with that reason.
 */
public record SchedStat(long runNs, long runDelayNs, long timeslices) {

    /** The source reports name: a template, the same in every run. */
    public static final String SOURCE = "procfs:/proc/self/task/<tid>/schedstat";
    /** Why a figure is absent where the file is missing. */
    public static final String ABSENT = "no /proc/<pid>/task/<tid>/schedstat on this kernel (CONFIG_SCHED_INFO off)";

    private static final Path TASKS = Path.of("/proc/self/task");

    /** This process's thread {@code tid}, now; empty where the kernel keeps no schedstat (or the thread is gone). */
    public static Optional<SchedStat> read(int tid) {
        Path file = TASKS.resolve(Integer.toString(tid)).resolve("schedstat");
        try {
            return Optional.of(parse(Files.readString(file)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** The file's one line: "123456 7890 12\n". Anything else is an error naming what was wrong. */
    public static SchedStat parse(String text) {
        String[] fields = text.strip().split("\\s+");
        if (fields.length < 3 || fields[0].isEmpty()) {
            throw new IllegalArgumentException("schedstat needs 3 fields, got '" + text.strip() + "'");
        }
        try {
            return new SchedStat(Long.parseLong(fields[0]), Long.parseLong(fields[1]), Long.parseLong(fields[2]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("schedstat field is not a number: '" + text.strip() + "'", e);
        }
    }

    /** The change since {@code before}: what the thread did over a window. */
    public SchedStat minus(SchedStat before) {
        return new SchedStat(runNs - before.runNs, runDelayNs - before.runDelayNs, timeslices - before.timeslices);
    }
}
