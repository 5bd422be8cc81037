package io.ctxprobe.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** PerfEventAttr's layout against offsetof() from the system's linux/perf_event.h. */
class PerfEventAttrLayoutTest {
    private static final Path SOURCE = Path.of("src/test/c/perf_attr_offsets.c");

    @Test
    void layoutMatchesTheSystemHeaders() throws Exception {
        List<String> lines = runOffsetPrinter();
        int checkedFields = 0;
        int checkedBits = 0;
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            switch (f[0]) {
                case "sizeof" -> {
                    long cSize = Long.parseLong(f[1]);
                    // Headers older than VER8 (Debian 12: 128) describe a prefix of our 136 bytes.
                    assertTrue(cSize == PerfEventAttr.SIZE || cSize == 128,
                            "sizeof(struct perf_event_attr) = " + cSize);
                }
                case "field" -> {
                    assertEquals(Long.parseLong(f[2]), PerfEventAttr.offsetOf(f[1]), "offsetof " + f[1]);
                    assertEquals(Long.parseLong(f[3]), PerfEventAttr.LAYOUT.select(
                            java.lang.foreign.MemoryLayout.PathElement.groupElement(f[1])).byteSize(), "sizeof " + f[1]);
                    checkedFields++;
                }
                case "bit" -> {
                    long mask = PerfEventAttr.class.getField(f[1].toUpperCase(Locale.ROOT)).getLong(null);
                    assertEquals(1L << Integer.parseInt(f[2]), mask, "flag bit " + f[1]);
                    checkedBits++;
                }
                default -> throw new AssertionError("unexpected line from the C printer: " + line);
            }
        }
        assertTrue(checkedFields >= 20, "only " + checkedFields + " fields compared");
        assertTrue(checkedBits >= 27, "only " + checkedBits + " flag bits compared");
        assertEquals(136, PerfEventAttr.SIZE);
        assertEquals(40, PerfEventAttr.offsetOf("flags"));
        assertEquals(128, PerfEventAttr.offsetOf("config3"));
    }

    private static List<String> runOffsetPrinter() throws IOException, InterruptedException {
        Path dir = Files.createDirectories(Path.of("target", "test-c"));
        Path exe = dir.resolve("perf_attr_offsets");
        run(List.of("gcc", "-Wall", "-Werror", "-o", exe.toString(), SOURCE.toString()));
        return run(List.of(exe.toString()));
    }

    private static List<String> run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", cmd) + " did not finish");
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + " failed:\n" + out);
        return out.lines().toList();
    }
}
