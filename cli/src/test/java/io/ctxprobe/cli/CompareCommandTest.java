package io.ctxprobe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ctxprobe.cli.RunCommandTest.Outcome;
import io.ctxprobe.host.CpuTopology;
import io.ctxprobe.host.Fact;
import io.ctxprobe.host.FactSection;
import io.ctxprobe.host.HostFacts;
import io.ctxprobe.host.Summary;
import io.ctxprobe.measure.RatioEstimate;
import io.ctxprobe.measure.Stats;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.JsonReports;
import io.ctxprobe.report.Report;
import io.ctxprobe.report.RunInfo;
import io.ctxprobe.report.Status;
import io.ctxprobe.report.compare.Comparison;
import io.ctxprobe.report.format.ReportView;
import io.ctxprobe.report.format.UnitScale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ctxprobe compare through the real CLI: a report against itself, against a copy slowed down by
 * 1.5, and the two synthetic cases that tell a confidence rule from a plain median check (few noisy
 * batches past the threshold: within noise; many tight batches just past it: a regression); then
 * every kind of input it must refuse with exit 2.
 */
class CompareCommandTest {

    @TempDir
    Path dir;

    @Test
    void aReportAgainstItselfHasRatiosOfOneAndExitsZero() throws Exception {
        RealRunFixture.Files4 run = RealRunFixture.get();
        Outcome r = RunCommandTest.cli("compare", run.json().toString(), run.json().toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("method: ") && r.out().contains("bootstrap 95% interval"), "the method is stated");
        assertTrue(r.out().contains("no regression beyond 10%"), r.out());
        Comparison c = Comparison.of(run.report(), run.report(), 0.10);
        assertFalse(c.rows().isEmpty());
        c.rows().forEach(row -> assertEquals(1.0, row.estimate().ratio(), 0.0, row.key()));
        c.rows().forEach(row -> assertTrue(r.out().contains(row.key()), row.key() + " is listed"));
    }

    @Test
    void aCopySlowedByOneAndAHalfIsARegressionNamingTheCases() throws Exception {
        RealRunFixture.Files4 run = RealRunFixture.get();
        Path slower = dir.resolve("slower.json");
        ObjectNode root = (ObjectNode) JsonReports.mapper().readTree(run.json().toFile());
        for (JsonNode result : root.get("results")) scale((ObjectNode) result, 1.5);
        JsonReports.mapper().writeValue(slower.toFile(), root);
        Outcome r = RunCommandTest.cli("compare", run.json().toString(), slower.toString());
        assertEquals(3, r.code(), r.out() + r.err());
        String verdict = r.out().lines().filter(l -> l.startsWith("REGRESSION: ")).findFirst().orElseThrow();
        int named = 0;
        for (CaseResult c : run.report().results()) {
            boolean comparable = ReportView.measured(c) && !ReportView.isLegacyDerivedCase(c) && c.samples() != null
                    && c.samples().size() >= Comparison.MIN_SAMPLES;
            boolean isNamed = verdict.contains(" " + c.key() + " x1.5");
            if (isNamed) named++;
            if (!comparable) continue;
            double spread = Collections.max(c.samples()) / Collections.min(c.samples());
            if (UnitScale.higherIsBetter(c.unit())) {
                assertFalse(isNamed, c.key() + " got faster (a rate), not slower");
            } else if (spread < 1.3 && Collections.min(c.samples()) > 0) {
                // Every resampled ratio lies within 1.5 / 1.3 = 1.15 and 1.5 * 1.3: the interval clears 1.10.
                assertTrue(isNamed, c.key() + " (batches within 30%) is named: " + verdict);
            }
        }
        assertTrue(named > 0, verdict);
    }

    @Test
    void fewNoisyBatchesPastTheThresholdAreWithinNoise() throws Exception {
        double[] base = {100, 70, 130, 85, 115};
        double[] next = {125, 80, 170, 95, 140};
        RatioEstimate est = RatioEstimate.of(next, base);
        assertTrue(est.ratio() > 1.10 && est.low() < 1.10, "the premise: median ratio past 10%, interval straddles it: " + est.describe());
        Outcome r = compareSynthetic(base, next);
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("slower, within noise"), r.out());
        assertTrue(r.out().contains("no regression beyond 10%"), r.out());
    }

    @Test
    void manyTightBatchesJustPastTheThresholdAreARegression() throws Exception {
        double[] base = new double[40];
        double[] next = new double[40];
        for (int i = 0; i < 40; i++) {
            base[i] = 100 + ((i * 7) % 9 - 4) * 0.1;
            next[i] = 112 + ((i * 5) % 9 - 4) * 0.1;
        }
        RatioEstimate est = RatioEstimate.of(next, base);
        assertTrue(Math.abs(est.ratio() - 1.12) < 1e-9 && est.low() > 1.10, "the premise: x1.12, interval clear of 1.10: " + est.describe());
        Outcome r = compareSynthetic(base, next);
        assertEquals(3, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("REGRESSION: 1 case slower than BASE by more than 10% with 95% confidence: synthetic.probe/tight"),
                r.out());
    }

    @Test
    void anotherHostNeedsCrossHostWhichListsTheDifferencesFirst() throws Exception {
        double[] s = {100, 101, 99, 100, 102};
        Path a = write("a.json", synthetic("aaaa1111", "alpha", "6.1.0", "synthetic.probe/tight", s));
        Path b = write("b.json", synthetic("bbbb2222", "beta", "6.12.0", "synthetic.probe/tight", s));
        Outcome refused = RunCommandTest.cli("compare", a.toString(), b.toString());
        assertEquals(2, refused.code(), refused.out() + refused.err());
        assertTrue(refused.err().contains("alpha") && refused.err().contains("beta") && refused.err().contains("--cross-host"));
        assertEquals(1, refused.err().strip().lines().count(), refused.err());
        Outcome r = RunCommandTest.cli("compare", "--cross-host", a.toString(), b.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        int differences = r.out().indexOf("host differences");
        assertTrue(differences >= 0 && differences < r.out().indexOf("method:"), r.out());
        assertTrue(r.out().contains("6.1.0") && r.out().contains("6.12.0"), "the kernels are named");
    }

    @Test
    void badInputIsExitTwoWithOneLine() throws Exception {
        RealRunFixture.Files4 run = RealRunFixture.get();
        String good = run.json().toString();
        String json = Files.readString(run.json());
        Map<String, String> bad = Map.of(
                "truncated.json", json.substring(0, json.length() / 2),
                "other-schema.json", json.replace("\"" + io.ctxprobe.report.Report.SCHEMA + "\"", "\"ctxprobe-report/99\""),
                "not-json.json", "this is not a report",
                "empty.json", "",
                "array.json", "[1, 2, 3]",
                "no-results.json", "{\"schema\": \"ctxprobe-report/1\", \"host\": {}}");
        for (var e : bad.entrySet()) {
            Path file = write(e.getKey(), e.getValue());
            for (String[] argv : List.of(new String[] {"compare", good, file.toString()}, new String[] {"compare", file.toString(), good})) {
                Outcome r = RunCommandTest.cli(argv);
                assertEquals(2, r.code(), e.getKey() + ": " + r.err());
                assertEquals(1, r.err().strip().lines().count(), r.err());
                assertTrue(r.err().contains(e.getKey()), "the file is named: " + r.err());
            }
        }
        Outcome truncated = RunCommandTest.cli("compare", good, dir.resolve("truncated.json").toString());
        assertTrue(truncated.err().contains("truncated"), truncated.err());
        assertTrue(RunCommandTest.cli("compare", good, dir.resolve("other-schema.json").toString()).err().contains("ctxprobe-report/99"));
        assertEquals(2, RunCommandTest.cli("compare", good, dir.resolve("missing.json").toString()).code());
        assertEquals(2, RunCommandTest.cli("compare", good, good, "--threshold", "-5%").code());
    }

    @Test
    void markdownAndHtmlCarryTheVerdict() throws Exception {
        Path md = dir.resolve("c.md");
        Path html = dir.resolve("c.html");
        double[] s = {100, 101, 99, 100, 102};
        Path a = write("a.json", synthetic("k", "h", "6.1", "synthetic.probe/tight", s));
        Outcome r = RunCommandTest.cli("compare", a.toString(), a.toString(), "--md", md.toString(), "--html", html.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(md).contains("no regression beyond 10%"));
        String page = Files.readString(html);
        assertTrue(page.startsWith("<!DOCTYPE html>") && page.contains("Content-Security-Policy") && page.contains("synthetic.probe/tight"));
    }

    @Test
    void runBaselineComparesAfterTheRunAndRefusesAnotherHostBeforeIt() throws Exception {
        RealRunFixture.Files4 run = RealRunFixture.get();
        Path json = dir.resolve("r.json");
        Outcome r = RunCommandTest.cli("run", "fiber.switch", "--quick", "--batches", "3", "--json", json.toString(),
                "--baseline", run.json().toString());
        assertTrue(r.code() == 0 || r.code() == 3, r.err());
        assertTrue(r.out().contains("method: "), r.out());
        assertEquals(r.code() == 3, r.out().contains("REGRESSION: "), "exit 3 exactly when a regression is named");
        Path other = write("other-host.json", synthetic("not-this-host", "elsewhere", "1.0", "fiber.switch/asm", new double[] {1, 1, 1}));
        Path json2 = dir.resolve("r2.json");
        Outcome refused = RunCommandTest.cli("run", "fiber.switch", "--quick", "--json", json2.toString(), "--baseline", other.toString());
        assertEquals(2, refused.code(), refused.err());
        assertFalse(Files.exists(json2), "refused before anything ran");
    }

    private Outcome compareSynthetic(double[] base, double[] next) throws Exception {
        Path a = write("base.json", synthetic("samehost", "host", "6.1", "synthetic.probe/tight", base));
        Path b = write("new.json", synthetic("samehost", "host", "6.1", "synthetic.probe/tight", next));
        return RunCommandTest.cli("compare", a.toString(), b.toString(), "--threshold", "10%");
    }

    private Path write(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    private Path write(String name, Report report) throws Exception {
        Path file = dir.resolve(name);
        JsonReports.write(file, report);
        return file;
    }

    /** A report of one case whose batches are {@code samples}, on a made-up host. */
    private static Report synthetic(String hostKey, String hostname, String kernel, String key, double[] samples) {
        Summary summary = new Summary("Synthetic CPU", "none", 1, false, null, false, "none", false, false, "PTI off", kernel, "none");
        HostFacts host = new HostFacts(hostKey, hostname, new CpuTopology(List.of(), 1, 1, 1, false),
                List.of(new FactSection("kernel", List.of(Fact.of("release", kernel, "test")))), summary);
        RunInfo info = new RunInfo("test", null, "2026-01-01T00:00:00Z", List.of("ctxprobe", "run"),
                new RunInfo.Jvm("jvm", "vendor", "25", List.of()), "ffm", true, false);
        List<Double> list = new ArrayList<>(Arrays.stream(samples).boxed().toList());
        String probe = key.substring(0, key.indexOf('/'));
        CaseResult c = new CaseResult(probe, key.substring(probe.length() + 1), Map.of(), "ns/op", Status.OK, null,
                Stats.of(samples), null, null, null, list, null, null, null, null);
        return Report.of(info, host, List.of(c));
    }

    /** Samples, CPU samples and both summaries multiplied by {@code factor}: the same run, uniformly slower. */
    private static void scale(ObjectNode result, double factor) {
        for (String field : List.of("samples", "cpuSamples")) {
            if (result.get(field) instanceof ArrayNode a) {
                for (int i = 0; i < a.size(); i++) a.set(i, a.get(i).asDouble() * factor);
            }
        }
        for (String field : List.of("stats", "cpuStats")) {
            if (result.get(field) instanceof ObjectNode s) {
                for (String k : List.of("median", "p5", "p95", "min", "max", "mean", "mad")) {
                    if (s.has(k)) s.put(k, s.get(k).asDouble() * factor);
                }
            }
        }
    }
}
