package io.ctxprobe.report;

import io.ctxprobe.report.format.FleetFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What ctxprobe fleet reads: reports and failure records, from files or a directory of them. */
class FleetInputsTest {

    @TempDir
    Path dir;

    @Test
    void aDirectoryGivesItsReportsAndFailureRecords() throws Exception {
        JsonReports.write(dir.resolve("a000000000000001.json"), FleetFixtures.report("a000000000000001", "alpha",
                FleetFixtures.summary(false, "6.12"), "2026-01-01T10:00:00Z",
                FleetFixtures.measured("syscall.null", "c-loop", "ns/call", FleetFixtures.around(100))));
        Files.writeString(dir.resolve("failed-h4.json"), """
                {"schema": "ctxprobe-fleet-failure/1", "host": "h4", "address": "10.200.4.2", "stage": "unreachable",
                 "reason": "Connection refused", "time": "2026-01-01T10:05:00Z", "later": "fields a newer playbook adds are ignored"}
                """);
        Files.writeString(dir.resolve("notes.txt"), "not read");
        FleetInputs in = FleetInputs.read(List.of(dir));
        assertEquals(1, in.reports().size());
        assertEquals(List.of(FleetFailure.of("h4", "10.200.4.2", "unreachable", "Connection refused").host()),
                in.failures().stream().map(FleetFailure::host).toList());
        assertEquals("unreachable", in.failures().getFirst().stage());
    }

    @Test
    void whatCannotBeUsedIsOneLineNamingIt() throws Exception {
        var empty = assertThrows(ReportReader.UnreadableReport.class, () -> FleetInputs.read(List.of(dir)));
        assertTrue(empty.getMessage().contains("no .json file"), empty.getMessage());
        Path noHost = Files.writeString(dir.resolve("failed-x.json"), "{\"schema\": \"ctxprobe-fleet-failure/1\", \"stage\": \"run\"}");
        var bad = assertThrows(ReportReader.UnreadableReport.class, () -> FleetInputs.read(List.of(noHost)));
        assertTrue(bad.getMessage().contains("needs a host"), bad.getMessage());
        Path notJson = Files.writeString(dir.resolve("x.json"), "{ cut");
        var cut = assertThrows(ReportReader.UnreadableReport.class, () -> FleetInputs.read(List.of(notJson)));
        assertTrue(cut.getMessage().startsWith(notJson.toString()), cut.getMessage());
    }
}
