package io.ctxprobe.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The live host: invariants only, true on any Linux host. */
class LiveHostTest {

    @Test
    void collectsWithoutNativeLibrary() throws IOException {
        HostFacts f = new HostFactsCollector(Path.of("/"), NativeFacts.NONE).collect();
        CpuTopology t = f.topology();
        assertFalse(t.cpus().isEmpty(), "at least one allowed CPU");

        Map<Integer, Integer> seen = new HashMap<>();
        for (List<Integer> set : t.siblingSets()) {
            set.forEach(c -> seen.merge(c, 1, Integer::sum));
        }
        for (LogicalCpu c : t.cpus()) {
            assertEquals(1, seen.getOrDefault(c.cpu(), 0), "CPU " + c.cpu() + " in exactly one sibling set");
        }
        assertEquals(t.cpus().size(), seen.size(), "sibling sets hold only allowed CPUs");
        assertTrue(t.physicalCores() >= 1);
        assertTrue(t.packages() >= 1);
        assertTrue(t.numaNodes() >= 1);

        assertTrue(f.hostKey().matches("[0-9a-f]{16}"), f.hostKey());
        HostFacts again = new HostFactsCollector(Path.of("/"), NativeFacts.NONE).collect();
        assertEquals(f.hostKey(), again.hostKey(), "stable across collections");

        assertEquals(11, f.sections().size());
        for (FactSection s : f.sections()) {
            for (Fact x : s.facts()) {
                assertTrue(x.available() ? x.value() != null : x.value() == null, x.toString());
                assertFalse(x.source() == null || x.source().isEmpty(), x.toString());
            }
        }
        String text = HostFactsText.render(f);
        assertTrue(text.contains("summary"));
        Path out = Path.of("target", "host-live.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, text);
    }
}
