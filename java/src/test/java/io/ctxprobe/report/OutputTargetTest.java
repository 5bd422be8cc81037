package io.ctxprobe.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What each kind of output path gets; every node is made in a temporary directory, never in /dev. */
class OutputTargetTest {
    @TempDir
    Path dir;

    @Test
    void aRegularFileIsReplacedAtomicallyKeepingItsModeAndNoTemporaryFile() throws Exception {
        Path file = dir.resolve("out/r.json");
        OutputTarget.check(file.toString()).write("old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        OutputTarget target = OutputTarget.check(file.toString());
        assertEquals(OutputTarget.Mode.REPLACE, target.mode());
        target.write("new");
        assertEquals("new", Files.readString(file));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList(), "no temporary file left");
        }
    }

    @Test
    void aSymlinkToARegularFileReplacesTheTargetAndKeepsTheLink() throws Exception {
        Path real = Files.writeString(dir.resolve("real.json"), "old");
        Path link = Files.createSymbolicLink(dir.resolve("link.json"), real);
        OutputTarget.check(link.toString()).write("new");
        assertTrue(Files.isSymbolicLink(link));
        assertEquals(real, Files.readSymbolicLink(link));
        assertEquals("new", Files.readString(real));
    }

    @Test
    void aCharacterDeviceIsWrittenThroughAndStaysADevice() throws Exception {
        Path dev = dir.resolve("null");
        // The node of /dev/null (1,3), made here: writing to it discards, as /dev/null does.
        NodeFixtures.mknod(dev, "c", 1, 3);
        OutputTarget target = OutputTarget.check(dev.toString());
        assertEquals(OutputTarget.Mode.WRITE_THROUGH, target.mode());
        target.write("discarded");
        assertEquals(NodeFixtures.S_IFCHR, NodeFixtures.type(dev), "still a character device");
    }

    @Test
    void aFifoReceivesTheTextAndStaysAFifo() throws Exception {
        Path fifo = NodeFixtures.mkfifo(dir.resolve("fifo"));
        CompletableFuture<String> read = NodeFixtures.readAll(fifo);
        OutputTarget.check(fifo.toString()).write("through the fifo");
        assertEquals("through the fifo", read.get(30, TimeUnit.SECONDS));
        assertEquals(NodeFixtures.S_IFIFO, NodeFixtures.type(fifo));
    }

    @Test
    void whatCannotHoldAReportIsRefusedWithOneLine() throws Exception {
        Path socket = dir.resolve("sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            assertRefused(socket.toString(), "is a socket");
        }
        assertRefused(dir.toString(), "is a directory");
        assertRefused("", "names no file");
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        assertRefused(file.resolve("r.json").toString(), "is not a directory");
        Path dangling = Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("nowhere/x.json"));
        assertRefused(dangling.toString(), "symlink to nothing");
        assertEquals("x", Files.readString(file), "nothing written");
    }

    @Test
    void aBlockDeviceIsNeverWritten() throws Exception {
        Path block = dir.resolve("disk");
        NodeFixtures.mknod(block, "b", 7, 200); // a loop device's numbers; the node is only looked at
        assertRefused(block.toString(), "block device");
        assertEquals(NodeFixtures.S_IFBLK, NodeFixtures.type(block));
    }

    @Test
    void aPathThatChangesKindAfterTheCheckIsAnError() throws Exception {
        Path file = dir.resolve("r.json");
        OutputTarget target = OutputTarget.check(file.toString());
        Files.createDirectory(file);
        assertThrows(IOException.class, () -> target.write("late"));
        assertTrue(Files.isDirectory(file));
    }

    @Test
    void aDashIsStandardOutput() {
        OutputTarget target = OutputTarget.check("-");
        assertTrue(target.isStdout());
        assertEquals("standard output", target.describe());
    }

    private static void assertRefused(String path, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OutputTarget.check(path));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }
}
