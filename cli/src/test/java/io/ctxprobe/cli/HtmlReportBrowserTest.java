package io.ctxprobe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.ctxprobe.cli.RunCommandTest.Outcome;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.CostLadder;
import io.ctxprobe.report.JsonReports;
import io.ctxprobe.report.Report;
import io.ctxprobe.report.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTML report in a real headless browser: Debian's chromium driven through Debian's
 * chromedriver (Selenium 4). The page must load with no console error and no network request,
 * each chart must draw one mark per data point (counted against the cases the test selects from
 * the report itself), the table must sort, and a screenshot and a printed PDF are produced under
 * target/real-run. Without chromium the test is skipped with a message saying so, except under
 * CI=true, where .ci/run installed it and its absence is a failure.
 */
class HtmlReportBrowserTest {

    /** Held here: a logger nobody references may be collected, and its level with it. */
    private static final Logger SELENIUM_LOG = Logger.getLogger("org.openqa.selenium");
    private static ChromeDriver driver;
    private static Path out;

    /** The browser, started by the first test that needs it; each test skips (or fails under CI) without one. */
    private static synchronized void startBrowser() throws Exception {
        if (driver != null) return;
        BrowserSetup.Found found = BrowserSetup.find();
        out = Path.of("target", "real-run").toAbsolutePath();
        Files.createDirectories(out);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        logs.enable(LogType.PERFORMANCE, Level.ALL);
        ChromeOptions options = new ChromeOptions().setBinary(found.chromium().toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
                "--window-size=1280,900", "--user-data-dir=" + Files.createTempDirectory("ctxprobe-chromium"));
        options.setCapability("goog:loggingPrefs", logs);
        // The driver named outright: Selenium then never runs its Selenium Manager (which would try to download one).
        System.setProperty("webdriver.chrome.driver", found.chromedriver().toString());
        // Selenium looks for a CDP binding matching the browser's version and warns that it has none: this test
        // sends its few CDP commands through chromedriver (executeCdpCommand), which needs none.
        SELENIUM_LOG.setLevel(Level.SEVERE);
        driver = new ChromeDriver(options);
    }

    @AfterAll
    static void stopBrowser() {
        if (driver != null) driver.quit();
    }

    @Test
    void theReportLoadsOfflineDrawsEveryPointSortsAndPrints() throws Exception {
        startBrowser();
        RealRunFixture.Files4 run = RealRunFixture.get();
        load(run.html());
        Map<String, List<String>> marks = marks();
        Map<String, Set<String>> expected = expectedMarks(run.report());
        for (var e : expected.entrySet()) {
            assertTrue(marks.containsKey(e.getKey()), "chart " + e.getKey() + " is drawn; charts: " + marks.keySet());
            List<String> drawn = marks.get(e.getKey());
            assertEquals(e.getValue().size(), drawn.size(), e.getKey() + ": one mark per data point, drawn " + drawn);
            assertEquals(e.getValue(), new LinkedHashSet<>(drawn), e.getKey() + ": the marks are those cases");
        }
        assertEquals(expected.keySet(), marks.keySet(), "no chart beyond the expected ones");
        screenshots("report");
        tableSorts();
    }

    @Test
    void severalReportsSideBySideLoadCleanly() throws Exception {
        startBrowser();
        RealRunFixture.Files4 run = RealRunFixture.get();
        Path two = out.resolve("two-reports.html");
        Outcome r = RunCommandTest.cli("report", run.json().toString(), run.json().toString(), "--html", two.toString());
        assertEquals(0, r.code(), r.err());
        load(two);
        Map<String, List<String>> marks = marks();
        List<String> ladder = marks.get("ladder-same-core");
        Set<String> rungs = expectedMarks(run.report()).get("ladder-same-core");
        assertEquals(2 * rungs.size(), ladder.size(), "one mark per rung per report");
    }

    /** Opens {@code page}, then checks the console and the network: no error, nothing fetched but the page. */
    private static void load(Path page) {
        driver.manage().logs().get(LogType.PERFORMANCE); // drain what an earlier page left
        driver.manage().logs().get(LogType.BROWSER);
        String url = page.toUri().toString();
        driver.get(url);
        assertEquals("complete", ((JavascriptExecutor) driver).executeScript("return document.readyState"));
        List<String> errors = new ArrayList<>();
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.WARNING.intValue()) errors.add(e.getLevel() + " " + e.getMessage());
        }
        assertEquals(List.of(), errors, "console errors and warnings");
        List<String> network = new ArrayList<>();
        List<String> fromPage = new ArrayList<>();
        for (LogEntry e : driver.manage().logs().get(LogType.PERFORMANCE)) {
            JsonNode message = read(e.getMessage()).path("message");
            if (!message.path("method").asText().equals("Network.requestWillBeSent")) continue;
            String requested = message.path("params").path("request").path("url").asText();
            if (requested.matches("(?i)(https?|wss?|ftp):.*")) network.add(requested);
            // The browser's own pages (chrome://) may load their icons meanwhile: the page's requests are those of its document.
            if (message.path("params").path("documentURL").asText().equals(url)) fromPage.add(requested);
        }
        assertEquals(List.of(), network, "no network request at all while the report loads");
        assertTrue(fromPage.contains(url), "the page's own load is seen: " + fromPage);
        for (String u : fromPage) {
            assertTrue(u.equals(url) || u.startsWith("data:"), "the page fetches nothing: " + u);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, List<String>> marks() {
        Object raw = ((JavascriptExecutor) driver).executeScript("var out = {};"
                + "document.querySelectorAll('figure[data-chart]').forEach(function (f) {"
                + "  out[f.dataset.chart] = Array.prototype.map.call(f.querySelectorAll('.mark'), function (m) { return m.dataset.key; });"
                + "}); return out;");
        Map<String, List<String>> marks = new TreeMap<>();
        ((Map<String, Object>) raw).forEach((k, v) -> marks.put(k, (List<String>) v));
        return marks;
    }

    /** Which cases each chart must draw, selected here from the report by the cases' own ids and params. */
    static Map<String, Set<String>> expectedMarks(Report report) {
        Map<String, Set<String>> expected = new TreeMap<>();
        for (CostLadder.Ladder l : CostLadder.of(report.results()).ladders()) {
            l.rungs().forEach(r -> add(expected, "ladder-" + l.placement(), r.key()));
        }
        Pattern tlb = Pattern.compile("([A-Za-z0-9-]+)/(sparse|packed)/\\d+");
        Pattern forkTouched = Pattern.compile("fork/helper-touched-\\d+MiB");
        for (CaseResult c : report.results()) {
            if (c.stats() == null || !(c.status() == Status.OK || c.status() == Status.FLAGGED) || c.params().containsKey("derived")) continue;
            var tlbMatch = tlb.matcher(c.caseId());
            switch (c.probe()) {
                case "thread.create", "fiber.create" -> add(expected, "creation", c.key());
                case "process.create" -> add(expected, forkTouched.matcher(c.caseId()).matches() ? "fork-memory" : "creation", c.key());
                case "footprint" -> add(expected, "footprint", c.key());
                case "ipc.latency" -> add(expected, "ipc-latency", c.key());
                case "ipc.bandwidth" -> add(expected, "ipc-bandwidth", c.key());
                case "tlb.reach" -> {
                    if (tlbMatch.matches()) add(expected, "tlb-" + tlbMatch.group(1), c.key());
                }
                default -> { }
            }
            if (c.params().containsKey("matrix") && c.params().containsKey("cpuA")) {
                add(expected, "matrix-" + (c.probe() + "-" + c.params().get("matrix")).replace('.', '-'), c.key());
            }
        }
        return expected;
    }

    private static void add(Map<String, Set<String>> expected, String chart, String key) {
        expected.computeIfAbsent(chart, k -> new LinkedHashSet<>()).add(key);
    }

    /** Clicking "median" sorts the rows by it, ascending, cases without a median last; again: descending. */
    private static void tableSorts() {
        WebElement median = driver.findElement(By.xpath("//table[contains(@class,'cases')]//th[text()='median']"));
        median.click();
        List<Double> up = medians();
        for (int i = 1; i < up.size(); i++) assertTrue(up.get(i - 1) <= up.get(i), "ascending: " + up);
        median.click();
        List<Double> down = medians();
        for (int i = 1; i < down.size(); i++) assertTrue(down.get(i - 1) >= down.get(i), "descending: " + down);
    }

    @SuppressWarnings("unchecked")
    private static List<Double> medians() {
        List<Object> values = (List<Object>) ((JavascriptExecutor) driver).executeScript(
                "return Array.prototype.map.call(document.querySelectorAll('table.cases tbody tr'), function (r) {"
                        + " return r.cells[3].dataset.v; }).filter(function (v) { return v !== ''; }).map(parseFloat);");
        return values.stream().map(v -> ((Number) v).doubleValue()).toList();
    }

    /** The first screen and the whole page as PNG, and the page printed to PDF (A4, print CSS). */
    private static void screenshots(String name) throws Exception {
        ((JavascriptExecutor) driver).executeScript("window.scrollTo(0, 0)");
        Map<String, Object> first = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png"));
        Map<String, Object> full = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true,
                "clip", Map.of("x", 0, "y", 0, "width", 1280, "height", pageHeight(), "scale", 1)));
        Map<String, Object> pdf = driver.executeCdpCommand("Page.printToPDF", new LinkedHashMap<>(Map.of("printBackground", true)));
        Path png = out.resolve(name + ".png");
        Path whole = out.resolve(name + "-full.png");
        Path printed = out.resolve(name + ".pdf");
        Files.write(png, Base64.getDecoder().decode((String) first.get("data")));
        Files.write(whole, Base64.getDecoder().decode((String) full.get("data")));
        Files.write(printed, Base64.getDecoder().decode((String) pdf.get("data")));
        for (Path p : List.of(png, whole)) {
            byte[] head = Files.readAllBytes(p);
            assertTrue(head.length > 10_000 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G', p + " is a PNG");
        }
        assertTrue(new String(Files.readAllBytes(printed), 0, 5, java.nio.charset.StandardCharsets.US_ASCII).equals("%PDF-"));
        System.err.println("HtmlReportBrowserTest: screenshots " + png + ", " + whole + "; printed " + printed);
    }

    private static long pageHeight() {
        return ((Number) ((JavascriptExecutor) driver).executeScript("return document.documentElement.scrollHeight")).longValue();
    }

    private static JsonNode read(String json) {
        try {
            return JsonReports.mapper().readTree(json);
        } catch (Exception e) {
            throw new AssertionError("chromedriver's log entry is not JSON: " + json, e);
        }
    }
}
