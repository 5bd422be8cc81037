package io.ctxprobe.probes.switching;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * /proc/self/task/TID/status, the two lines a switch probe needs: {@code voluntary_ctxt_switches}
 * and {@code nonvoluntary_ctxt_switches}, the kernel's per-thread nvcsw/nivcsw (what
 * getrusage(RUSAGE_THREAD) returns, but readable for any thread of this process by tid). One reader,
 * one pure parser tested on fixture text.
 */
final class ProcTaskStatus {

    /** The source name reports carry: a template, so it is the same in every run. */
    static final String SOURCE = "procfs:/proc/self/task/<tid>/status";
    private static final Path TASKS = Path.of("/proc/self/task");

    private ProcTaskStatus() {}

    /** A thread's switch counts at one moment; {@link #minus} gives the delta over a window. */
    record Switches(long voluntary, long involuntary) {
        Switches minus(Switches before) {
            return new Switches(voluntary - before.voluntary, involuntary - before.involuntary);
        }
    }

    static Switches read(int tid) {
        Path file = TASKS.resolve(Integer.toString(tid)).resolve("status");
        try {
            return parse(Files.readAllLines(file));
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Waits until kernel thread {@code tid} of this process has exited. Thread.join returns once the
     * Java thread is done, a moment before its kernel thread leaves /proc/self/task; a probe that
     * promises to leave no thread behind waits for that too. Throws if it is still there after
     * {@code timeoutMs}.
     */
    static void awaitExited(int tid, long timeoutMs) {
        if (tid <= 0) return;   // never started
        Path task = TASKS.resolve(Integer.toString(tid));
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (Files.exists(task)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("kernel thread " + tid + " still exists " + timeoutMs + " ms after its join");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(100_000);
        }
    }

    /** Both counts from the lines of a status file; a missing or malformed line is an error naming it. */
    static Switches parse(List<String> lines) {
        return new Switches(field(lines, "voluntary_ctxt_switches"), field(lines, "nonvoluntary_ctxt_switches"));
    }

    private static long field(List<String> lines, String name) {
        String prefix = name + ":";
        for (String line : lines) {
            if (line.startsWith(prefix)) {
                String value = line.substring(prefix.length()).strip();
                try {
                    return Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + name + "' is not a number: '" + value + "'");
                }
            }
        }
        throw new IllegalArgumentException("no '" + name + "' line");
    }
}
