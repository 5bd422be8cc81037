package io.ctxprobe.probes.tlb;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The refinement on recorded and synthetic curves, driven as the probe drives it: the coarse grid
 * first, then each N the locator asks for, until it asks for none.
 */
class TlbStepLocatorTest {

    /** The quick suite's grid (TlbReachProbe.QUICK_PAGES) up to 6144, as far as the recorded curve goes. */
    private static final long[] QUICK = {16, 32, 64, 96, 128, 192, 256, 1024, 2048, 4096, 6144};
    /** The recorded Zen 4 curve has no point between 160 and 512: its coarse grid skips 192 and 256. */
    private static final long[] RECORDED_COARSE = {16, 32, 64, 96, 128, 512, 1024, 2048, 4096, 6144};

    /** A curve as the probe sees it: the k-th measurement at N (k = 0, 1) gives sparse and packed. */
    interface Chase {
        TlbStepLocator.Sample measure(long pages, int nth);
    }

    private record Driven(List<TlbStepLocator.Level> levels, List<Long> asked) {}

    private static Driven drive(long[] coarse, Chase chase) {
        List<TlbStepLocator.Sample> samples = new ArrayList<>();
        Map<Long, Integer> count = new TreeMap<>();
        List<Long> asked = new ArrayList<>();
        for (long n : coarse) samples.add(chase.measure(n, count.merge(n, 1, Integer::sum) - 1));
        for (int i = 0; i < 200; i++) {
            Optional<TlbStepLocator.Request> r = TlbStepLocator.next(coarse, samples);
            if (r.isEmpty()) return new Driven(TlbStepLocator.levels(coarse, samples), asked);
            long n = r.get().pages();
            int nth = count.merge(n, 1, Integer::sum) - 1;
            assertTrue(nth < TlbStepLocator.REPEATS, "N = " + n + " asked for a " + (nth + 1) + "th time");
            asked.add(n);
            samples.add(chase.measure(n, nth));
        }
        throw new AssertionError("the locator never stopped asking: " + asked);
    }

    /** d(N) on a packed control of one cache-hit load (1.1 ns), the same on every measurement. */
    private static Chase synthetic(LongToDoubleFunction d) {
        return (n, nth) -> new TlbStepLocator.Sample(n, 1.1 + d.applyAsDouble(n), 1.1);
    }

    private static void assertWithin(TlbStepLocator.Boundary b, long tol) {
        assertTrue(b.located(), b.why());
        assertTrue(b.upper() - b.lower() <= tol, "interval " + b.lower() + ".." + b.upper() + " wider than " + tol);
    }

    // ---- the recorded Zen 4 curve ---------------------------------------------------------------

    private record Recorded(long[] pages, double[] sparse, double[] packed) {}

    private static Recorded zen4() throws IOException {
        TreeMap<Long, double[]> rows = new TreeMap<>();
        try (InputStream in = TlbStepLocatorTest.class.getResourceAsStream("/tlb-curves/zen4-kvm-4k.csv")) {
            assertNotNull(in, "test resource tlb-curves/zen4-kvm-4k.csv");
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#") || line.startsWith("layout")) continue;
                String[] f = line.split(",");
                double[] row = rows.computeIfAbsent(Long.parseLong(f[1]), k -> new double[] {Double.NaN, Double.NaN});
                row[f[0].equals("sparse") ? 0 : 1] = Double.parseDouble(f[3]);   // the median column
            }
        }
        long[] n = rows.keySet().stream().mapToLong(Long::longValue).toArray();
        return new Recorded(n, rows.values().stream().mapToDouble(r -> r[0]).toArray(),
                rows.values().stream().mapToDouble(r -> r[1]).toArray());
    }

    @Test
    void theRecordedZen4CurveStepsAt72() throws IOException {
        Recorded r = zen4();
        assertEquals(37 + 45, r.pages().length, "every 4 pages from 16 to 160, every 128 from 512 to 6144");
        List<TlbStepLocator.Level> levels = TlbStepLocator.locateOnCurve(r.pages(), r.sparse(), r.packed(), RECORDED_COARSE);
        assertEquals(2, levels.size());
        TlbStepLocator.Level l1 = levels.get(0);
        assertWithin(l1.start(), 4);
        assertTrue(Math.abs(l1.start().lower() - 72) <= 4, "L1 steps after " + l1.start().lower() + " pages, not 72 +/- 4");
        assertEquals(l1.start().upper(), l1.saturation().upper(), "a sharp step: it saturates where it starts");
        assertFalse(l1.gradual());
        assertEquals("agrees", TlbStepLocator.cpuidVerdict(72, l1), "CPUID says 72 on that host");

        TlbStepLocator.Level l2 = levels.get(1);
        assertTrue(l2.gradual(), "the set-associative L2 fills gradually");
        assertWithin(l2.start(), TlbStepLocator.tolerance(l2.start().lower()));
        assertWithin(l2.saturation(), TlbStepLocator.tolerance(l2.saturation().lower()));
        // the recorded d: 2.37 at 2304, 2.69 at 2432, 3.45 at 2560 ... 13.54 at 4608, 14.67 at 4736, 15.73 at 6144
        assertTrue(l2.start().lower() >= 2176 && l2.start().upper() <= 2560, "rise starts " + l2.start());
        assertTrue(l2.saturation().lower() >= 4352 && l2.saturation().upper() <= 4992, "saturates " + l2.saturation());
        assertEquals("agrees", TlbStepLocator.cpuidVerdict(3072, l2));
    }

    @Test
    void theRecordedCurveAsTheProbeSeesItOnTheQuickGrid() throws IOException {
        Recorded r = zen4();
        // no 192/256 in the recording: answer them (and every refined N) by interpolation, as locateOnCurve does
        List<TlbStepLocator.Level> levels = TlbStepLocator.locateOnCurve(r.pages(), r.sparse(), r.packed(), QUICK);
        assertTrue(Math.abs(levels.get(0).start().lower() - 72) <= 4, "L1 " + levels.get(0).start());
    }

    // ---- synthetic curves -----------------------------------------------------------------------

    /** Flat to 72 pages, 1.9 ns from 76 on; the L2 a sharp 20 ns step after 2048 pages. */
    private static double twoSharpSteps(long n) {
        return n <= 72 ? 0.02 : n <= 2048 ? 1.9 : 20;
    }

    @Test
    void aBlipBeforeTheStepIsNotTheStep() {
        // a persistent slow point at 64 pages (every measurement of it): the step must hold for what follows
        Driven persistent = drive(QUICK, synthetic(n -> n == 64 ? 1.9 : twoSharpSteps(n)));
        TlbStepLocator.Level l1 = persistent.levels().get(0);
        assertEquals(72, l1.start().lower(), persistent.asked().toString());
        assertEquals(76, l1.start().upper());
        assertTrue(persistent.asked().contains(68L), "the point after the blip was measured: " + persistent.asked());

        // a one-off slow point (only its first measurement): the re-measure clears it
        Chase once = (n, nth) -> synthetic(m -> m == 64 && nth == 0 ? 1.9 : twoSharpSteps(m)).measure(n, nth);
        Driven d = drive(QUICK, once);
        assertEquals(72, d.levels().get(0).start().lower(), d.asked().toString());
        assertEquals(2048, d.levels().get(1).start().lower(), "a sharp L2 step stays on its grid point");
        assertTrue(d.levels().get(1).start().upper() - 2048 <= TlbStepLocator.tolerance(2048));
    }

    @Test
    void aRampIsLocatedAtItsStartAndItsSaturation() {
        // L1 at 72; L2 at 2.3 ns until 2300 pages, rising linearly to 15 ns at 4800, flat after
        LongToDoubleFunction ramp = n -> n <= 72 ? 0.02 : n <= 2300 ? 2.3
                : n >= 4800 ? 15 : 2.3 + (15 - 2.3) * (n - 2300) / 2500.0;
        Driven d = drive(QUICK, synthetic(ramp));
        TlbStepLocator.Level l2 = d.levels().get(1);
        assertTrue(l2.gradual());
        assertWithin(l2.start(), TlbStepLocator.tolerance(l2.start().lower()));
        assertWithin(l2.saturation(), TlbStepLocator.tolerance(l2.saturation().lower()));
        // the thresholds' crossings (5% and 90% of the 12.7 ns rise) lie inside the located intervals
        double startCross = 2300 + 0.05 * 2500;
        double saturatedCross = 2300 + 0.90 * 2500;
        assertTrue(l2.start().lower() < startCross && startCross <= l2.start().upper(), "start " + l2.start());
        assertTrue(l2.saturation().lower() < saturatedCross && saturatedCross <= l2.saturation().upper(), "saturation " + l2.saturation());
        assertEquals("agrees", TlbStepLocator.cpuidVerdict(3072, l2), "3072 lies inside the rise");
        assertEquals("disagrees by " + (l2.start().lower() - 2048) + " pages", TlbStepLocator.cpuidVerdict(2048, l2));
        assertEquals(72, d.levels().get(0).start().lower());
    }

    @Test
    void aLyingCpuidIsReportedNotBelieved() {
        // a ~4096-entry L2 (sharp here) while CPUID says 128 (the Zen 5 guest's figure)
        Driven d = drive(new long[] {16, 32, 64, 96, 128, 192, 256, 1024, 2048, 4096, 6144, 8192, 16384},
                synthetic(n -> n <= 96 ? 0.02 : n <= 4096 ? 1.9 : 25));
        TlbStepLocator.Level l2 = d.levels().get(1);
        assertEquals(4096, l2.start().lower(), "the measured reach, whatever CPUID says");
        assertWithin(l2.start(), TlbStepLocator.tolerance(4096));
        assertEquals("disagrees by " + (4096 - 128) + " pages", TlbStepLocator.cpuidVerdict(128, l2));
        assertEquals("agrees", TlbStepLocator.cpuidVerdict(96, d.levels().get(0)));
    }

    @Test
    void refiningL1OnlyLeavesL2AtItsCoarseInterval() {
        List<TlbStepLocator.Sample> samples = new ArrayList<>();
        Chase chase = synthetic(TlbStepLocatorTest::twoSharpSteps);
        for (long n : QUICK) samples.add(chase.measure(n, 0));
        for (int i = 0; i < 50; i++) {
            Optional<TlbStepLocator.Request> r = TlbStepLocator.next(QUICK, samples, 1);
            if (r.isEmpty()) break;
            assertEquals(1, r.get().level(), r.get().why());
            samples.add(chase.measure(r.get().pages(), 1));
        }
        List<TlbStepLocator.Level> levels = TlbStepLocator.levels(QUICK, samples, 1);
        assertTrue(levels.get(0).located());
        TlbStepLocator.Level l2 = levels.get(1);
        assertFalse(l2.located());
        assertTrue(l2.start().why().startsWith(TlbStepLocator.COARSE_ONLY), l2.start().why());
        assertEquals(2048, l2.start().lower());
        assertEquals(4096, l2.start().upper(), "the coarse grid's interval");
    }

    @Test
    void aCurveWithoutStepsAsksForNothing() {
        Driven d = drive(QUICK, synthetic(n -> 0.03));
        assertTrue(d.levels().isEmpty());
        assertTrue(d.asked().isEmpty());
    }

    @Test
    void toleranceAndMidpoint() {
        assertEquals(4, TlbStepLocator.tolerance(72));
        assertEquals(112, TlbStepLocator.tolerance(2304));
        assertEquals(80, TlbStepLocator.midpoint(64, 96));
        assertEquals(74, TlbStepLocator.midpoint(72, 76), "off the 4-page grid only when nothing on it lies inside");
    }
}
