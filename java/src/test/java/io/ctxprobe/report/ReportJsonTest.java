package io.ctxprobe.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.ctxprobe.host.Fact;
import io.ctxprobe.host.HostFacts;
import io.ctxprobe.host.HostFactsCollector;
import io.ctxprobe.host.NativeFacts;
import io.ctxprobe.measure.BatchPlan;
import io.ctxprobe.measure.Counter;
import io.ctxprobe.measure.Stats;
import io.ctxprobe.measure.TimerCost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportJsonTest {

    @TempDir
    Path dir;

    static Report fullReport() {
        HostFacts host = new HostFactsCollector(Path.of("/"), NativeFacts.NONE).collect();
        RunInfo run = new RunInfo("0.1.0", "abc123def456", "2026-11-27T03:00:00Z",
                List.of("ctxprobe", "run", "--quick"),
                new RunInfo.Jvm("OpenJDK 64-Bit Server VM", "Eclipse Adoptium", "25.0.3",
                        List.of("--enable-native-access=ALL-UNNAMED")), "ffm", true, false);
        CaseResult flagged = new CaseResult("thread.switch", "futex/same-core",
                Map.of("cpus", "0,0", "mechanism", "futex"), "ns/switch", Status.FLAGGED,
                "a same-core round trip must switch at least twice; the kernel counted 1.50",
                Stats.of(new double[] {3400, 3500, 3600}), Stats.of(new double[] {1700, 1750, 1800}),
                TimerCost.of("CLOCK_MONOTONIC (C)", 20.5, 4_000_000), new BatchPlan(2, 3, 600),
                List.of(3400.0, 3500.0, 3600.0), List.of(1700.0, 1750.0, 1800.0),
                List.of(Counter.of("context-switches", "ping", 900, 1800, "perf_event_open(software, exclude_kernel=0)"),
                        Counter.of("voluntary-switches", "pong", 1800, 1800, "getrusage(RUSAGE_THREAD)")),
                List.of("pair: both on CPU 0"), 42.5)
                .withDerived(Derived.of("net of the mechanism", 3000, "ns/switch", "thread.switch/futex/same-core",
                        "thread.switch/futex/solo"))
                .withDerived(Derived.interval("reach", null, 64.0, 96.0, "pages", "tlb.reach/4k/sparse/64", "tlb.reach/4k/sparse/96")
                        .withReference(new Derived.Reference("CPUID L1 dTLB 4K entries", 72, "cpuid:0x80000005", "consistent")));
        CaseResult skipped = CaseResult.skipped("thread.switch", "futex/cross-core", null, "ns/switch", "needs 2 CPUs");
        // a claim read from figures (its figures typed in the ladder's claims) and the "mixed" verdict
        CaseResult flush = new CaseResult("tlb.flush", "process/same-core", Map.of("process_switch_flushed_tlb", "partly"),
                "events/switch", Status.OK, null, Stats.of(new double[] {1.0}), null, null, null, List.of(1.0), null, null,
                null, null).withDerived(Derived.of("TLB kept across process switches", 0.5, "share", "tlb.flush/process/same-core")
                .withNote("process switches flushed the TLB: partly"));
        return Report.of(run, host, List.of(flagged, skipped, flush));
    }

    @Test
    void roundTripKeepsEveryField() throws Exception {
        Report report = fullReport();
        Path file = dir.resolve("r.json");
        JsonReports.write(file, report);
        assertEquals(report, JsonReports.read(file));
    }

    @Test
    void theDocumentCarriesTheSchemaAndEveryFieldByItsName() throws Exception {
        JsonNode root = JsonReports.mapper().readTree(JsonReports.toJson(fullReport()));
        assertEquals("ctxprobe-report/2", root.get("schema").asText());
        for (String field : List.of("toolVersion", "gitCommit", "startTime", "commandLine", "jvm", "binding", "quick")) {
            assertTrue(root.get("run").has(field), "run." + field);
        }
        assertTrue(root.get("run").get("jvm").has("flags"));
        assertEquals(16, root.get("host").get("hostKey").asText().length());
        JsonNode result = root.get("results").get(0);
        for (String field : List.of("probe", "case", "params", "unit", "status", "reason", "stats", "cpuStats", "timer",
                "samples", "counters", "notes")) {
            assertTrue(result.has(field), "results[0]." + field);
        }
        assertEquals("flagged", result.get("status").asText());
        assertEquals("perf_event_open(software, exclude_kernel=0)", result.get("counters").get(0).get("source").asText());
        JsonNode skipped = root.get("results").get(1);
        assertEquals("skipped", skipped.get("status").asText());
        assertFalse(skipped.has("stats"), "an absent value is absent, never 0");
    }

    @Test
    void derivedFiguresAndFactNumbersAreTypedFields() throws Exception {
        Report report = fullReport();
        JsonNode root = JsonReports.mapper().readTree(JsonReports.toJson(report));
        JsonNode derived = root.get("results").get(0).get("derived");
        assertEquals(2, derived.size());
        assertEquals("net of the mechanism", derived.get(0).get("label").asText());
        assertEquals(3000.0, derived.get(0).get("value").asDouble());
        assertEquals("ns/switch", derived.get(0).get("unit").asText());
        assertEquals(2, derived.get(0).get("from").size());
        assertFalse(derived.get(1).has("value"), "an interval alone has no point value");
        assertEquals(64.0, derived.get(1).get("low").asDouble());
        assertEquals(72.0, derived.get(1).get("reference").get("value").asDouble());
        assertFalse(root.get("results").get(1).has("derived"), "no figures: no field");
        // The live host's numeric facts: counts where counts, bytes where sizes, the text beside them.
        Fact online = report.host().fact("topology", "online CPUs").orElseThrow();
        if (online.available()) {
            assertEquals("CPUs", online.unit());
            assertTrue(online.number() >= 1 && online.value().contains("(" + online.number().intValue() + ")"), online.toString());
        }
        for (var section : report.host().sections()) {
            for (Fact f : section.facts()) {
                assertEquals(f.number() == null, f.unit() == null, f.toString());
                if (f.number() != null) assertTrue(f.available() && f.value() != null, "a number sits beside its text: " + f);
            }
        }
    }

    @Test
    void derivedFiguresRefuseWhatIsNoFigure() {
        assertThrows(IllegalArgumentException.class, () -> new Derived("x", null, null, null, "ns", List.of(), null, null));
        assertThrows(IllegalArgumentException.class, () -> Derived.of("x", Double.NaN, "ns"));
        assertThrows(IllegalArgumentException.class, () -> Derived.interval("x", null, 5.0, 4.0, "ns"));
        assertThrows(IllegalArgumentException.class, () -> new Fact("n", "1", "s", null, 1.0, null));
    }

    @Test
    void aNoteAddedLaterChangesOnlyTheNotes() throws Exception {
        CaseResult r = fullReport().results().getFirst();
        CaseResult noted = r.withNote("net of the mechanism: 3500 - 500 (solo) = 3000 ns per switch");
        assertEquals(List.of("pair: both on CPU 0", "net of the mechanism: 3500 - 500 (solo) = 3000 ns per switch"),
                noted.notes());
        assertEquals(r.withNotes(noted.notes()), noted);
        assertEquals(r, noted.withNotes(r.notes()));
        JsonNode json = JsonReports.mapper().readTree(JsonReports.mapper().writeValueAsString(noted));
        assertEquals(2, json.get("notes").size());
        assertFalse(json.has("key"), "helpers are not fields");
    }

    @Test
    void theGuardsFieldsRoundTripAndOldReportsStillRead() throws Exception {
        Report base = fullReport();
        CaseResult r = base.results().getFirst();
        io.ctxprobe.measure.Interference interference = io.ctxprobe.measure.Interference.judge(List.of(
                new io.ctxprobe.measure.Interference.Task("ping", 4711, 0, 200_000_000, 50_000_000L, 60_000_000L, 12, "test"),
                new io.ctxprobe.measure.Interference.Task("pong", 4712, 0, 200_000_000, 50_000_000L, 61_000_000L, 11, "test")));
        CaseResult guarded = new CaseResult(r.probe(), r.caseId(), r.params(), r.unit(), Status.FLAGGED, "disturbed: ...",
                r.stats(), r.cpuStats(), r.timer(), r.plan(), r.samples(), r.cpuSamples(), r.counters(), r.notes(), r.wallMs(),
                List.of(new io.ctxprobe.measure.Modes.Mode(2500, 0.5, 11), new io.ctxprobe.measure.Modes.Mode(5000, 0.5, 11)),
                interference, List.of(new CaseResult.Attempt(1, Status.FLAGGED, "disturbed: ...", 3500.0, 0.5, true)));
        Report report = Report.of(base.run(), base.host(), List.of(guarded, base.results().get(1)),
                new RunInterference(0.002, 3L, 1500L, "test", 1, 1, 1, 0.1, null));
        Path file = dir.resolve("guards.json");
        JsonReports.write(file, report);
        assertEquals(report, JsonReports.read(file));
        JsonNode root = JsonReports.mapper().readTree(file.toFile());
        JsonNode c = root.get("results").get(0);
        assertEquals(2, c.get("modes").size());
        assertEquals(0.5, c.get("interference").get("offCpuShare").asDouble(), 1e-12);
        assertTrue(c.get("interference").get("disturbed").asBoolean());
        assertEquals(1, c.get("attempts").size());
        assertTrue(root.get("interference").has("stealShare"));
        assertTrue(root.get("ladder").has("claims"));

        // A report written before these fields existed reads with them absent.
        com.fasterxml.jackson.databind.node.ObjectNode old = (com.fasterxml.jackson.databind.node.ObjectNode)
                JsonReports.mapper().readTree(JsonReports.toJson(base));
        old.remove("ladder");
        Path oldFile = dir.resolve("old.json");
        Files.writeString(oldFile, old.toString());
        Report read = JsonReports.read(oldFile);
        assertEquals(null, read.ladder());
        assertEquals(null, read.results().getFirst().interference());
        assertEquals(base.results(), read.results());
    }

    @Test
    void aReportOfAnotherSchemaIsRefused() throws Exception {
        Path file = dir.resolve("other.json");
        Files.writeString(file, "{\"schema\":\"something-else/9\",\"results\":[]}");
        assertThrows(java.io.IOException.class, () -> JsonReports.read(file));
    }
}
