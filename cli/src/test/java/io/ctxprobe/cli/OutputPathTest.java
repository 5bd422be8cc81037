package io.ctxprobe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ctxprobe.cli.RunCommandTest.Outcome;
import io.ctxprobe.linux.Unistd;
import io.ctxprobe.report.JsonReports;
import io.ctxprobe.report.Report;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * --json onto every kind of path, through the real CLI: devices and FIFOs are written through and
 * stay what they were, a symlink keeps pointing at the report it leads to, '-' is stdout only, and a
 * path that cannot hold a report is refused before any probe runs. Nodes are made in a temporary
 * directory; the real /dev is never touched.
 */
class OutputPathTest {
    private static final int S_IFMT = 0170000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFIFO = 0010000;

    @TempDir
    Path dir;

    /** One short, real run with the report going to {@code json}. */
    private static Outcome runTo(String json) {
        return RunCommandTest.cli("run", "fiber.switch", "--quick", "--batches", "3", "--json", json);
    }

    @Test
    void aCharacterDeviceStaysACharacterDevice() throws Exception {
        assumeTrue(Unistd.geteuid() == 0, "mknod needs root (CI runs as root)");
        Path dev = dir.resolve("null");
        shell("mknod", dev.toString(), "c", "1", "3"); // /dev/null's numbers: what is written is discarded
        Outcome r = runTo(dev.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(S_IFCHR, type(dev), "--json onto a device wrote through it, never renamed over it");
    }

    @Test
    void aFifoReceivesTheReport() throws Exception {
        Path fifo = dir.resolve("fifo");
        shell("mkfifo", fifo.toString());
        CompletableFuture<String> read = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = Files.newInputStream(fifo)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Outcome r = runTo(fifo.toString());
        assertEquals(0, r.code(), r.err());
        Report report = JsonReports.mapper().readValue(read.get(60, TimeUnit.SECONDS), Report.class);
        assertFalse(report.results().isEmpty());
        assertEquals(S_IFIFO, type(fifo));
    }

    @Test
    void aSymlinkedReportKeepsTheLinkAndReplacesItsTargetKeepingTheMode() throws Exception {
        Path real = Files.writeString(dir.resolve("kept.json"), "old");
        Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rw-r-----"));
        Path link = Files.createSymbolicLink(dir.resolve("latest.json"), real);
        Outcome r = runTo(link.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isSymbolicLink(link));
        assertEquals(real, Files.readSymbolicLink(link));
        assertFalse(JsonReports.read(real).results().isEmpty());
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(real)));
    }

    @Test
    void aDashPutsTheJsonOnStdoutOnly() throws Exception {
        Outcome r = runTo("-");
        assertEquals(0, r.code(), r.err());
        Report report = JsonReports.mapper().readValue(r.out(), Report.class); // the whole of stdout is the report
        assertFalse(report.results().isEmpty());
        assertTrue(r.err().contains("cases: "), "the summary went to stderr");
        assertFalse(Files.exists(Path.of("-")), "no file named '-'");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "directory, is a directory",
            "socket, is a socket",
            "under-a-file, is not a directory",
            "dangling-symlink, symlink to nothing",
            "empty, names no file"})
    void whatCannotHoldAReportIsRefusedBeforeAnyProbeRuns(String kind, String reason) throws Exception {
        String path = switch (kind) {
            case "directory" -> Files.createDirectory(dir.resolve("d")).toString();
            case "socket" -> socket(dir.resolve("s")).toString();
            case "under-a-file" -> Files.writeString(dir.resolve("f"), "x").resolve("r.json").toString();
            case "dangling-symlink" -> Files.createSymbolicLink(dir.resolve("l"), dir.resolve("none/r.json")).toString();
            case "empty" -> "";
            default -> throw new IllegalArgumentException(kind);
        };
        try (Stream<Path> before = Files.list(dir)) {
            long entries = before.count();
            Outcome r = runTo(path);
            assertEquals(2, r.code(), r.err());
            assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
            assertTrue(r.err().contains("--json") && r.err().contains(reason), r.err());
            assertEquals("", r.out(), "refused before anything ran or printed");
            try (Stream<Path> after = Files.list(dir)) {
                assertEquals(entries, after.count(), "nothing written");
            }
        }
    }

    private static Path socket(Path path) throws Exception {
        var server = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX);
        server.bind(java.net.UnixDomainSocketAddress.of(path));
        server.close(); // the socket file stays on disk after close
        return path;
    }

    private static int type(Path p) throws Exception {
        return (int) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & S_IFMT;
    }

    private static void shell(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", command) + ": " + out);
    }
}
