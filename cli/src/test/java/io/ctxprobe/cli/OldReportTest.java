package io.ctxprobe.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ctxprobe.cli.RunCommandTest.Outcome;
import io.ctxprobe.report.JsonReports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A ctxprobe-report/1 report (a real one: this project's quick run on a Zen 4 KVM guest at commit
 * 8ad3fa7, trimmed to the switch, syscall and tlb.switch cases) is still shown and written as files;
 * compare converts it, saying so, or refuses one it cannot compare with exit 2 and says why.
 */
class OldReportTest {

    @TempDir
    Path dir;

    private static final String V1 = SummaryViewTest.SAMPLE_V1.toString();

    @Test
    void showReadsIt() {
        Outcome summary = RunCommandTest.cli("show", V1);
        assertEquals(0, summary.code(), summary.err());
        assertTrue(summary.out().contains("switch cost ladder") && summary.out().contains("(ctxprobe-report/1)"), summary.out());
        Outcome details = RunCommandTest.cli("show", V1, "--details");
        assertEquals(0, details.code(), details.err());
        assertTrue(details.out().contains("p5-p95") && details.out().contains("tlb.switch      explanation"), details.out());
    }

    @Test
    void reportWritesItsFiles() throws Exception {
        Path md = dir.resolve("v1.md");
        Outcome r = RunCommandTest.cli("report", V1, "--md", md.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(md).contains("### Cost ladder"));
    }

    @Test
    void compareConvertsItAndSaysSo() {
        Outcome r = RunCommandTest.cli("compare", V1, V1);
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("is ctxprobe-report/1: converted to ctxprobe-report/2"), r.err());
        assertTrue(r.out().contains("no regression beyond 10%"), r.out());
    }

    @Test
    void compareRefusesOneWithNothingToCompare() throws Exception {
        ObjectNode root = (ObjectNode) JsonReports.mapper().readTree(Path.of(V1).toFile());
        for (var c : (ArrayNode) root.get("results")) {
            ((ObjectNode) c).remove("samples");
        }
        Path bare = dir.resolve("bare-v1.json");
        Files.writeString(bare, JsonReports.mapper().writeValueAsString(root));
        Outcome r = RunCommandTest.cli("compare", bare.toString(), V1);
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("ctxprobe-report/1 report without batch samples"), r.err());
    }
}
