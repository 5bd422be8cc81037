package io.ctxprobe.report.format;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.ctxprobe.report.FleetFailure;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fleet view's HTML, Markdown and CSV from the same made-up fleet and one unreachable host. */
class FleetFormatsTest {

    private static final FleetFailure UNREACHABLE = FleetFailure.of("echo", "10.200.4.2", "unreachable",
            "ssh: connect to host 10.200.4.2 port 22: Connection refused");

    private static FleetView view() {
        return FleetView.of(FleetViewTest.fleet(), List.of(UNREACHABLE));
    }

    @Test
    void thePageListsEveryHostKeyTheGroupsTheOutlierAndTheUnreachableHost() {
        String html = FleetReport.renderHtml(view());
        assertTrue(html.startsWith("<!DOCTYPE html>") && html.contains("Content-Security-Policy"), "self-contained, like the report");
        for (int i = 1; i <= 4; i++) assertTrue(html.contains("a00000000000000" + i), "host key " + i);
        assertTrue(html.contains("4 hosts measured (4 host keys, 2 groups) · 1 not measured"));
        assertTrue(html.contains("group B: PTI on, no PCID; mitigations=auto"), "the group heading names the differing fact");
        assertEquals(1, count(html, "class=\"num outlier high\""), "delta's system call, and nothing else");
        assertTrue(html.contains("explained by mitigations: PTI on, no PCID"));
        assertTrue(html.contains("Connection refused") && html.contains(">unreachable<"));
        assertFalse(html.contains("<script src") || html.contains("href=\"http"), "loads nothing");
    }

    @Test
    void theMarkdownHasTheSameParts() {
        String md = FleetReport.renderMarkdown(view());
        assertTrue(md.startsWith("## ctxprobe fleet — 4 hosts measured"), md);
        assertTrue(md.contains("**Facts that differ across the fleet:** mitigations"));
        assertTrue(md.contains("| echo | 10.200.4.2 | **unreachable** |"));
        assertTrue(md.contains("▲ x2.45**"), "delta's outlier, marked: " + md);
        assertTrue(md.contains("- **delta** syscall.null/c-loop: "), md);
    }

    @Test
    void theCsvHasARowPerHostAndFigureAndOneForTheUnreachableHost() throws Exception {
        String csv = FleetCsv.render(view());
        List<Map<String, String>> rows;
        try (MappingIterator<Map<String, String>> it = new CsvMapper().readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(csv)) {
            rows = it.readAll();
        }
        assertEquals(FleetCsv.COLUMNS, List.copyOf(rows.getFirst().keySet()));
        assertEquals(4 * 3 + 1 + 1, rows.size(), "three figures on four hosts, thread.create on one, and the unreachable host");
        Map<String, String> odd = rows.stream().filter(r -> r.get("hostname").equals("delta") && r.get("figure").equals("syscall.null/c-loop"))
                .findFirst().orElseThrow();
        assertEquals("high", odd.get("outlier"));
        assertEquals("yes", odd.get("headline"));
        assertTrue(odd.get("explained_by").startsWith("mitigations: PTI on"));
        assertEquals("PTI on, no PCID; mitigations=auto", odd.get("mitigations"));
        Map<String, String> echo = rows.getLast();
        assertEquals(List.of("", "echo", "unreachable", "10.200.4.2"),
                List.of(echo.get("host_key"), echo.get("hostname"), echo.get("status"), echo.get("address")));
        assertEquals("", rows.getFirst().get("outlier"), "absent is empty");
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) n++;
        return n;
    }
}
