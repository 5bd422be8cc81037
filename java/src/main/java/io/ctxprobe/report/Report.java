package io.ctxprobe.report;

import io.ctxprobe.host.HostFacts;

import java.util.List;

/**
 * A whole run: self-describing and keyed by host (host.hostKey), so reports from a fleet can be
 * merged and two runs compared case by case. {@code schema} names the format and its version.
 */
public record Report(String schema, RunInfo run, HostFacts host, List<CaseResult> results) {

    public static final String SCHEMA = "ctxprobe-report/1";

    public Report {
        results = List.copyOf(results);
    }

    public static Report of(RunInfo run, HostFacts host, List<CaseResult> results) {
        return new Report(SCHEMA, run, host, results);
    }
}
