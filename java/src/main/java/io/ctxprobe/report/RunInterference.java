package io.ctxprobe.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.ctxprobe.measure.CpuTimes;
import io.ctxprobe.measure.Interference;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The run's one interference line: the hypervisor's steal over the whole run (/proc/stat, in clock
 * ticks: too coarse for a single case, fine for a run), and how many cases were judged for
 * interference, how many of those were disturbed (see {@link Interference}), how many were
 * re-measured ({@code --retry-disturbed}).
 *
 * @param stealShare  steal ticks / all ticks over the run, all CPUs; null where /proc/stat was unreadable
 * @param absentReason why stealShare is absent, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunInterference(Double stealShare, Long stealTicks, Long totalTicks, String source, int judgedCases,
                              int disturbedCases, int remeasuredCases, double threshold, String absentReason) {

    public static RunInterference of(Optional<CpuTimes> before, Optional<CpuTimes> after, List<CaseResult> results) {
        int judged = 0;
        int disturbed = 0;
        int remeasured = 0;
        for (CaseResult r : results) {
            if (r.interference() != null && r.interference().offCpuShare() != null) judged++;
            if (r.disturbed()) disturbed++;
            if (r.attempts() != null) remeasured++;
        }
        if (before.isEmpty() || after.isEmpty()) {
            return new RunInterference(null, null, null, CpuTimes.SOURCE, judged, disturbed, remeasured,
                    Interference.DISTURBED_SHARE, "/proc/stat unreadable");
        }
        CpuTimes d = after.get().minus(before.get());
        return new RunInterference(d.stealShare(), d.stealTicks(), d.totalTicks(), CpuTimes.SOURCE, judged, disturbed,
                remeasured, Interference.DISTURBED_SHARE, d.stealShare() == null ? "no CPU time accounted over the run" : null);
    }

    /** "interference: steal 0.4% of CPU time over the run (...); 2 of 40 judged cases disturbed (...)". */
    public String describe() {
        String steal = stealShare != null
                ? String.format(Locale.ROOT, "steal %.2f%% of all CPU time over the run (%d of %d ticks, /proc/stat)",
                        100 * stealShare, stealTicks, totalTicks)
                : "steal unknown (" + absentReason + ")";
        return String.format(Locale.ROOT, "interference: %s; %d of %d judged cases disturbed (measured threads lost > %.0f%% "
                + "of their window to other work)%s", steal, disturbedCases, judgedCases, 100 * threshold,
                remeasuredCases > 0 ? ", " + remeasuredCases + " re-measured (--retry-disturbed)" : "");
    }

    /** The one-screen form: "interference: steal 0.19% of CPU time; 37 of 46 judged cases disturbed (> 10% of their window lost)". */
    public String describeShort() {
        String steal = stealShare != null ? String.format(Locale.ROOT, "steal %.2f%% of CPU time", 100 * stealShare)
                : "steal unknown";
        return String.format(Locale.ROOT, "interference: %s; %d of %d judged cases disturbed (> %.0f%% of their window lost to "
                + "other work)%s", steal, disturbedCases, judgedCases, 100 * threshold,
                remeasuredCases > 0 ? "; " + remeasuredCases + " re-measured" : "");
    }
}
