package example;

import io.ctxprobe.Ctxprobe;
import io.ctxprobe.ProbeInfo;
import io.ctxprobe.RunRequest;
import io.ctxprobe.host.HostFacts;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.JsonReports;
import io.ctxprobe.report.Report;
import io.ctxprobe.report.Status;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a library user gets from io.ctxprobe:ctxprobe-probes: a class path without the CLI and
 * without a logging binding, host facts, the probe list, and a quick run of syscall.null.
 */
class LibraryExampleTest {

    @BeforeAll
    static void sayWhatSlf4jWillPrint() {
        System.out.println("expected below: SLF4J(W) \"No SLF4J providers were found\": this consumer has no logging binding on purpose");
    }

    @Test
    void theDependencyBringsNeitherTheCliNorALoggingBinding() throws Exception {
        List<String> classPath = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
        for (String forbidden : List.of("picocli", "ctxprobe-cli", "slf4j-simple", "slf4j-nop", "logback", "log4j-slf4j",
                "slf4j-jdk14", "slf4j-reload4j")) {
            assertTrue(classPath.stream().noneMatch(e -> new File(e).getName().startsWith(forbidden)),
                    () -> forbidden + " on the consumer's class path: " + classPath);
        }
        assertThrows(ClassNotFoundException.class, () -> Class.forName("picocli.CommandLine"));
        // slf4j-api itself comes with OSHI; a binding would register a provider (SLF4J 2) or a StaticLoggerBinder (1.x).
        Class<?> provider = Class.forName("org.slf4j.spi.SLF4JServiceProvider");
        assertEquals(0, ServiceLoader.load(provider).stream().count(), "an SLF4J provider is on the class path");
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.slf4j.impl.StaticLoggerBinder"));
    }

    @Test
    void hostFactsAndTheProbeList() {
        HostFacts host = Ctxprobe.hostFacts();
        assertTrue(host.hostKey().matches("[0-9a-f]{16}"), host.hostKey());
        assertNotNull(host.summary().cpuModel());
        assertFalse(host.topology().cpus().isEmpty());

        List<ProbeInfo> probes = Ctxprobe.probes();
        ProbeInfo syscall = probes.stream().filter(p -> p.id().equals("syscall.null")).findFirst().orElseThrow();
        assertTrue(syscall.available(), syscall.unavailableReason());
        assertFalse(syscall.description().isBlank());
        assertTrue(probes.stream().allMatch(p -> p.available() || !p.unavailableReason().isBlank()),
                "an unavailable probe says why");
    }

    @Test
    void aQuickRunOfSyscallNull() throws Exception {
        Report report = Ctxprobe.run(RunRequest.of("syscall.null").quick(true).batches(5));
        assertEquals("ctxprobe-report/2", report.schema());
        assertEquals(List.of("ctxprobe", "run", "syscall.null", "--quick", "--batches", "5"), report.run().commandLine());
        assertFalse(report.run().interrupted());
        assertTrue(report.results().stream().map(CaseResult::caseId).toList().containsAll(List.of("c-loop", "ffm-downcall", "jna-call")),
                report.results()::toString);
        for (CaseResult r : report.results()) {
            assertEquals("syscall.null", r.probe());
            assertTrue(r.status() == Status.OK || r.status() == Status.FLAGGED, r.key() + ": " + r.status() + " " + r.reason());
            // 5 batches, or 10 when a wide case was extended (README "How each number is guarded")
            assertEquals(r.plan().batches(), r.samples().size(), r.key());
            assertTrue(r.plan().batches() == 5 || r.plan().batches() == 10, r.key() + ": " + r.plan());
            assertTrue(r.stats().median() > 0, r.key());
        }
    }

    @Test
    void aRequestThatCannotRunIsRefusedBeforeAnythingRuns() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Ctxprobe.run(RunRequest.of("no.such.probe")));
        assertTrue(e.getMessage().contains("unknown probe 'no.such.probe'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Ctxprobe.run(RunRequest.of("syscall.null").batches(0)));
    }

    @Test
    void theReadmeExampleRunsAndWritesItsReport() throws Exception {
        Path json = Files.createTempDirectory("ctxprobe-consumer").resolve("report.json");
        LibraryExample.main(new String[] {json.toString()});
        Report written = JsonReports.read(json);
        assertFalse(written.results().isEmpty());
        assertTrue(written.results().stream().allMatch(r -> r.probe().equals("syscall.null")));
    }
}
