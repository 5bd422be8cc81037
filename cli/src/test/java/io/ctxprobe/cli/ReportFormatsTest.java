package io.ctxprobe.cli;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.ctxprobe.cli.RunCommandTest.Outcome;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.format.ReportView;
import io.ctxprobe.report.Derived;
import io.ctxprobe.report.Report;
import io.ctxprobe.report.format.HtmlReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every file format from one real run (RealRunFixture), and the same formats again from the saved
 * JSON by 'ctxprobe report', 'ctxprobe show', '-' for standard output, and output paths refused
 * before anything is measured.
 */
class ReportFormatsTest {

    @TempDir
    Path dir;

    @Test
    void theCsvHasOneRowPerCaseWithFlatColumns() throws Exception {
        RealRunFixture.Files4 run = RealRunFixture.get();
        CsvSchema header = CsvSchema.emptySchema().withHeader();
        List<Map<String, String>> rows;
        try (MappingIterator<Map<String, String>> it = new CsvMapper().readerForMapOf(String.class).with(header)
                .readValues(run.csv().toFile())) {
            rows = it.readAll();
        }
        List<CaseResult> cases = run.report().results();
        assertEquals(cases.size(), rows.size(), "one row per case");
        for (String column : List.of("host_key", "probe", "case", "status", "reason", "unit", "median", "p5", "p95", "min", "max",
                "mean", "mad", "n")) {
            assertTrue(rows.getFirst().containsKey(column), "column " + column);
        }
        for (int i = 0; i < cases.size(); i++) {
            CaseResult c = cases.get(i);
            Map<String, String> row = rows.get(i);
            assertEquals(c.probe(), row.get("probe"));
            assertEquals(c.caseId(), row.get("case"));
            assertEquals(c.status().label(), row.get("status"));
            assertEquals(run.report().host().hostKey(), row.get("host_key"));
            if (c.stats() != null) {
                assertEquals(c.stats().median(), Double.parseDouble(row.get("median")), 0.0, c.key());
                assertEquals(c.stats().n(), Integer.parseInt(row.get("n")), c.key());
            } else {
                assertEquals("", row.get("median"), c.key() + ": absent is empty, never 0");
            }
            c.params().forEach((k, v) -> assertEquals(v, row.get("param:" + k), c.key() + " param " + k));
            String derived = row.get("derived");
            assertEquals(c.derivedOrEmpty().size(), derived.isEmpty() ? 0 : derived.split("; ").length, c.key() + ": " + derived);
            for (Derived d : c.derivedOrEmpty()) assertTrue(derived.contains(d.label() + "="), c.key() + ": " + derived);
        }
        assertTrue(cases.stream().anyMatch(c -> !c.derivedOrEmpty().isEmpty()), "the real run has derived figures");
        assertTrue(rows.getFirst().keySet().stream().anyMatch(k -> k.endsWith("-switches/op")), "counters per op flattened");
    }

    @Test
    void theMarkdownReadsAsAPullRequestComment() throws Exception {
        RealRunFixture.Files4 run = RealRunFixture.get();
        String md = Files.readString(run.md());
        assertTrue(md.startsWith("## ctxprobe report"), md);
        assertTrue(md.contains("**Host:**") && md.contains("### Cost ladder") && md.contains("### The seed's claims")
                && md.contains("### Needs attention"), md);
        for (String probe : RealRunFixture.PROBES) assertTrue(md.contains("<b>" + probe + "</b>"), probe + " has its table");
        assertTrue(md.contains("| switches/op | derived |"), "a derived column beside each case");
        for (CaseResult c : run.report().results()) {
            for (Derived d : c.derivedOrEmpty()) assertTrue(md.contains(io.ctxprobe.report.format.Fmt.md(ReportView.derivedText(d))), c.key() + " " + d.label());
        }
    }

    @Test
    void theHtmlIsOneSelfContainedFile() throws Exception {
        RealRunFixture.Files4 run = RealRunFixture.get();
        String html = Files.readString(run.html());
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertTrue(html.contains("Content-Security-Policy"), "a policy that forbids fetching anything");
        for (String external : List.of("http:", "https:", "<script src", "<link rel=\"stylesheet\"", "url(", "@import")) {
            assertFalse(html.contains(external), "no external reference: " + external);
        }
        assertTrue(html.contains("data-chart=\"ladder-same-core\"") && html.contains("class=\"sortable cases\""));
    }

    @Test
    void reportMakesTheSameFilesFromTheSavedJson() throws Exception {
        RealRunFixture.Files4 run = RealRunFixture.get();
        Path csv = dir.resolve("again.csv");
        Path md = dir.resolve("again.md");
        Path html = dir.resolve("again.html");
        Outcome r = RunCommandTest.cli("report", run.json().toString(), "--csv", csv.toString(), "--md", md.toString(),
                "--html", html.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(Files.readString(run.csv()), Files.readString(csv), "the same report gives the same CSV");
        assertEquals(Files.readString(run.md()), Files.readString(md));
        assertEquals(Files.readString(run.html()), Files.readString(html), "deterministic HTML, charts included");
    }

    @Test
    void severalReportsMakeOnePageSideBySide() throws Exception {
        RealRunFixture.Files4 run = RealRunFixture.get();
        Path html = dir.resolve("two.html");
        Path md = dir.resolve("two.md");
        Path csv = dir.resolve("two.csv");
        Outcome r = RunCommandTest.cli("report", run.json().toString(), run.json().toString(), "--html", html.toString(),
                "--md", md.toString(), "--csv", csv.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(md).contains("2 reports, run by run"), "one host: run by run");
        assertTrue(Files.readString(html).contains("2 reports, run by run"));
        assertEquals(2 * run.report().results().size() + 1, Files.readAllLines(csv).stream()
                .filter(l -> l.startsWith(run.report().host().hostKey()) || l.startsWith("host_key")).count(), "both reports' rows");
        assertEquals(HtmlReport.render(List.of(run.report(), run.report())), Files.readString(html));
    }

    @Test
    void showPrintsASavedReportAsRunDoes() {
        RealRunFixture.Files4 run = RealRunFixture.get();
        Outcome r = RunCommandTest.cli("show", run.json().toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("switch cost ladder") && r.out().contains("the seed's claims"), r.out());
        assertTrue(r.out().lines().count() <= SummaryView.MAX_LINES, r.out());
        Outcome details = RunCommandTest.cli("show", "--details", run.json().toString());
        assertEquals(0, details.code(), details.err());
        assertTrue(details.out().contains("p5-p95") && details.out().contains("cost ladder"), details.out());
        Outcome missing = RunCommandTest.cli("show", dir.resolve("nothing.json").toString());
        assertEquals(2, missing.code());
        assertEquals(1, missing.err().strip().lines().count(), missing.err());
    }

    @Test
    void aDashSendsOneFormatToStdoutAndTheConsoleToStderr() throws Exception {
        Path json = dir.resolve("r.json");
        Outcome r = RunCommandTest.cli("run", "fiber.switch", "--quick", "--batches", "3", "--json", json.toString(), "--csv", "-");
        assertEquals(0, r.code(), r.err());
        Report report = io.ctxprobe.report.ReportReader.read(json);
        assertTrue(r.out().startsWith("host_key,"), "stdout holds the CSV alone: " + r.out());
        assertEquals(report.results().size() + 1, r.out().strip().lines().count());
        assertTrue(r.err().contains("cases: "), "the summary went to stderr");
    }

    @Test
    void outputPathsAreRefusedBeforeAnythingRuns() throws Exception {
        Path json = dir.resolve("r.json");
        Files.createDirectories(dir.resolve("a-directory"));
        for (String[] bad : List.of(
                new String[] {"--html", dir.resolve("a-directory").toString()},
                new String[] {"--csv", "-", "--md", "-"},
                new String[] {"--json", "-", "--html", "-"},
                new String[] {"--csv", dir.resolve("same").toString(), "--md", dir.resolve("same").toString()},
                new String[] {"--baseline", dir.resolve("no-such-report.json").toString()},
                new String[] {"--baseline", json.toString() + ".none", "--threshold", "x"})) {
            List<String> argv = new java.util.ArrayList<>(List.of("run", "fiber.switch", "--quick", "--batches", "3"));
            argv.addAll(List.of(bad));
            if (!argv.contains("--json")) argv.addAll(List.of("--json", json.toString()));
            Outcome r = RunCommandTest.cli(argv.toArray(String[]::new));
            assertEquals(2, r.code(), () -> String.join(" ", bad) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertFalse(r.out().contains("fiber.switch"), "nothing was measured");
            assertFalse(Files.exists(json), "nothing was written");
        }
    }
}
