package io.ctxprobe.cli;

import io.ctxprobe.report.CaseResult;
import io.ctxprobe.measure.Counter;
import io.ctxprobe.report.JsonReports;
import io.ctxprobe.report.Report;
import io.ctxprobe.report.Status;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The same-core futex round trip run as an unprivileged user (nobody, through setpriv): perf's
 * software events usually open for one's own threads at perf_event_paranoid 2; where they do not,
 * the getrusage fallback counts, and the report names the source either way. Needs root (to drop
 * to nobody) and setpriv; the class path is copied to a world-readable directory, since the build's
 * (~/.m2 under /root) is not readable by nobody.
 */
class UnprivilegedRunTest {

    static final Path SETPRIV = Path.of("/usr/bin/setpriv");

    @Test
    void aSameCoreRoundTripAsNobodySwitchesTwiceAndNamesItsSource() throws Exception {
        assumeTrue(Files.isExecutable(SETPRIV), "setpriv is absent: cannot drop to an unprivileged user");
        assumeTrue("root".equals(System.getProperty("user.name")), "not running as root: cannot drop to nobody with setpriv");
        Path dir = Files.createTempDirectory("ctxprobe-nobody");
        try {
            Path report = dir.resolve("out/report.json");
            Files.createDirectory(report.getParent());
            Files.setPosixFilePermissions(report.getParent(), PosixFilePermissions.fromString("rwxrwxrwx"));
            Run run = asNobody(dir, "run", "thread.switch", "--mechanism", "futex", "--placement", "same-core",
                    "--quick", "--batches", "3", "--json", report.toString());
            String text = run.output();
            assertEquals(0, run.exit(), text);

            Report written = JsonReports.read(report);
            CaseResult rt = written.results().stream().filter(c -> c.caseId().equals("futex/same-core")).findFirst()
                    .orElseThrow(() -> new AssertionError("no futex/same-core case: " + text));
            RunCommandTest.assertValid(rt);
            // The round trip's switch counts per round trip, summed over ping and pong, with their source.
            double perf = rt.counters().stream().filter(c -> c.event().equals("context-switches"))
                    .mapToDouble(Counter::perOp).sum();
            double rusage = rt.counters().stream()
                    .filter(c -> c.event().equals("voluntary-switches") || c.event().equals("involuntary-switches"))
                    .mapToDouble(Counter::perOp).sum();
            boolean perfCounted = rt.counters().stream().anyMatch(c -> c.event().equals("context-switches"));
            double switches = perfCounted ? perf : rusage;
            assertTrue(switches >= 2.0 - 1e-9, "switches per round trip " + switches + " (" + (perfCounted ? "perf" : "getrusage")
                    + "): " + rt.counters());
            assertTrue(rt.counters().stream().allMatch(c -> c.source() != null && !c.source().isBlank()), rt.counters().toString());
            if (!perfCounted) {
                assertTrue(rt.notes().stream().anyMatch(n -> n.contains("perf")), "the fallback names why perf is absent: " + rt.notes());
            }
            System.out.println("as nobody: " + String.format("%.3f", switches) + " switches per round trip from "
                    + (perfCounted ? "perf_event_open(software)" : "getrusage(RUSAGE_THREAD)"));
        } finally {
            deleteTree(dir);
        }
    }

    @Test
    void aReportDirectoryNobodyCannotWriteIsRefusedBeforeAnyProbeRuns() throws Exception {
        assumeTrue(Files.isExecutable(SETPRIV), "setpriv is absent: cannot drop to an unprivileged user");
        assumeTrue("root".equals(System.getProperty("user.name")), "not running as root: cannot drop to nobody with setpriv");
        Path dir = Files.createTempDirectory("ctxprobe-nobody");
        try {
            Path rootsOnly = Files.createDirectory(dir.resolve("roots-only"));
            Files.setPosixFilePermissions(rootsOnly, PosixFilePermissions.fromString("rwxr-xr-x"));
            Run run = asNobody(dir, "run", "fiber.switch", "--quick", "--json", rootsOnly.resolve("r.json").toString());
            assertEquals(2, run.exit(), run.output());
            assertTrue(run.output().contains("is not writable"), run.output());
            assertFalse(run.output().contains("fiber.switch"), "refused before any probe ran: " + run.output());
            assertFalse(Files.exists(rootsOnly.resolve("r.json")));
        } finally {
            deleteTree(dir);
        }
    }

    record Run(int exit, String output) {}

    /**
     * Runs the CLI as nobody from a copy of the class path in {@code dir} (made sticky and world
     * writable, as /tmp is, so nobody's JVM makes its own private native directory under it).
     */
    private static Run asNobody(Path dir, String... args) throws Exception {
        Process chmod = new ProcessBuilder("chmod", "1777", dir.toString()).inheritIO().start();
        assertEquals(0, chmod.waitFor());
        List<String> cp = new ArrayList<>();
        int i = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path src = Path.of(entry);
            if (!Files.exists(src)) continue;
            Path dst = dir.resolve("cp" + (i++) + (Files.isDirectory(src) ? "" : ".jar"));
            copyReadable(src, dst);
            cp.add(dst.toString());
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(SETPRIV.toString(), "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                java, "--enable-native-access=ALL-UNNAMED", "-Duser.home=" + dir, "-Djava.io.tmpdir=" + dir,
                "-Dctxprobe.native.dir.extract=" + dir.resolve("native"), "-cp", String.join(File.pathSeparator, cp),
                "io.ctxprobe.cli.Main"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child did not finish");
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private static void copyReadable(Path src, Path dst) throws IOException {
        if (!Files.isDirectory(src)) {
            Files.copy(src, dst, StandardCopyOption.COPY_ATTRIBUTES);
            Files.setPosixFilePermissions(dst, PosixFilePermissions.fromString("rw-r--r--"));
            return;
        }
        try (Stream<Path> walk = Files.walk(src)) {
            for (Path s : (Iterable<Path>) walk::iterator) {
                Path d = dst.resolve(src.relativize(s).toString());
                if (Files.isDirectory(s)) {
                    Files.createDirectories(d);
                    Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
                } else {
                    Files.copy(s, d, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(d, PosixFilePermissions.fromString(Files.isExecutable(s) ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
