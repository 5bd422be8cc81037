package io.ctxprobe.probes.switching;

import io.ctxprobe.probes.measurement.NativeLoops;
import io.ctxprobe.probes.measurement.InThreadMeasurement;
import io.ctxprobe.probes.measurement.Cases;
import io.ctxprobe.linux.NativePingPong;
import io.ctxprobe.probe.CpuPair;
import io.ctxprobe.probe.Placement;
import io.ctxprobe.probe.PlacementPlanner;
import io.ctxprobe.probe.Probe;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.CaseResultBuilder;
import io.ctxprobe.report.Derived;

import java.util.ArrayList;
import java.util.List;

/**
 * The cases of a switch probe (thread.switch, process.switch): for each mechanism, its solo cost
 * (the calls of one handoff with no partner) and one ping-pong case per placement, the
 * same-core one carrying "switch cost net of the mechanism" next to both measured numbers; with
 * all-pairs, one cell per CPU pair (diagonal included).
 */
final class SwitchSuite {

    static final String UNIT = "ns/switch";
    static final String SOLO_UNIT = "ns/handoff";

    static final List<Probe.ParamSpec> PARAMETERS = List.of(
            new Probe.ParamSpec("--mechanism", "futex, pipe, eventfd, yield (default: all)"),
            new Probe.ParamSpec("--placement", "same-core, cross-core, smt-sibling, all-pairs (default: all but all-pairs)"),
            new Probe.ParamSpec("--cpus", "CPUs to choose pairs from, and the all-pairs matrix's CPUs (default: all allowed)"),
            new Probe.ParamSpec("--batches", "measured batches per case"));

    private SwitchSuite() {}

    /** {@code mode}: THREADS for two threads, PROCESS for a forked side 1. */
    static List<CaseResult> run(ProbeContext ctx, String probeId, NativePingPong.Mode mode, String parties) {
        PlacementPlanner planner = ctx.planner();
        List<CaseResult> results = new ArrayList<>();
        for (Mechanism m : Mechanism.switchMechanisms()) {
            if (!ctx.options().wantsMechanism(m.label())) continue;
            List<CaseResult> cases = new ArrayList<>();
            List<Boolean> oneCpu = new ArrayList<>();
            for (Placement placement : ctx.options().placements()) {
                if (placement == Placement.ALL_PAIRS) continue;
                String caseId = m.label() + "/" + placement.label();
                PlacementPlanner.Plan plan = planner.plan(placement);
                oneCpu.add(plan.pair() != null && plan.pair().first() == plan.pair().second());
                if (plan.pair() == null) {
                    cases.add(CaseResult.skipped(probeId, caseId, null, UNIT, plan.skipReason()));
                    continue;
                }
                cases.add(Cases.attempt(ctx, probeId, caseId, UNIT, () -> PingPongCase.measure(ctx,
                        new CaseResultBuilder(probeId, caseId, UNIT).param("placement", placement.label())
                                .param("parties", parties),
                        new PingPongRound.Spec(m, mode, plan.pair()), false)));
            }
            if (ctx.options().placements().contains(Placement.ALL_PAIRS)) {
                for (CpuPair pair : planner.allPairs()) {
                    String caseId = m.label() + "/pair-" + pair.first() + "-" + pair.second();
                    cases.add(Cases.attempt(ctx, probeId, caseId, UNIT, () -> PingPongCase.measure(ctx,
                            new CaseResultBuilder(probeId, caseId, UNIT).param("placement", Placement.ALL_PAIRS.label())
                                    .param("matrix", m.label()).param("parties", parties)
                                    .param("cpuA", pair.first()).param("cpuB", pair.second()),
                            new PingPongRound.Spec(m, mode, pair), true)));
                    oneCpu.add(false);   // matrix cells carry no notes
                }
            }
            // The solo cost after the ping-pongs (so a ping-pong is the first thing a run starts), listed first.
            CaseResult solo = Cases.attempt(ctx, probeId, m.label() + "/solo", SOLO_UNIT, () -> Solo.measure(ctx, probeId, m));
            results.add(solo);
            for (int i = 0; i < cases.size(); i++) {
                results.add(oneCpu.get(i) && solo.stats() != null ? net(cases.get(i), solo) : cases.get(i));
            }
        }
        return results;
    }

    /** The derived figure's label: the switch's median minus its mechanism's solo median. */
    static final String NET_OF_MECHANISM = "net of the mechanism";

    /**
     * Adds "switch cost net of the mechanism" as a derived figure; both inputs stay visible as
     * measured. Only on one CPU, where every handoff runs the mechanism's calls in full and one after
     * the other; across CPUs the two sides' calls overlap, and a subtraction would mean nothing.
     */
    private static CaseResult net(CaseResult r, CaseResult solo) {
        if (r.stats() == null) return r;
        return r.withDerived(Derived.of(NET_OF_MECHANISM, r.stats().median() - solo.stats().median(), UNIT, r.key(), solo.key())
                .withNote("this median minus the solo handoff's (the mechanism's calls with no partner); one CPU only"));
    }

    /** The mechanism's solo cost, measured on the runner thread like any in-thread loop. */
    static final class Solo {
        private Solo() {}

        static CaseResult measure(ProbeContext ctx, String probeId, Mechanism m) {
            return InThreadMeasurement.measure(ctx,
                    new CaseResultBuilder(probeId, m.label() + "/solo", SOLO_UNIT)
                            .param("mechanism", m.label())
                            .param("what", "one handoff's calls with no partner: " + soloWhat(m))
                            .timer("CLOCK_MONOTONIC (C)", NativeLoops.clockReadNs()),
                    NativeLoops.of("ctxprobe_mechanism_solo_run", (warmup, batches, ops, wall, cpu) ->
                            NativePingPong.soloRun(m.code(), warmup, batches, ops, wall, cpu)),
                    1, 50_000_000);
        }

        private static String soloWhat(Mechanism m) {
            return switch (m) {
                case FUTEX -> "FUTEX_WAKE with no waiter + FUTEX_WAIT that finds the word changed";
                case PIPE -> "write 1 byte and read it back";
                case EVENTFD -> "write 1 and read it back";
                case YIELD -> "sched_yield with nothing else to run";
                case SPIN -> "one look at the word";
                case UNIX -> "send 1 byte on one end of a socketpair and receive it on the other";
            };
        }
    }
}
