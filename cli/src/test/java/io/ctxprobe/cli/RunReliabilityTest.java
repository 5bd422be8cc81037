package io.ctxprobe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ctxprobe.RunLock;
import io.ctxprobe.cli.RunCommandTest.Outcome;
import io.ctxprobe.linux.Unistd;
import io.ctxprobe.report.JsonReports;
import io.ctxprobe.report.Report;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing is lost and nothing runs twice at once: a failing final write leaves the data at a printed
 * fallback path, lost stdout output is an error, a signal after the last probe still yields the
 * report, two runs serialize on the host lock, and input that would otherwise be accepted silently
 * (a bad probe setting, control characters) is refused or escaped.
 */
class RunReliabilityTest {
    @TempDir
    Path dir;

    @Test
    void aFailingFinalWriteLeavesTheReportAtAPrintedFallbackPath() throws Exception {
        assumeTrue(Unistd.geteuid() == 0, "mknod needs root (CI runs as root)");
        Path full = dir.resolve("full");
        run("mknod", full.toString(), "c", "1", "7"); // /dev/full's numbers: every write fails with ENOSPC
        // The library and the helper are extracted once per JVM under the home of that moment: do it
        // under the real home, or later runs in this JVM would look for the helper in this test's
        // deleted directory (their process.create cases then fail).
        io.ctxprobe.linux.NativeLibrary.helperPath();
        String home = System.getProperty("user.home");
        System.setProperty("user.home", dir.toString());
        try {
            Outcome r = RunCommandTest.cli("run", "fiber.switch", "--quick", "--batches", "3", "--json", full.toString());
            assertEquals(1, r.code(), r.err());
            Matcher saved = Pattern.compile("saved it to (\\S+)").matcher(r.err());
            assertTrue(saved.find(), r.err());
            Path fallback = Path.of(saved.group(1));
            assertTrue(fallback.startsWith(dir.resolve(".cache/ctxprobe/reports")), fallback.toString());
            assertFalse(JsonReports.read(fallback).results().isEmpty(), "the data is all there");
        } finally {
            System.setProperty("user.home", home);
        }
    }

    @Test
    void lostStandardOutputIsAnErrorNotSuccess() throws Exception {
        Process p = cliProcess(List.of(), "host", "--format", "json")
                .redirectOutput(new File("/dev/full")).redirectError(dir.resolve("err").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue(), Files.readString(dir.resolve("err")));
        assertTrue(Files.readString(dir.resolve("err")).contains("writing to standard output failed"));
    }

    @Test
    void aSignalAfterTheLastProbeStillYieldsTheCompleteReport() throws Exception {
        Path report = dir.resolve("r.json");
        Process p = cliProcess(List.of(), "run", "fiber.switch", "--quick", "--batches", "3", "--json", report.toString())
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("cases: ")) {
                // the summary follows the report's write: its case count means the last probe is done
            }
            p.destroy(); // SIGTERM, the same shutdown path as Ctrl-C, once the last probe reported
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        Report written = JsonReports.read(report);
        assertFalse(written.results().isEmpty(), "a complete report");
        assertFalse(written.run().interrupted(), "every probe had finished");
    }

    @Test
    void aSecondRunWaitsForTheFirstAndSaysSo() throws Exception {
        Path lockFile = dir.resolve("ctxprobe.lock");
        Process second;
        List<String> lines = new ArrayList<>();
        try (RunLock _ = RunLockAccess.take(lockFile)) {
            second = cliProcess(List.of("-D" + RunLock.FILE_PROPERTY + "=" + lockFile), "run", "fiber.switch", "--quick",
                    "--batches", "3", "--json", dir.resolve("second.json").toString()).redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(second.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
                if (line.contains("waiting for it")) break;
            }
            assertTrue(lines.getLast().contains("pid " + ProcessHandle.current().pid()), "names the holder: " + lines);
            assertFalse(Files.exists(dir.resolve("second.json")));
            // the first run ends here: the lock is released
            new Thread(() -> drain(out, lines)).start();
        }
        assertTrue(second.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, second.exitValue(), String.join("\n", lines));
        assertTrue(Files.exists(dir.resolve("second.json")));
    }

    @Test
    void aBadProbeSettingIsBadInputForList() {
        System.setProperty("ctxprobe.footprint.units", "many");
        try {
            Outcome r = RunCommandTest.cli("list");
            assertEquals(2, r.code(), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        } finally {
            System.clearProperty("ctxprobe.footprint.units");
        }
    }

    @Test
    void controlCharactersInInputAreEscapedNotEchoed() {
        Outcome r = RunCommandTest.cli("run", "no\u001b[31msuch");
        assertEquals(2, r.code());
        assertFalse(r.err().contains("\u001b"), "no raw escape reaches the terminal");
        assertTrue(r.err().contains("\\x1b"), r.err());
    }

    @Test
    void aJdkNamedOnPurposeIsUsedOrRefusedNeverReplaced() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sh", "../scripts/find-jdk.sh").redirectErrorStream(true);
        pb.environment().put("CTXPROBE_JAVA_HOME", dir.resolve("junk").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), out);
        assertTrue(out.contains("CTXPROBE_JAVA_HOME=" + dir.resolve("junk") + " is not a JDK"), out);
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /** The CLI in a child JVM on this test's class path. */
    private ProcessBuilder cliProcess(List<String> jvmOptions, String... args) {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).directory(dir.toFile());
    }

    private static void drain(BufferedReader out, List<String> lines) {
        try {
            String line;
            while ((line = out.readLine()) != null) {
                synchronized (lines) {
                    lines.add(line);
                }
            }
        } catch (java.io.IOException ignored) {
            // the process ended
        }
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", command) + ": " + out);
    }

    /** Takes the lock as a first run would (RunLock's path-taking acquire is package-private). */
    static final class RunLockAccess {
        static RunLock take(Path file) throws Exception {
            String old = System.getProperty(RunLock.FILE_PROPERTY);
            System.setProperty(RunLock.FILE_PROPERTY, file.toString());
            try {
                return RunLock.acquire(Duration.ZERO, s -> { });
            } finally {
                if (old == null) System.clearProperty(RunLock.FILE_PROPERTY);
                else System.setProperty(RunLock.FILE_PROPERTY, old);
            }
        }
    }
}
