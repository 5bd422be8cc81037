package io.ctxprobe.report;

import java.util.ArrayList;
import java.util.Comparator;
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
 */
public record CostLadder(List<Ladder> ladders, List<Claim> claims) {

    /** One placement's rungs, cheapest first. */
    public record Ladder(String placement, List<Rung> rungs) {}

    /** A measured rung; {@code ratioToBelow} is this median over the next cheaper rung's (null for the cheapest). */
    public record Rung(String label, String key, double medianNs, String unit, Double ratioToBelow) {}

    public enum Verdict { CONFIRMED, CONTRADICTED, NOT_MEASURED }

    public record Claim(String claim, Verdict verdict, String evidence) {}

    /** A rung's definition: what it is called and the result it is read from. */
    private record Def(String label, String key) {}

    private static final List<Def> SAME_CORE = List.of(
            new Def("fiber, hand-written switch", "fiber.switch/asm"),
            new Def("fiber, glibc swapcontext", "fiber.switch/ucontext"),
            new Def("virtual thread, one carrier", "vthread.switch/one-carrier"),
            new Def("Java platform thread (park/unpark)", "jthread.switch/park/same-core"),
            new Def("kernel thread (futex)", "thread.switch/futex/same-core"),
            new Def("process (futex)", "process.switch/futex/same-core"));

    private static final List<Def> CROSS_CORE = List.of(
            new Def("cache line, one way (the floor)", "cache.c2c/" + "pair"),
            new Def("fiber migrating between two threads", "fiber.switch/migrate"),
            new Def("virtual thread, default scheduler", "vthread.switch/default-scheduler"),
            new Def("Java platform thread (park/unpark)", "jthread.switch/park/cross-core"),
            new Def("kernel thread (futex)", "thread.switch/futex/cross-core"),
            new Def("process (futex)", "process.switch/futex/cross-core"));

    public static CostLadder of(List<CaseResult> results) {
        Map<String, CaseResult> byKey = results.stream().filter(r -> r.stats() != null)
                .collect(Collectors.toMap(CaseResult::key, Function.identity(), (a, b) -> a));
        List<Ladder> ladders = new ArrayList<>();
        for (var entry : Map.of("same-core", SAME_CORE, "cross-core", CROSS_CORE).entrySet().stream()
                .sorted(Map.Entry.comparingByKey(Comparator.reverseOrder())).toList()) {
            List<Rung> rungs = rungs(entry.getValue(), byKey, results);
            if (rungs.size() >= 2) ladders.add(new Ladder(entry.getKey(), rungs));
        }
        return new CostLadder(ladders, claims(byKey));
    }

    private static List<Rung> rungs(List<Def> defs, Map<String, CaseResult> byKey, List<CaseResult> all) {
        List<Rung> measured = new ArrayList<>();
        for (Def d : defs) {
            find(d.key(), byKey, all).ifPresent(r -> measured.add(new Rung(
                    d.label() + (r.status() == Status.FLAGGED ? " [flagged]" : ""), r.key(), r.stats().median(), r.unit(), null)));
        }
        measured.sort(Comparator.comparingDouble(Rung::medianNs));
        List<Rung> out = new ArrayList<>();
        for (int i = 0; i < measured.size(); i++) {
            Rung r = measured.get(i);
            out.add(new Rung(r.label(), r.key(), r.medianNs(), r.unit(), i == 0 ? null : r.medianNs() / measured.get(i - 1).medianNs()));
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
        return List.of(
                cheaper("a fiber switch is cheaper than a kernel thread switch (no kernel involved)",
                        "fiber.switch/asm", "thread.switch/futex/same-core", byKey),
                cheaper("switching user threads needs no kernel and is extremely efficient next to kernel threads",
                        "vthread.switch/one-carrier", "thread.switch/futex/same-core", byKey),
                cheaper("a thread switch is cheaper than a process switch (no change of address space, TLB kept)",
                        "thread.switch/futex/same-core", "process.switch/futex/same-core", byKey),
                cheaper("a cooperative switch through glibc's ucontext is cheaper than a kernel thread switch",
                        "fiber.switch/ucontext", "thread.switch/futex/same-core", byKey));
    }

    /** Three significant digits without an exponent: 5.10, 278, 2850. */
    static String plain(double v) {
        return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
    }

    private static Claim cheaper(String claim, String cheapKey, String dearKey, Map<String, CaseResult> byKey) {
        CaseResult cheap = byKey.get(cheapKey);
        CaseResult dear = byKey.get(dearKey);
        if (cheap == null || dear == null) {
            return new Claim(claim, Verdict.NOT_MEASURED, "needs " + (cheap == null ? cheapKey : dearKey) + " in this run");
        }
        double a = cheap.stats().median();
        double b = dear.stats().median();
        String evidence = String.format(Locale.ROOT, "%s %s %s vs %s %s %s: x%.3g", cheapKey, plain(a), cheap.unit(),
                dearKey, plain(b), dear.unit(), b / a);
        return new Claim(claim, a < b ? Verdict.CONFIRMED : Verdict.CONTRADICTED, evidence);
    }
}
