package io.ctxprobe.report.format;

import io.ctxprobe.host.Fact;
import io.ctxprobe.host.FactSection;
import io.ctxprobe.host.HostFacts;
import io.ctxprobe.host.Summary;
import io.ctxprobe.measure.Stats;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.Report;
import io.ctxprobe.report.RunInfo;
import io.ctxprobe.report.Status;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Made-up reports for the fleet view's rules: a host's facts and a few cases with given batch values. */
public final class FleetFixtures {

    private FleetFixtures() {}

    /** A summary as a KVM guest on Zen 4 with kernel 6.12 reports it; {@code pti} switches PTI on (without PCID). */
    public static Summary summary(boolean pti, String kernel) {
        return new Summary("AMD EPYC", "Zen 4", 2, true, "KVM", false, "no hardware PMU (ENOENT)", pti, !pti,
                pti ? "PTI on, no PCID" : "PTI off", kernel, null);
    }

    public static Report report(String key, String name, Summary summary, String start, CaseResult... cases) {
        HostFacts host = new HostFacts(key, name, null,
                List.of(new FactSection("security", List.of(Fact.of("cmdline mitigations", "auto", "procfs:/proc/cmdline")))), summary);
        RunInfo run = new RunInfo("0.1.0", null, start, List.of("ctxprobe", "run"), null, "ffm", true, false);
        return Report.of(run, host, List.of(cases));
    }

    /** A measured case whose batches are {@code values} (its median, p5 and p95 are theirs). */
    public static CaseResult measured(String probe, String id, String unit, double... values) {
        return new CaseResult(probe, id, Map.of(), unit, Status.OK, null, Stats.of(values), null, null, null,
                Arrays.stream(values).boxed().toList(), null, null, null, null);
    }

    /** Eight batches tightly around {@code v} (±0.5%). */
    public static double[] around(double v) {
        return new double[] {v * 0.995, v * 0.998, v, v, v * 1.001, v * 1.002, v * 1.004, v * 1.005};
    }
}
