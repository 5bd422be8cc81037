package io.ctxprobe.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import io.ctxprobe.measure.RatioEstimate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The seed's claims as numbers: switch costs from every unit of execution, one ladder per placement,
 * <b>sorted by what was measured</b> (never by what the textbook expects: on a host where glibc's
 * swapcontext makes a system call per switch it can cost more than a virtual-thread handoff), each
 * rung with its median and its ratio to the rung below; then each claim of the seed with the verdict
 * this host's numbers give. Derived from results only, so any report can be re-laddered.
 *
 * <p><b>Placement by observation.</b> A rung sits under the placement its case was observed in, where
 * the case records one ({@code observed-carriers}: one carrier thread for both sides is a same-core
 * switch; {@code observed-cpus}: one CPU is same-core, several cross-core), else under the placement
 * the case pinned (and validated).
 *
 * <p><b>Verdicts.</b> "A is cheaper than B" is decided on the two cases' raw batch samples with
 * {@link RatioEstimate} (bootstrap 95% interval of median(B) / median(A)): {@code confirmed} only when
 * the whole interval lies above 1, {@code contradicted} when it lies below 1, else {@code within
 * noise} — never by which median happens to be lower.
 */
public record CostLadder(List<Ladder> ladders, List<Claim> claims) {

    /** One placement's rungs, cheapest first. */
    public record Ladder(String placement, List<Rung> rungs) {}

    /**
     * A measured rung; {@code ratioToBelow} is this median over the next cheaper rung's (null for the
     * cheapest); {@code placedBy} says what was observed when that, not the intended placement, placed it.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Rung(String label, String key, double medianNs, String unit, Double ratioToBelow, String placedBy) {}

    public enum Verdict {
        CONFIRMED, CONTRADICTED, WITHIN_NOISE, MIXED, NOT_MEASURED;

        @JsonValue
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    /**
     * A claim and its verdict. A comparison "cheap &lt; dear" names both cases; {@code ratio} is
     * median(dear) / median(cheap), with its interval [{@code low}, {@code high}] by {@code method}, all
     * null when not measured. A claim read from one case's figures ({@link FigureClaims}) has no
     * cheaper/dearer and no ratio: its {@code figures} (derived figures, each naming the cases it came
     * from) are its evidence in numbers; null when there are none.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Claim(String claim, Verdict verdict, String evidence, String cheaper, String dearer, Double ratio,
                        Double low, Double high, String method, List<Derived> figures) {
        public Claim {
            figures = figures == null || figures.isEmpty() ? null : List.copyOf(figures);
        }

        /** A comparison's claim (no figures). */
        public Claim(String claim, Verdict verdict, String evidence, String cheaper, String dearer, Double ratio,
                     Double low, Double high, String method) {
            this(claim, verdict, evidence, cheaper, dearer, ratio, low, high, method, null);
        }

        /** A claim read from figures. */
        static Claim ofFigures(String claim, Verdict verdict, String evidence, List<Derived> figures) {
            return new Claim(claim, verdict, evidence, null, null, null, null, null, null, figures);
        }
    }

    public static final String SAME_CORE = "same-core";
    public static final String CROSS_CORE = "cross-core";

    /** A rung's definition: what it is called, the result it is read from, the placement it is meant for. */
    private record Def(String label, String key, String intended) {}

    private static final List<Def> RUNGS = List.of(
            new Def("fiber, hand-written switch", "fiber.switch/asm", SAME_CORE),
            new Def("fiber, glibc swapcontext", "fiber.switch/ucontext", SAME_CORE),
            // a user-level thread's switch as its fibers see it: yield = the switch and a clock read; a
            // preemption = timer interrupt, signal delivery, the handler's switch and sigreturn
            new Def("fiber yield in a loop", "fiber.preempt/yield/100us", SAME_CORE),
            new Def("fiber preempted by a timer signal", "fiber.preempt/signal/100us", SAME_CORE),
            new Def("virtual thread, one carrier", "vthread.switch/one-carrier", SAME_CORE),
            new Def("Java platform thread (park/unpark)", "jthread.switch/park/same-core", SAME_CORE),
            new Def("kernel thread (futex)", "thread.switch/futex/same-core", SAME_CORE),
            new Def("process (futex)", "process.switch/futex/same-core", SAME_CORE),
            new Def("cache line, one way (the floor)", "cache.c2c/" + "pair", CROSS_CORE),
            new Def("fiber migrating between two threads", "fiber.switch/migrate", CROSS_CORE),
            new Def("virtual thread, default scheduler", "vthread.switch/default-scheduler", CROSS_CORE),
            new Def("Java platform thread (park/unpark)", "jthread.switch/park/cross-core", CROSS_CORE),
            new Def("kernel thread (futex)", "thread.switch/futex/cross-core", CROSS_CORE),
            new Def("process (futex)", "process.switch/futex/cross-core", CROSS_CORE));

    public static CostLadder of(List<CaseResult> results) {
        Map<String, CaseResult> byKey = results.stream().filter(r -> r.stats() != null)
                .collect(Collectors.toMap(CaseResult::key, Function.identity(), (a, b) -> a));
        Map<String, List<Rung>> byPlacement = new LinkedHashMap<>();
        byPlacement.put(SAME_CORE, new ArrayList<>());
        byPlacement.put(CROSS_CORE, new ArrayList<>());
        for (Def d : RUNGS) {
            find(d.key(), byKey, results).ifPresent(r -> {
                Observed seen = observed(r);
                String placement = seen != null ? seen.placement() : d.intended();
                byPlacement.get(placement).add(new Rung(d.label() + (r.status() == Status.FLAGGED ? " [flagged]" : ""),
                        r.key(), r.stats().median(), r.unit(), null, seen != null ? seen.why() : null));
            });
        }
        List<Ladder> ladders = new ArrayList<>();
        for (var e : byPlacement.entrySet()) {
            List<Rung> rungs = sorted(e.getValue());
            if (rungs.size() >= 2) ladders.add(new Ladder(e.getKey(), rungs));
        }
        return new CostLadder(ladders, claims(byKey));
    }

    /** Where a case was seen to run, from its recorded params; null when it records nothing observed. */
    record Observed(String placement, String why) {}

    static Observed observed(CaseResult r) {
        String carriers = r.params().get("observed-carriers");
        String cpus = r.params().get("observed-cpus");
        if (carriers != null && !carriers.isBlank() && !carriers.contains(",")) {
            return new Observed(SAME_CORE, "observed: both sides on one carrier thread (tid " + carriers + ")"
                    + (cpus != null ? " on CPU " + cpus : ""));
        }
        if (cpus != null && !cpus.isBlank()) {
            return cpus.contains(",") ? new Observed(CROSS_CORE, "observed: the sides on CPUs " + cpus)
                    : new Observed(SAME_CORE, "observed: both sides on CPU " + cpus);
        }
        return null;
    }

    private static List<Rung> sorted(List<Rung> measured) {
        List<Rung> in = new ArrayList<>(measured);
        in.sort(Comparator.comparingDouble(Rung::medianNs));
        List<Rung> out = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            Rung r = in.get(i);
            out.add(new Rung(r.label(), r.key(), r.medianNs(), r.unit(), i == 0 ? null : r.medianNs() / in.get(i - 1).medianNs(),
                    r.placedBy()));
        }
        return out;
    }

    /** An exact key, or for "cache.c2c/pair" the cheapest measured pair (the floor). */
    private static Optional<CaseResult> find(String key, Map<String, CaseResult> byKey, List<CaseResult> all) {
        if (key.equals("cache.c2c/pair")) {
            return all.stream().filter(r -> r.stats() != null && r.probe().equals("cache.c2c"))
                    .min(Comparator.comparingDouble(r -> r.stats().median()));
        }
        return Optional.ofNullable(byKey.get(key));
    }

    private static List<Claim> claims(Map<String, CaseResult> byKey) {
        List<Claim> out = new ArrayList<>(List.of(
                cheaper("a fiber switch is cheaper than a kernel thread switch (no kernel involved)",
                        "fiber.switch/asm", "thread.switch/futex/same-core", byKey),
                cheaper("switching user threads needs no kernel and is extremely efficient next to kernel threads",
                        "vthread.switch/one-carrier", "thread.switch/futex/same-core", byKey),
                cheaper("a thread switch is cheaper than a process switch (no change of address space, TLB kept)",
                        "thread.switch/futex/same-core", "process.switch/futex/same-core", byKey),
                cheaper("a cooperative switch through glibc's ucontext is cheaper than a kernel thread switch",
                        "fiber.switch/ucontext", "thread.switch/futex/same-core", byKey)));
        out.addAll(FigureClaims.of(byKey));
        return out;
    }

    /** Three significant digits without an exponent: 5.10, 278, 2850. */
    static String plain(double v) {
        return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
    }

    /** The claim "cheap < dear" decided on the two cases' batch samples (see the class comment). */
    static Claim cheaper(String claim, String cheapKey, String dearKey, Map<String, CaseResult> byKey) {
        CaseResult cheap = byKey.get(cheapKey);
        CaseResult dear = byKey.get(dearKey);
        if (cheap == null || dear == null) {
            return new Claim(claim, Verdict.NOT_MEASURED, "needs " + (cheap == null ? cheapKey : dearKey) + " in this run",
                    cheapKey, dearKey, null, null, null, null);
        }
        if (cheap.samples() == null || cheap.samples().isEmpty() || dear.samples() == null || dear.samples().isEmpty()
                || !cheap.unit().equals(dear.unit())) {
            return new Claim(claim, Verdict.NOT_MEASURED, "needs the batch samples of both cases in one unit",
                    cheapKey, dearKey, null, null, null, null);
        }
        RatioEstimate est = RatioEstimate.of(toArray(dear.samples()), toArray(cheap.samples()));
        Verdict verdict = switch (est.against(1.0)) {
            case ABOVE -> Verdict.CONFIRMED;
            case BELOW -> Verdict.CONTRADICTED;
            case WITHIN_NOISE -> Verdict.WITHIN_NOISE;
        };
        String evidence = String.format(Locale.ROOT, "%s %s %s vs %s %s %s: %s%s", cheapKey, plain(cheap.stats().median()),
                cheap.unit(), dearKey, plain(dear.stats().median()), dear.unit(), est.describe(),
                cheap.status() == Status.FLAGGED || dear.status() == Status.FLAGGED ? " [a side is flagged]" : "");
        return new Claim(claim, verdict, evidence, cheapKey, dearKey, est.ratio(), est.low(), est.high(), RatioEstimate.METHOD);
    }

    private static double[] toArray(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
