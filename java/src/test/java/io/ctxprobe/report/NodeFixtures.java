package io.ctxprobe.report;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ctxprobe.linux.Unistd;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Device nodes and FIFOs made in a test's own directory (mknod needs root; CI runs as root). */
public final class NodeFixtures {
    private NodeFixtures() {}

    public static final int S_IFMT = 0170000;
    public static final int S_IFBLK = 0060000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFIFO = 0010000;

    public static void mknod(Path node, String kind, int major, int minor) throws Exception {
        assumeTrue(Unistd.geteuid() == 0, "mknod needs root (CI runs as root)");
        run("mknod", node.toString(), kind, String.valueOf(major), String.valueOf(minor));
    }

    public static Path mkfifo(Path fifo) throws Exception {
        run("mkfifo", fifo.toString());
        return fifo;
    }

    /** Reads {@code fifo} to its end on another thread (a FIFO's writer blocks until a reader opens it). */
    public static CompletableFuture<String> readAll(Path fifo) {
        return CompletableFuture.supplyAsync(() -> {
            try (InputStream in = Files.newInputStream(fifo)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    public static int type(Path p) throws IOException {
        return (int) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & S_IFMT;
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", command) + ": " + out);
    }
}
