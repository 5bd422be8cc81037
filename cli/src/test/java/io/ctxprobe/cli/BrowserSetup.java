package io.ctxprobe.cli;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Finds the browser and its driver for HtmlReportBrowserTest: $CTXPROBE_CHROMIUM and
 * $CTXPROBE_CHROMEDRIVER, else Debian's /usr/bin/chromium and /usr/bin/chromedriver (packages
 * chromium and chromium-driver, whose versions Debian keeps in step; .ci/run installs them). When
 * either is missing the test is skipped with a message on stderr that says so plainly, except
 * under CI=true, where it fails: there .ci/run installed them, so their absence is a broken setup.
 */
final class BrowserSetup {

    record Found(Path chromium, Path chromedriver) {}

    private BrowserSetup() {}

    static Found find() {
        Path chromium = first("CTXPROBE_CHROMIUM", List.of("/usr/bin/chromium", "/usr/bin/chromium-browser"));
        Path driver = first("CTXPROBE_CHROMEDRIVER", List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"));
        if (chromium != null && driver != null) return new Found(chromium, driver);
        String missing = (chromium == null ? "chromium" : "") + (chromium == null && driver == null ? " and " : "")
                + (driver == null ? "chromedriver" : "");
        String message = "the HTML report's browser test could not run: " + missing + " not found (install Debian's chromium and "
                + "chromium-driver, as .ci/run does, or set CTXPROBE_CHROMIUM / CTXPROBE_CHROMEDRIVER)";
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI=true: " + message);
        }
        System.err.println();
        System.err.println("*** SKIPPED: " + message + " ***");
        System.err.println();
        Assumptions.abort(message);
        return null; // not reached
    }

    private static Path first(String variable, List<String> candidates) {
        String given = System.getenv(variable);
        if (given != null && !given.isBlank()) {
            Path p = Path.of(given);
            return Files.isExecutable(p) ? p : null;
        }
        return candidates.stream().map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
    }
}
