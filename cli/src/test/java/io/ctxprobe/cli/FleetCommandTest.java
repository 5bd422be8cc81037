package io.ctxprobe.cli;

import io.ctxprobe.cli.RunCommandTest.Outcome;
import io.ctxprobe.host.HostFacts;
import io.ctxprobe.host.Summary;
import io.ctxprobe.measure.Stats;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.JsonReports;
import io.ctxprobe.report.Report;
import io.ctxprobe.report.RunInfo;
import io.ctxprobe.report.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ctxprobe fleet: a directory of reports and failure records to a page, Markdown and CSV; bad input is exit 2. */
class FleetCommandTest {

    @TempDir
    Path dir;

    @Test
    void aDirectoryOfReportsAndAFailureMakesTheFleetView() throws Exception {
        Path reports = Files.createDirectory(dir.resolve("fleet-reports"));
        for (int i = 1; i <= 3; i++) {
            String key = "f00000000000000" + i;
            JsonReports.write(reports.resolve(key + ".json"), report(key, "host-" + i, 100 + i));
        }
        Files.writeString(reports.resolve("failed-host-4.json"), "{\"schema\": \"ctxprobe-fleet-failure/1\", \"host\": \"host-4\","
                + " \"address\": \"10.200.4.2\", \"stage\": \"unreachable\", \"reason\": \"Connection refused\"}\n");
        Path html = dir.resolve("fleet.html");
        Path csv = dir.resolve("fleet.csv");
        Outcome r = RunCommandTest.cli("fleet", reports.toString(), "--html", html.toString(), "--csv", csv.toString(), "--md", "-");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("fleet: 3 hosts measured (3 host keys, 1 group) · 1 not measured"), r.err());
        assertTrue(r.out().startsWith("## ctxprobe fleet"), "the Markdown on stdout, the console on stderr: " + r.out());
        String page = Files.readString(html);
        for (int i = 1; i <= 3; i++) assertTrue(page.contains("f00000000000000" + i));
        assertTrue(page.contains("host-4") && page.contains("Connection refused"));
        assertEquals(3 + 1 + 1, Files.readAllLines(csv).size(), "header, one figure on three hosts, the unreachable host");
    }

    @Test
    void badInputIsOneLineAndExitTwo() throws Exception {
        Path out = dir.resolve("f.html");
        Outcome none = RunCommandTest.cli("fleet", dir.toString());
        assertEquals(2, none.code());
        assertTrue(none.err().contains("name at least one output"), none.err());
        Outcome empty = RunCommandTest.cli("fleet", dir.toString(), "--html", out.toString());
        assertEquals(2, empty.code());
        assertTrue(empty.err().contains("no .json file"), empty.err());
        Outcome missing = RunCommandTest.cli("fleet", dir.resolve("nope.json").toString(), "--html", out.toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("no such file"), missing.err());
        JsonReports.write(dir.resolve("a.json"), report("f000000000000009", "h", 100));
        Outcome threshold = RunCommandTest.cli("fleet", dir.toString(), "--html", out.toString(), "--outlier", "lots");
        assertEquals(2, threshold.code());
        assertTrue(threshold.err().contains("--outlier 'lots' is not a percentage"), threshold.err());
        assertFalse(Files.exists(out), "nothing written on bad input");
    }

    private static Report report(String key, String name, double median) {
        double[] values = {median * 0.99, median, median, median * 1.01};
        CaseResult c = new CaseResult("syscall.null", "c-loop", Map.of(), "ns/call", Status.OK, null, Stats.of(values), null, null, null,
                List.of(values[0], values[1], values[2], values[3]), null, null, null, null);
        Summary s = new Summary("AMD EPYC", "Zen 4", 2, true, "KVM", false, null, false, true, "PTI off", "6.12", null);
        return Report.of(new RunInfo("0.1.0", null, "2026-01-01T10:00:00Z", List.of(), null, "ffm", true, false),
                new HostFacts(key, name, null, List.of(), s), List.of(c));
    }
}
