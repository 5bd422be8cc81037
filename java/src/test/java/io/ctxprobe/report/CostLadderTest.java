package io.ctxprobe.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctxprobe.measure.RatioEstimate;
import io.ctxprobe.measure.Stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The ladder's verdict test on synthetic samples, and rungs placed by what the case observed. */
class CostLadderTest {

    private static CaseResult result(String key, double[] samples, Map<String, String> params) {
        int slash = key.indexOf('/');
        return new CaseResult(key.substring(0, slash), key.substring(slash + 1), params, "ns/switch", Status.OK, null,
                Stats.of(samples), null, null, null, Arrays.stream(samples).boxed().toList(), null, null, null, null);
    }

    private static CaseResult result(String key, double[] samples) {
        return result(key, samples, Map.of());
    }

    private static double[] lognormal(Random random, int n, double median, double sigma) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) out[i] = median * Math.exp(sigma * random.nextGaussian());
        return out;
    }

    private static CostLadder.Claim threadVsProcess(double[] thread, double[] process) {
        CostLadder ladder = CostLadder.of(List.of(result("thread.switch/futex/same-core", thread),
                result("process.switch/futex/same-core", process)));
        return ladder.claims().stream().filter(c -> c.claim().startsWith("a thread switch")).findFirst().orElseThrow();
    }

    @Test
    void twoSampleSetsFromOneDistributionAreWithinNoise() {
        Random random = new Random(11);
        CostLadder.Claim c = threadVsProcess(lognormal(random, 31, 3000, 0.1), lognormal(random, 31, 3000, 0.1));
        assertEquals(CostLadder.Verdict.WITHIN_NOISE, c.verdict(), c.evidence());
        assertTrue(c.low() < 1 && c.high() > 1, c.evidence());
        assertEquals(RatioEstimate.METHOD, c.method());
    }

    @Test
    void heavilyOverlappingSpreadsWithTheBulkClearlyShiftedAreConfirmed() {
        // Both cases' p5-p95 ranges contain each other's medians (a range-overlap check would say
        // "cannot tell"), but the bulk of the process batches sits 6% above the thread's.
        List<Double> thread = new ArrayList<>();
        List<Double> process = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            thread.add(3000 + 2.0 * i);
            process.add(3180 + 2.0 * i);
        }
        for (int i = 0; i < 6; i++) {
            thread.add(3300 + 150.0 * i);    // a slow tail reaching past the process's bulk
            process.add(2700 + 20.0 * i);    // a fast tail below the thread's bulk
        }
        double[] t = thread.stream().mapToDouble(Double::doubleValue).toArray();
        double[] p = process.stream().mapToDouble(Double::doubleValue).toArray();
        Stats ts = Stats.of(t);
        Stats ps = Stats.of(p);
        assertTrue(ts.p5() <= ps.median() && ps.median() <= ts.p95(), "the thread's p5-p95 holds the process median");
        assertTrue(ps.p5() <= ts.median() && ts.median() <= ps.p95(), "the process's p5-p95 holds the thread median");
        CostLadder.Claim c = threadVsProcess(t, p);
        assertEquals(CostLadder.Verdict.CONFIRMED, c.verdict(), c.evidence());
        assertTrue(c.low() > 1, c.evidence());
        assertTrue(c.evidence().contains("95%"), c.evidence());
    }

    @Test
    void aClearlyReversedOrderIsContradicted() {
        Random random = new Random(12);
        CostLadder.Claim c = threadVsProcess(lognormal(random, 31, 6000, 0.05), lognormal(random, 31, 3000, 0.05));
        assertEquals(CostLadder.Verdict.CONTRADICTED, c.verdict(), c.evidence());
        assertTrue(c.high() < 1);
    }

    @Test
    void aMissingCaseIsNotMeasured() {
        CostLadder ladder = CostLadder.of(List.of(result("thread.switch/futex/same-core", new double[] {1, 2, 3})));
        assertTrue(ladder.claims().stream().allMatch(c -> c.verdict() == CostLadder.Verdict.NOT_MEASURED));
        assertNull(ladder.claims().getFirst().ratio());
    }

    @Test
    void theDefaultSchedulerRungSitsWhereItWasObserved() {
        Random random = new Random(13);
        Map<String, String> oneCarrier = new HashMap<>(Map.of("observed-carriers", "4242", "observed-cpus", "1"));
        List<CaseResult> results = List.of(
                result("vthread.switch/default-scheduler", lognormal(random, 11, 1400, 0.05), oneCarrier),
                result("thread.switch/futex/same-core", lognormal(random, 11, 2800, 0.05)),
                result("thread.switch/futex/cross-core", lognormal(random, 11, 9700, 0.05)),
                result("fiber.switch/migrate", lognormal(random, 11, 630, 0.05)));
        CostLadder ladder = CostLadder.of(results);
        CostLadder.Ladder same = ladder.ladders().stream().filter(l -> l.placement().equals("same-core")).findFirst().orElseThrow();
        CostLadder.Rung vthread = same.rungs().stream().filter(r -> r.key().equals("vthread.switch/default-scheduler"))
                .findFirst().orElseThrow();
        assertNotNull(vthread.placedBy());
        assertTrue(vthread.placedBy().contains("one carrier"), vthread.placedBy());

        Map<String, String> twoCpus = Map.of("observed-carriers", "4242,4243", "observed-cpus", "0,1");
        CostLadder moved = CostLadder.of(List.of(
                result("vthread.switch/default-scheduler", lognormal(random, 11, 1400, 0.05), twoCpus),
                result("thread.switch/futex/cross-core", lognormal(random, 11, 9700, 0.05))));
        assertEquals("cross-core", moved.ladders().getFirst().placement());
        assertEquals(2, moved.ladders().getFirst().rungs().size());
    }
}
