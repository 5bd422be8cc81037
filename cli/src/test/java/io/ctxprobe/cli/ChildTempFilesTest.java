package io.ctxprobe.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nothing a child JVM writes survives an interrupted run: a `blocking` run is SIGTERMed while its
 * one-carrier child JVM records JFR, and afterwards the temporary directory holds no JFR file, no
 * JFR repository, no child output file and no run directory. The run's start sweeps run directories
 * of dead runs (planted here) and leaves a live run's, another user's and a symlink alone.
 */
class ChildTempFilesTest {

    /** A JFR repository: yyyy_MM_dd_HH_mm_ss_pid. */
    private static final Pattern JFR_REPOSITORY = Pattern.compile("\\d{4}(_\\d{2}){5}_\\d+");

    @TempDir
    Path dir;

    @Test
    void noChildJvmFileSurvivesASignalMidRun() throws Exception {
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        Path deadRun = Files.createDirectory(tmp.resolve("ctxprobe-run-" + unusedPid() + "-12345-00aa"));
        Files.writeString(deadRun.resolve("child-1.out"), "left by a SIGKILLed run");
        Path liveRun = Files.createDirectory(tmp.resolve("ctxprobe-run-" + ProcessHandle.current().pid() + "-"
                + startTicks(ProcessHandle.current().pid()) + "-00bb"));
        Path reusedPid = Files.createDirectory(tmp.resolve("ctxprobe-run-" + ProcessHandle.current().pid() + "-1-00cc"));
        Path link = Files.createSymbolicLink(tmp.resolve("ctxprobe-run-" + unusedPid() + "-1-00dd"), liveRun);

        String java = ProcessHandle.current().info().command().orElseThrow();
        Process cli = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Djava.io.tmpdir=" + tmp,
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "run", "blocking", "--quick",
                "--no-lock", "--json", dir.resolve("report.json").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!recording(tmp, cli.pid())) {
                assertTrue(cli.isAlive() && System.nanoTime() < deadline, "the child JVM never recorded: "
                        + Files.readString(dir.resolve("out.txt")));
                Thread.sleep(20);
            }
            assertFalse(Files.exists(deadRun), "the start-of-run sweep removed a dead run's directory");
            cli.destroy();   // SIGTERM: the shutdown path of Ctrl-C
            assertTrue(cli.waitFor(60, TimeUnit.SECONDS), "the run did not end after the signal");
        } finally {
            cli.destroyForcibly();
            cli.waitFor(30, TimeUnit.SECONDS);
        }
        assertEquals(List.of(), leftovers(tmp), "left in the temporary directory");
        assertTrue(Files.isDirectory(liveRun), "a live run's directory is kept");
        assertFalse(Files.exists(reusedPid), "a directory whose pid now names another process is a dead run's");
        assertTrue(Files.isSymbolicLink(link), "a symlink is neither followed nor removed");
    }

    /** The CLI's run directory holds a JFR repository or recording: the child JVM is recording. */
    private static boolean recording(Path tmp, long cliPid) throws IOException {
        try (Stream<Path> all = Files.walk(tmp)) {
            return all.anyMatch(p -> p.toString().contains("ctxprobe-run-" + cliPid + "-")
                    && (JFR_REPOSITORY.matcher(p.getFileName().toString()).matches() || p.toString().endsWith(".jfr")));
        } catch (java.io.UncheckedIOException e) {
            return false;   // a file went away while walking
        }
    }

    /** Anything a child JVM or the run itself would leave: run directories of this test's CLI, JFR, child output. */
    private static List<String> leftovers(Path tmp) throws IOException {
        try (Stream<Path> all = Files.walk(tmp)) {
            return all.filter(p -> !p.equals(tmp)).map(p -> tmp.relativize(p).toString())
                    .filter(name -> !name.startsWith("ctxprobe-run-" + ProcessHandle.current().pid() + "-"))
                    .filter(name -> !name.matches("ctxprobe-run-\\d+-1-00dd"))
                    .toList();
        }
    }

    private static long unusedPid() {
        long pid = 4_000_000;   // above pid_max's limit (2^22): never a live process
        return pid;
    }

    private static String startTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19];
    }
}
