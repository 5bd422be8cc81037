package io.ctxprobe.cli;

import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.Derived;
import io.ctxprobe.report.Status;
import io.ctxprobe.report.format.Fmt;
import io.ctxprobe.report.format.UnitScale;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One line per probe family for the one-screen summary: the figures a reader looks for first, read
 * from the cases' medians and typed derived figures (never from notes). A pick whose case is absent,
 * not measured, or lacks the figure is left out; a family with nothing to show has no line. Probes
 * this table does not name (new ones) get a line per family prefix ("sched" for sched.*) listing
 * their first measured cases, so a new probe is on the screen without an edit here; give it a
 * family line here to choose its headline.
 */
final class FamilyHeadlines {

    /** One figure: a case's median, or one of its derived figures; {@code keys} are alternatives, first found wins. */
    record Pick(String label, List<String> keys, String derived, boolean signed) {
        static Pick median(String label, String... keys) {
            return new Pick(label, List.of(keys), null, false);
        }

        /** A derived difference, shown with its sign ("+12 ns"). */
        static Pick derived(String label, String derivedLabel, String... keys) {
            return new Pick(label, List.of(keys), derivedLabel, true);
        }

        /** A derived figure that is no difference (a reach, a ratio): no sign; an interval as "low-high". */
        static Pick figure(String label, String derivedLabel, String... keys) {
            return new Pick(label, List.of(keys), derivedLabel, false);
        }
    }

    record Family(String name, String lead, List<Pick> picks) {}

    /** Probes the ladder shows: a family line repeats none of their medians. */
    static final Set<String> LADDER_PROBES = Set.of("fiber.switch", "vthread.switch", "jthread.switch", "thread.switch",
            "process.switch", "cache.c2c");

    static final List<Family> FAMILIES = List.of(
            new Family("syscall", "", List.of(
                    Pick.median("null syscall", "syscall.null/c-loop"),
                    Pick.derived("FFM", "binding's share over the C loop", "syscall.null/ffm-downcall"),
                    Pick.derived("JNA", "binding's share over the C loop", "syscall.null/jna-call"),
                    Pick.median("vDSO clock", "syscall.vdso/vdso"),
                    Pick.median("forced", "syscall.vdso/forced-syscall"))),
            new Family("switching", "", List.of(
                    Pick.derived("thread net of futex calls", "net of the mechanism", "thread.switch/futex/same-core"),
                    Pick.derived("process net of futex calls", "net of the mechanism", "process.switch/futex/same-core"),
                    Pick.derived("fiber migration over spin handoff", "added over the spin handoff",
                            "fiber.switch/migrate"))),
            new Family("create", "", List.of(
                    Pick.median("fiber", "fiber.create/pooled-stack"),
                    Pick.median("vthread", "thread.create/java-virtual"),
                    Pick.median("pthread", "thread.create/pthread"),
                    Pick.median("Java thread", "thread.create/java-platform"),
                    Pick.median("fork", "process.create/fork/helper"),
                    Pick.median("posix_spawn", "process.create/posix-spawn/helper"),
                    Pick.derived("fork per MiB", "extra per MiB touched", "process.create/fork/helper-touched-16MiB",
                            "process.create/fork/helper-touched-256MiB"),
                    Pick.median("fiber+stack", "fiber.create/fresh-stack"))),
            new Family("footprint", "", List.of(
                    Pick.median("fiber", "footprint/fiber"),
                    Pick.median("vthread", "footprint/virtual-thread"),
                    Pick.median("kernel thread", "footprint/kernel-thread"),
                    Pick.median("Java thread", "footprint/java-platform-thread"),
                    Pick.median("process", "footprint/process"))),
            new Family("ipc", "one-way:", List.of(
                    Pick.median("shared memory", "ipc.latency/shared-memory/cross-core", "ipc.latency/shared-memory/same-core"),
                    Pick.median("pipe", "ipc.latency/pipe/cross-core", "ipc.latency/pipe/same-core"),
                    Pick.median("unix socket", "ipc.latency/unix-socket/cross-core", "ipc.latency/unix-socket/same-core"),
                    Pick.median("bandwidth shm", "ipc.bandwidth/shared-memory/cross-core", "ipc.bandwidth/shared-memory/same-core"),
                    Pick.median("pipe", "ipc.bandwidth/pipe/cross-core", "ipc.bandwidth/pipe/same-core"))),
            new Family("isolation", "a crash seen after:", List.of(
                    Pick.median("process", "isolation/child-process"),
                    Pick.median("thread", "isolation/thread"),
                    Pick.median("fiber", "isolation/fiber"))),
            new Family("blocking", "longest stall:", List.of(
                    Pick.median("fibers read", "blocking/fibers/blocking-read"),
                    Pick.median("epoll", "blocking/fibers/nonblocking-epoll"),
                    Pick.median("vthreads FFM read", "blocking/vthreads/ffm-read"),
                    Pick.median("sleep", "blocking/vthreads/sleep"),
                    Pick.median("channel", "blocking/vthreads/channel-read"))),
            // tlb.reach's figures are derived ones on the 4 KiB sparse cases that confirmed each step
            new Family("tlb", "", List.of(
                    Pick.figure("L1 reach", "L1 reach", "tlb.reach/4k/*"),
                    Pick.figure("L2 reach", "L2 reach", "tlb.reach/4k/*"),
                    Pick.figure("walk", "walk penalty", "tlb.reach/4k/*"),
                    Pick.derived("null-syscall refill per page", "kernel-entry refill per page (sparse - packed control)",
                            "tlb.switch/null-syscall/w1024"))));

    private FamilyHeadlines() {}

    /** "name  lead label value · label value ..." per family with anything to show, each at most {@code width} wide. */
    static List<String> lines(List<CaseResult> results, int width) {
        Map<String, CaseResult> byKey = new LinkedHashMap<>();
        for (CaseResult r : results) byKey.putIfAbsent(r.key(), r);
        List<String> out = new ArrayList<>();
        Set<String> known = new LinkedHashSet<>(LADDER_PROBES);
        for (Family f : FAMILIES) {
            List<String> parts = new ArrayList<>();
            for (Pick p : f.picks()) {
                p.keys().forEach(k -> known.add(k.substring(0, k.indexOf('/'))));   // a probe with a family line
                figure(p, byKey).ifPresent(parts::add);
            }
            if (!parts.isEmpty()) out.add(line(f.name(), f.lead(), parts, width));
        }
        Map<String, List<String>> others = new LinkedHashMap<>();
        for (CaseResult r : results) {
            if (known.contains(r.probe()) || r.stats() == null || r.status() == Status.FAILED) continue;
            int dot = r.probe().indexOf('.');
            String family = dot > 0 ? r.probe().substring(0, dot) : r.probe();
            others.computeIfAbsent(family, k -> new ArrayList<>()).add(r.probe() + "/" + r.caseId() + " "
                    + value(r.stats().median(), r.unit(), false));
        }
        others.forEach((family, parts) -> out.add(line(family, "", parts, width)));
        return out;
    }

    /** The cases a pick's key names: that case, or for "probe/prefix*" every case whose key starts so. */
    private static List<CaseResult> named(String key, Map<String, CaseResult> byKey) {
        if (!key.endsWith("*")) return byKey.containsKey(key) ? List.of(byKey.get(key)) : List.of();
        String prefix = key.substring(0, key.length() - 1);
        return byKey.values().stream().filter(r -> r.key().startsWith(prefix)).toList();
    }

    private static Optional<String> figure(Pick p, Map<String, CaseResult> byKey) {
        for (CaseResult r : p.keys().stream().flatMap(k -> named(k, byKey).stream()).toList()) {
            if (r.stats() == null) continue;
            if (p.derived() == null) return Optional.of(p.label() + " " + value(r.stats().median(), r.unit(), false)
                    + (r.status() == Status.FLAGGED ? "!" : ""));
            Optional<Derived> d = r.derived(p.derived());
            if (d.isEmpty()) continue;
            Derived f = d.get();
            if (f.value() != null) return Optional.of(p.label() + " " + value(f.value(), f.unit(), p.signed()));
            return Optional.of(p.label() + " " + (f.low() == null ? "<" : Fmt.short3(f.low())) + (f.low() != null
                    && f.high() != null ? "-" : "") + (f.high() == null ? "+" : Fmt.short3(f.high())) + " " + f.unit());
        }
        return Optional.empty();
    }

    /** "  name       lead a · b · c", cut at the last whole figure that fits, "…" when some did not. */
    static String line(String name, String lead, List<String> parts, int width) {
        StringBuilder out = new StringBuilder(String.format("  %-10s ", name));
        if (!lead.isEmpty()) out.append(lead).append(' ');
        for (int i = 0; i < parts.size(); i++) {
            String sep = i == 0 ? "" : " · ";
            if (out.length() + sep.length() + parts.get(i).length() > width - (i < parts.size() - 1 ? 2 : 0)) {
                return out.append(" …").toString();
            }
            out.append(sep).append(parts.get(i));
        }
        return out.toString();
    }

    /** A figure in a unit a person reads: times scaled (µs, ms), KiB to MiB, MB/s to GB/s; {@code signed}: "+12 ns". */
    static String value(double v, String unit, boolean signed) {
        String sign = signed && v >= 0 ? "+" : "";
        double ns = UnitScale.nsFactor(unit);
        if (!Double.isNaN(ns)) return sign + Fmt.time(v * ns);
        if (unit.startsWith("KiB")) return sign + Fmt.kib(v);
        if (unit.equals("MB/s") && Math.abs(v) >= 1000) return sign + Fmt.short3(v / 1000) + " GB/s";
        return sign + Fmt.short3(v) + (unit.equals("%") ? "%" : " " + unit);
    }
}
