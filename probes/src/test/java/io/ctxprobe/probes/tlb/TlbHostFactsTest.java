package io.ctxprobe.probes.tlb;

import io.ctxprobe.host.FileText;
import io.ctxprobe.host.HostFiles;
import io.ctxprobe.host.HostPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /proc/sys/vm/nr_hugepages on fixture text: a number, empty, garbled, unreadable, and under a redirected root. */
class TlbHostFactsTest {

    private static FileText text(String... lines) {
        return new FileText(HostPaths.NR_HUGEPAGES, List.of(lines), null);
    }

    @Test
    void nrHugepagesWordsEveryShapeOfTheFile() {
        assertEquals("/proc/sys/vm/nr_hugepages = 0", TlbHostFacts.nrHugepagesText(text("0")));
        assertEquals("/proc/sys/vm/nr_hugepages = 128", TlbHostFacts.nrHugepagesText(text("128  ")));
        assertEquals("/proc/sys/vm/nr_hugepages is empty", TlbHostFacts.nrHugepagesText(text()));
        assertEquals("/proc/sys/vm/nr_hugepages is empty", TlbHostFacts.nrHugepagesText(text("")));
        assertEquals("/proc/sys/vm/nr_hugepages is not a number: '1x'", TlbHostFacts.nrHugepagesText(text("1x")));
        assertEquals("/proc/sys/vm/nr_hugepages unreadable (no /proc/sys/vm/nr_hugepages)", TlbHostFacts.nrHugepagesText(
                new FileText(HostPaths.NR_HUGEPAGES, List.of(), "no /proc/sys/vm/nr_hugepages")));
    }

    @Test
    void readUnderTheHostRoot(@TempDir Path root) throws IOException {
        assertTrue(TlbHostFacts.nrHugepagesText(new HostFiles(root).read(HostPaths.NR_HUGEPAGES)).contains("unreadable"));
        Files.createDirectories(root.resolve("proc/sys/vm"));
        Files.writeString(root.resolve("proc/sys/vm/nr_hugepages"), "16\n");
        assertEquals("/proc/sys/vm/nr_hugepages = 16",
                TlbHostFacts.nrHugepagesText(new HostFiles(root).read(HostPaths.NR_HUGEPAGES)));
        assertTrue(TlbHostFacts.nrHugepages().startsWith("/proc/sys/vm/nr_hugepages"));
    }
}
