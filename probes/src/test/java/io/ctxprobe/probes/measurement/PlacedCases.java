package io.ctxprobe.probes.measurement;

import io.ctxprobe.report.CaseResult;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** For tests: what a {@link PlacedMeasurement} case reports, parsed, and the facts it must hold on any host. */
public record PlacedCases(int copies, double spread, List<String> labels, List<Double> medians, List<Long> counts) {

    private static final Pattern COPY = Pattern.compile("median ([0-9.]+) \\(min [0-9.]+, max [0-9.]+\\); ([0-9]+) .+");

    /** Each "placement +N" param parsed (median M (min A, max B); COUNT what), in the order reported. */
    public static PlacedCases of(CaseResult r) {
        List<String> labels = new ArrayList<>();
        List<Double> medians = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        r.params().forEach((k, v) -> {
            if (!k.startsWith("placement +")) return;
            Matcher m = COPY.matcher(v);
            assertTrue(m.matches(), r.key() + ": " + k + " = " + v);
            labels.add(k.substring("placement ".length()));
            medians.add(Double.parseDouble(m.group(1)));
            counts.add(Long.parseLong(m.group(2)));
        });
        assertTrue(r.params().containsKey("placements"), r.key() + " reports no placements: " + r.params());
        return new PlacedCases(Integer.parseInt(r.params().get("placements")),
                Double.parseDouble(r.params().get("placement spread")), labels, medians, counts);
    }

    /**
     * Facts of any placed case: at least two copies, each named, each counted exactly
     * {@code countPerOp} per measured operation (so each ran its loop), the value and the raw samples
     * the best copy's, the spread >= 1, and above a spread of 1.3 the cause named: front-end placement when
     * each copy's fastest batch differs as much, interference otherwise.
     */
    public static PlacedCases assertPlaced(CaseResult r, long countPerOp) {
        PlacedCases p = of(r);
        assertTrue(p.copies() >= 2, r.key() + ": " + p.copies() + " placements");
        assertEquals(p.copies(), p.labels().size(), r.key() + ": one param per placement");
        long expected = countPerOp * r.plan().opsPerBatch() * r.plan().batches();
        for (int i = 0; i < p.copies(); i++) {
            assertEquals(expected, p.counts().get(i), r.key() + " placement " + p.labels().get(i) + ": counted by the loop");
        }
        double best = p.medians().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        assertEquals(best, r.stats().median(), 0.006, r.key() + ": the value is the best placement's median");
        int chosen = p.labels().indexOf(r.params().get("placement"));
        assertTrue(chosen >= 0, r.key() + ": the chosen placement is one of the copies: " + r.params().get("placement"));
        assertEquals(best, p.medians().get(chosen), 0.006, r.key() + ": the chosen placement has the lowest median");
        assertEquals(r.plan().batches(), r.samples().size(), r.key() + ": the chosen placement's raw batches are kept");
        double worst = p.medians().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        assertTrue(p.spread() >= 1.0, r.key() + " spread " + p.spread());
        assertEquals(worst / best, p.spread(), 0.01 * p.spread() + 0.002, r.key() + ": spread = worst/best");
        double fastest = Double.parseDouble(r.params().get("placement spread of fastest batches"));
        boolean large = p.spread() > PlacedMeasurement.PLACEMENT_SPREAD_NOTE;
        boolean frontEnd = r.notes().stream().anyMatch(n -> n.contains("front-end / branch-target placement"));
        boolean interference = r.notes().stream().anyMatch(n -> n.contains("is interference"));
        assertEquals(large && fastest > PlacedMeasurement.PLACEMENT_SPREAD_NOTE, frontEnd,
                r.key() + ": placement named as the cause exactly when the spread, fastest batches too, exceeds 1.3: " + r.notes());
        assertEquals(large && !frontEnd, interference,
                r.key() + ": a large spread the fastest batches do not share is called interference: " + r.notes());
        return p;
    }
}
