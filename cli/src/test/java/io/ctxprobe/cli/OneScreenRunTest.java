package io.ctxprobe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.ctxprobe.cli.RunCommandTest.Outcome;
import io.ctxprobe.linux.CpuSet;
import io.ctxprobe.linux.Sched;
import io.ctxprobe.measure.SchedStat;
import io.ctxprobe.linux.Unistd;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.JsonReports;
import io.ctxprobe.report.Report;
import io.ctxprobe.report.ReportReader;
import io.ctxprobe.report.ReportSchema;
import io.ctxprobe.report.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Real runs through the CLI: the quick suite of every probe on one screen, its JSON valid against the
 * schema, --details restoring every case; exit 1 for a failed case and for a flagged one with
 * --strict.
 */
class OneScreenRunTest {

    static final Schema SCHEMA = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
            .getSchema(ReportSchema.text());

    @TempDir
    Path dir;

    static List<String> schemaErrors(Path json) throws Exception {
        JsonNode node = JsonReports.mapper().readTree(json.toFile());
        return SCHEMA.validate(node).stream().map(Object::toString).toList();
    }

    @Test
    void theQuickSuiteOfEveryProbeFitsOneScreenAndItsReportValidates() throws Exception {
        Path json = dir.resolve("all.json");
        Outcome r = RunCommandTest.cli("run", "--quick", "--json", json.toString());
        // Kept for a person (and the README's sample): the summary exactly as printed.
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "one-screen-summary.txt"), r.out());
        Report report = ReportReader.read(json);
        assertEquals(report.results().stream().anyMatch(c -> c.status() == Status.FAILED) ? 1 : 0, r.code(),
                "exit 0 unless a case failed: " + r.err());
        SummaryViewTest.assertOneScreen(r.out());
        assertTrue(r.out().contains("switch cost ladder") && r.out().contains("the seed's claims"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("  (confirmed|contradicted|within noise) .*")), "a verdict: " + r.out());
        assertEquals(List.of(), schemaErrors(json), "the real report validates against docs/schema");

        Outcome details = RunCommandTest.cli("show", json.toString(), "--details");
        assertEquals(0, details.code(), details.err());
        assertTrue(details.out().contains("p5-p95"), "the full table is back");
        for (CaseResult c : report.results()) {
            if (c.status() == Status.SKIPPED) {
                assertTrue(details.out().contains(c.key()), "a skipped case is named under its reason: " + c.key());
            } else if (!c.params().containsKey("matrix")) {
                assertTrue(details.out().lines().anyMatch(l -> l.startsWith(c.probe() + " ") && l.contains(" " + c.caseId() + " ")),
                        "a row for " + c.key());
            }
        }
        Outcome shown = RunCommandTest.cli("show", json.toString());
        assertEquals(r.out().lines().limit(SummaryView.MAX_LINES - 1).toList().subList(0, 3),
                shown.out().lines().toList().subList(0, 3), "show prints a saved report as run printed it");
    }

    @Test
    void theFixtureRunValidatesToo() throws Exception {
        assertEquals(List.of(), schemaErrors(RealRunFixture.get().json()));
    }

    @Test
    void aFailedCaseMakesTheRunExitOneAndTheReportIsStillWritten() throws Exception {
        // A run directory that cannot be made fails the one-carrier case, which needs a child JVM's files.
        String tmp = System.getProperty("java.io.tmpdir");
        System.setProperty("java.io.tmpdir", dir.resolve("no-such-dir").toString());
        Outcome r;
        Path json = dir.resolve("failed.json");
        try {
            r = RunCommandTest.cli("run", "vthread.switch", "--quick", "--json", json.toString());
        } finally {
            System.setProperty("java.io.tmpdir", tmp);
        }
        Report report = ReportReader.read(json);
        assertTrue(report.results().stream().anyMatch(c -> c.status() == Status.FAILED), "a case failed: " + r.out());
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("needs attention: 1 failed") || r.out().contains("needs attention: 2 failed"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("  failed  vthread.switch/")), r.out());
    }

    @Test
    void strictTurnsAFlaggedCaseIntoExitOne() throws Exception {
        // A busy loop pinned to the run's CPU takes about half of it: the measured thread is "disturbed".
        int cpu = Sched.getAffinity(0).first();
        assumeTrue(SchedStat.read(Unistd.gettid()).isPresent(), SchedStat.ABSENT);
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch pinned = new CountDownLatch(1);
        Thread hog = Thread.ofPlatform().name("ctxprobe-test-hog").start(() -> {
            Sched.setAffinity(0, CpuSet.of(cpu));
            pinned.countDown();
            long x = 0;
            while (!stop.get()) x += x ^ 0x9E3779B97F4A7C15L;
            if (x == 42) System.out.print("");
        });
        Path json = dir.resolve("strict.json");
        Outcome r;
        try {
            pinned.await();
            r = RunCommandTest.cli("run", "syscall.null", "--quick", "--cpus", Integer.toString(cpu), "--json", json.toString(),
                    "--strict");
        } finally {
            stop.set(true);
            hog.join();
        }
        Report report = ReportReader.read(json);
        boolean flagged = report.results().stream().anyMatch(c -> c.status() == Status.FLAGGED);
        boolean failed = report.results().stream().anyMatch(c -> c.status() == Status.FAILED);
        assertTrue(flagged, "beside a busy loop a case is flagged disturbed: " + r.out());
        assertEquals(1, r.code(), "--strict with a flagged case: " + r.out());
        assertTrue(!failed, "flagged, not failed: " + r.out());
    }
}
