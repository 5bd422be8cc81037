package io.ctxprobe.probes.childjvm;

import com.fasterxml.jackson.databind.SerializationFeature;
import io.ctxprobe.binding.Binding;
import io.ctxprobe.linux.CpuSet;
import io.ctxprobe.linux.NativeLibrary;
import io.ctxprobe.probe.Cleanup;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.report.JsonReports;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM whose virtual-thread scheduler has exactly one carrier (the scheduler's parallelism
 * is fixed at JVM start, so a one-carrier case needs its own JVM): the same java binary and class
 * path, native access, the plan on the command line, one JSON line back on stdout. Both halves live
 * here: {@link #run} in the probe, and the child's watchdog and argument parsing for its main class.
 * Java cannot give a child PR_SET_PDEATHSIG, so the child watches its parent and its deadline itself,
 * and the parent registers it with the run's Cleanup and always reaps it.
 *
 * <p>Files: its stdout/stderr files lie in the run's private temporary directory
 * ({@link Cleanup#tempDir()}), which is also the child's {@code java.io.tmpdir} (its JFR recordings and
 * JFR repository land there), so nothing it writes outlives the run, even a run that was killed:
 * the next run's sweep removes a dead run's directory. A JVM crash log goes to the parent's
 * temporary directory ({@code -XX:ErrorFile}), where a person can still read it, never the working
 * directory.
 */
public final class OneCarrierJvm {

    /** The child's exit status when its watchdog ended it. */
    static final int EXIT_DEADLINE = 3;
    /** A JVM start on a slow host, on top of the run's own deadline. */
    private static final long START_ALLOWANCE_MS = 60_000;
    private static final int STDERR_TAIL_CHARS = 1_500;

    private OneCarrierJvm() {}

    /** A child that exited non-zero: its pid and the tail of its stderr. */
    public static final class ChildFailed extends RuntimeException {
        private final long pid;

        ChildFailed(long pid, String message) {
            super(message);
            this.pid = pid;
        }

        public long pid() {
            return pid;
        }
    }

    /** What a child that exited 0 left: its pid and its report. */
    public record Outcome<T>(long pid, T report) {}

    /**
     * Runs {@code main} with {@code args} in a one-carrier child JVM and parses the last JSON line of
     * its stdout as {@code reportType}. The child is killed after {@code deadlineMs} (plus a start-up
     * allowance), on Ctrl-C through the Cleanup, and is always reaped; its files are deleted.
     */
    public static <T> Outcome<T> run(ProbeContext ctx, String what, Class<?> main, List<String> args, long deadlineMs,
                              Class<T> reportType) {
        Path out = null;
        Path err = null;
        Process child = null;
        try {
            Path runDir = ctx.cleanup().tempDir();
            out = Files.createTempFile(runDir, "child-", ".out");
            err = Files.createTempFile(runDir, "child-", ".err");
            // Files, not pipes: nothing has to drain the child while we wait for it.
            child = new ProcessBuilder(command(main, args, runDir)).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            Process p = child;
            int exit;
            try (Cleanup.Registration _ = ctx.cleanup().register(what + " child JVM " + p.pid(), p::destroyForcibly)) {
                if (!p.waitFor(deadlineMs + START_ALLOWANCE_MS, TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException("child JVM " + p.pid() + " passed its deadline; killed");
                }
                exit = p.exitValue();
            }
            if (exit != 0) {
                throw new ChildFailed(p.pid(), "child JVM exited with status " + exit
                        + (ctx.cleanup().stopped() ? " (interrupted)" : "") + ": " + tail(Files.readString(err)));
            }
            return new Outcome<>(p.pid(), lastJsonLine(Files.readAllLines(out), reportType));
        } catch (IOException e) {
            throw new UncheckedIOException(what + " child JVM: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the child JVM");
        } finally {
            reap(child);
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /**
     * Same java binary, same class path, native access, one carrier, the parent's native directory,
     * {@code tmpDir} as its temporary directory, a crash log in the parent's, then the main class and
     * its args.
     */
    static List<String> command(Class<?> main, List<String> args, Path tmpDir) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-Djdk.virtualThreadScheduler.parallelism=1", "-Djdk.virtualThreadScheduler.maxPoolSize=1",
                "-Djava.io.tmpdir=" + tmpDir,
                "-XX:ErrorFile=" + Path.of(System.getProperty("java.io.tmpdir"), "ctxprobe-hs_err_pid%p.log")));
        String nativeDir = System.getProperty(NativeLibrary.DIR_PROPERTY);
        if (nativeDir != null) cmd.add("-D" + NativeLibrary.DIR_PROPERTY + "=" + nativeDir);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(args);
        return cmd;
    }

    /** The last line that looks like JSON: a JVM may print warnings, but to stderr. */
    static <T> T lastJsonLine(List<String> stdout, Class<T> type) throws IOException {
        for (int i = stdout.size() - 1; i >= 0; i--) {
            String line = stdout.get(i).strip();
            if (line.startsWith("{")) return JsonReports.mapper().readValue(line, type);
        }
        throw new IOException("the child JVM printed no JSON line on stdout");
    }

    // ---- the child's side ----------------------------------------------------------------------------

    /** Ends this (child) JVM if the run passes its deadline or the parent JVM is gone. */
    static void startWatchdog(String who, long deadlineMs) {
        ProcessHandle parent = ProcessHandle.current().parent().orElse(null);
        long deadline = System.nanoTime() + deadlineMs * 1_000_000;
        Thread.ofPlatform().daemon().name("ctxp-child-watchdog").start(() -> {
            while (true) {
                if (System.nanoTime() > deadline || (parent != null && !parent.isAlive())) {
                    System.err.println(who + ": deadline passed or parent gone; exiting");
                    Runtime.getRuntime().halt(EXIT_DEADLINE);
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** What every one-carrier child main starts from: its arguments, its binding, the CPU it is pinned to. */
    record Child(Map<String, String> args, Binding binding, int cpu, long deadlineMs) {
        String need(String name) {
            return OneCarrierJvm.need(args, name);
        }
    }

    /** A child main's work: the report it prints as its one JSON line. */
    @FunctionalInterface
    interface ChildBody {
        Object run(Child child) throws Exception;
    }

    /**
     * The whole life of a child main: parse "--name value" arguments, start the deadline watchdog
     * (before the pin: it keeps the JVM's original affinity), pin the main thread (a platform thread,
     * before any virtual thread exists), run {@code body}, print its report as one JSON line on stdout
     * and exit 0; any failure goes to stderr with exit 1.
     */
    static void childMain(String what, String[] argv, ChildBody body) {
        int status;
        try {
            Map<String, String> a = args(argv);
            long deadlineMs = Long.parseLong(need(a, "deadline-ms"));
            startWatchdog(what, deadlineMs);
            Binding binding = Binding.named(need(a, "binding"));
            int cpu = Integer.parseInt(need(a, "cpu"));
            binding.setAffinity(0, CpuSet.of(cpu));
            Object report = body.run(new Child(a, binding, cpu, deadlineMs));
            System.out.println(JsonReports.mapper().writer().without(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(report));
            status = 0;
        } catch (Throwable t) {
            System.err.println(what + ": " + t);
            t.printStackTrace();
            status = 1;
        }
        System.out.flush();
        System.exit(status);
    }

    /** "--name value" pairs. */
    static Map<String, String> args(String[] args) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got '" + String.join(" ", args) + "'");
            }
            out.put(args[i].substring(2), args[i + 1]);
        }
        return out;
    }

    static String need(Map<String, String> args, String name) {
        String v = args.get(name);
        if (v == null) throw new IllegalArgumentException("missing --" + name);
        return v;
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    /** Kills the child if it still runs and waits for it, through interrupts: it is always reaped. */
    private static void reap(Process child) {
        if (child == null) return;
        boolean interrupted = false;
        child.destroyForcibly();   // no effect on a process already reaped
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (child.isAlive() && System.nanoTime() < deadline) {
            try {
                child.waitFor(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    private static String tail(String text) {
        String t = text.strip();
        return t.length() <= STDERR_TAIL_CHARS ? t : "..." + t.substring(t.length() - STDERR_TAIL_CHARS);
    }

    private static void deleteQuietly(Path file) {
        if (file == null) return;
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a temp file left behind is harmless; the measurement is what matters
        }
    }
}
