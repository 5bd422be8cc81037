package io.ctxprobe.cli;

import io.ctxprobe.cli.RunCommandTest.Outcome;
import io.ctxprobe.report.ReportReader;
import io.ctxprobe.report.Report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One real, short run whose JSON, CSV, Markdown and HTML the report tests share (made once per test
 * JVM: each format from the same run). It covers every chart of the HTML report: the switch
 * ladders, all-pairs matrices, creation, footprint, TLB reach, fork against memory and IPC. The
 * files stay under target/real-run for a person to open after the build.
 */
final class RealRunFixture {

    static final String[] PROBES = {"fiber.switch", "thread.switch", "process.switch", "jthread.switch", "vthread.switch",
            "cache.c2c", "thread.create", "fiber.create", "process.create", "footprint", "ipc.latency", "ipc.bandwidth", "tlb.reach"};

    record Files4(Path json, Path csv, Path md, Path html, Outcome outcome, Report report) {}

    private static Files4 made;

    private RealRunFixture() {}

    static synchronized Files4 get() {
        if (made != null) return made;
        try {
            Path dir = Path.of("target", "real-run").toAbsolutePath();
            Files.createDirectories(dir);
            Path json = dir.resolve("report.json");
            Path csv = dir.resolve("report.csv");
            Path md = dir.resolve("report.md");
            Path html = dir.resolve("report.html");
            for (Path p : new Path[] {json, csv, md, html}) Files.deleteIfExists(p);
            String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("run"), java.util.stream.Stream.concat(
                    java.util.stream.Stream.of(PROBES), java.util.stream.Stream.of("--quick", "--mechanism", "futex",
                            "--placement", "same-core,cross-core,all-pairs", "--json", json.toString(), "--csv", csv.toString(),
                            "--md", md.toString(), "--html", html.toString()))).toArray(String[]::new);
            Outcome outcome = RunCommandTest.cli(args);
            if (outcome.code() != 0) {
                throw new AssertionError("the fixture run failed with exit " + outcome.code() + ": " + outcome.err());
            }
            made = new Files4(json, csv, md, html, outcome, ReportReader.read(json));
            return made;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ReportReader.UnreadableReport e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }
}
