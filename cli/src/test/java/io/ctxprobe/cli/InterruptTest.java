package io.ctxprobe.cli;

import io.ctxprobe.report.JsonReports;
import io.ctxprobe.report.Report;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run stopped by a signal while a thread and a forked child ping-pong: the child is gone, and the
 * run still ends with a valid, partial report.
 */
class InterruptTest {

    @TempDir
    Path dir;

    @Test
    void aSignalMidRunAbortsTheThreadsAndWritesAPartialReport() throws Exception {
        Path report = dir.resolve("partial.json");
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process cli = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "run", "process.switch", "--mechanism", "futex", "--placement", "same-core", "--quick",
                "--batches", "100000", "--json", report.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile()).start();
        try {
            Path tasks = Path.of("/proc", String.valueOf(cli.pid()), "task");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            List<Long> children = List.of();
            while (!threadNames(tasks).contains("ctxp-ping") || (children = childrenOf(cli.pid())).isEmpty()) {
                assertTrue(cli.isAlive() && System.nanoTime() < deadline, "the ping-pong never started");
                Thread.sleep(20);
            }
            cli.destroy();   // SIGTERM: the same shutdown path as Ctrl-C's SIGINT
            assertTrue(cli.waitFor(30, TimeUnit.SECONDS), "the run did not end after the signal");
            for (long child : children) {
                assertFalse(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false), "child " + child + " left running");
            }
        } finally {
            cli.destroyForcibly();
        }
        assertFalse(cli.isAlive());
        assertTrue(Files.exists(report), "partial report written");
        Report partial = JsonReports.read(report);
        assertTrue(partial.run().interrupted());
        assertTrue(partial.results().stream().allMatch(r -> r.reason() == null || !r.reason().isBlank()));
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
    }

    private static List<Long> childrenOf(long pid) {
        return ProcessHandle.of(pid).map(p -> p.children().map(ProcessHandle::pid).toList()).orElse(List.of());
    }

    private static List<String> threadNames(Path tasks) {
        try (Stream<Path> ids = Files.list(tasks)) {
            return ids.map(t -> {
                try {
                    return Files.readString(t.resolve("comm")).strip();
                } catch (Exception e) {
                    return "";
                }
            }).toList();
        } catch (Exception e) {
            return List.of();
        }
    }
}
