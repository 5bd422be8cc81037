package io.ctxprobe.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.ctxprobe.host.HostFacts;

import java.util.List;

/**
 * A whole run: self-describing and keyed by host (host.hostKey), so reports from a fleet can be
 * merged and two runs compared case by case. {@code schema} names the format and its version.
 * {@code interference} is the run's steal and disturbed-case count (absent in a partial report);
 * {@code ladder} the cost ladder and the seed's claims with their verdict test, derived from the
 * results (absent in reports written before it existed).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Report(String schema, RunInfo run, HostFacts host, List<CaseResult> results, RunInterference interference,
                     CostLadder ladder) {

    public static final String SCHEMA = "ctxprobe-report/2";

    public Report {
        results = List.copyOf(results);
    }

    /** The fields every report had before interference and ladder. */
    public Report(String schema, RunInfo run, HostFacts host, List<CaseResult> results) {
        this(schema, run, host, results, null, null);
    }

    public static Report of(RunInfo run, HostFacts host, List<CaseResult> results) {
        return of(run, host, results, null);
    }

    public static Report of(RunInfo run, HostFacts host, List<CaseResult> results, RunInterference interference) {
        return new Report(SCHEMA, run, host, results, interference, CostLadder.of(results));
    }
}
