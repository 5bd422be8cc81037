package io.ctxprobe.cli;

import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.JsonReports;
import io.ctxprobe.report.Report;
import io.ctxprobe.report.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunCommandTest {

    @TempDir
    Path dir;

    /** Captured stdout and stderr of one CLI invocation. */
    record Outcome(int code, String out, String err) {}

    static synchronized Outcome cli(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = Main.execute(args);
            return new Outcome(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "nosuch.probe",
            "--cpus 100000",
            "--cpus 0-",
            "--cpus x",
            "--batches 0",
            "--batches -3",
            "--batches many",
            "--placement diagonal",
            "--mechanism carrier-pigeon",
            "--binding jni",
            "--counters nosuch-event",
            "--counters context-switches,a:b/c",
            "--counters ,",
            "--cpus 0,0",
            "--lock-wait -1",
            "--retry-disturbed -1",
            "--retry-disturbed x",
            "--placement same-core,",
            "--mechanism ,futex",
            "--frobnicate"})
    void badInputIsOneLineExitTwoAndWritesNothing(String args) throws Exception {
        Path report = dir.resolve("r.json");
        String[] argv = Stream.concat(Stream.of("run", "fiber.switch", "--quick", "--json", report.toString()),
                Stream.of(args.split(" "))).toArray(String[]::new);
        if (args.equals("nosuch.probe")) argv = new String[] {"run", "nosuch.probe", "--json", report.toString()};
        Outcome r = cli(argv);
        assertEquals(2, r.code(), () -> "stderr: " + r.err());
        assertEquals(1, r.err().strip().lines().count(), () -> "one line, got: " + r.err());
        assertFalse(Files.exists(report), "nothing written");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(0, files.count(), "no temporary file either");
        }
    }

    @Test
    void aRunPrintsTheTableAndWritesACompleteReport() throws Exception {
        Path report = dir.resolve("sub/report.json");
        Outcome r = cli("run", "fiber.switch", "syscall.null", "--quick", "--batches", "3", "--json", report.toString());
        assertEquals(0, r.code(), () -> "stderr: " + r.err());
        assertTrue(r.out().contains("cases: 10 ·") && !r.out().contains("p5-p95"), "the one-screen summary: " + r.out());
        assertTrue(r.out().lines().count() <= SummaryView.MAX_LINES, r.out());
        assertEquals(1, r.out().lines().filter(l -> l.startsWith("interference: steal")).count(), "one interference line: " + r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("  syscall ")), "the syscall family's headline: " + r.out());
        assertFalse(r.err().contains("[1/"), "no progress line off a terminal: " + r.err());
        Report written = JsonReports.read(report);
        assertEquals(Report.SCHEMA, written.schema());
        assertNotNull(written.host().hostKey());
        assertEquals(List.of("ctxprobe", "run", "fiber.switch", "syscall.null", "--quick", "--batches", "3", "--json", report.toString()),
                written.run().commandLine());
        assertEquals(10, written.results().size()); // fiber.switch 4, syscall.null 6
        assertNotNull(written.interference(), "the run's steal and disturbed count");
        assertNotNull(written.ladder(), "the ladder and its verdicts");
        for (CaseResult c : written.results()) {
            if (c.status() == Status.SKIPPED) {   // fiber migration on a one-CPU host
                assertFalse(c.reason().isBlank());
                continue;
            }
            assertValid(c);
            assertEquals(3, c.samples().size());
            assertFalse(c.counters().isEmpty(), c.key() + " carries kernel counts");
        }
    }

    @Test
    void jnaBindingRunsTheSameProbes() throws Exception {
        Path report = dir.resolve("jna.json");
        Outcome r = cli("run", "thread.switch", "--quick", "--batches", "3", "--placement", "same-core", "--mechanism", "futex",
                "--binding", "jna", "--json", report.toString());
        assertEquals(0, r.code(), () -> "stderr: " + r.err());
        Report written = JsonReports.read(report);
        assertEquals("jna", written.run().binding());
        assertEquals(List.of("futex/solo", "futex/same-core"), written.results().stream().map(CaseResult::caseId).toList());
        for (CaseResult c : written.results()) assertValid(c);
    }

    /**
     * Status ok, or flagged only because other work took the measured CPU ("disturbed": a busy test
     * host) or the batches were a mixture ("mixed") — never by a count that does not fit the case.
     */
    static void assertValid(CaseResult c) {
        boolean environment = c.status() == Status.FLAGGED && java.util.Arrays.stream(c.reason().split("; "))
                .allMatch(p -> p.startsWith("disturbed: ") || p.startsWith("mixed: "));
        assertTrue(c.status() == Status.OK || environment, () -> c.key() + ": " + c.status().label() + ": " + c.reason());
    }
}
