package io.ctxprobe.binding;

import io.ctxprobe.host.NativeFacts;
import io.ctxprobe.linux.NativeCore;
import io.ctxprobe.linux.Sched;
import io.ctxprobe.perf.PerfAvailability;
import io.ctxprobe.perf.PerfCounterGroup;
import io.ctxprobe.perf.PerfEventSpec;

import java.util.ArrayList;
import java.util.List;

/** The host-facts collector's native inputs, from libctxprobe (CPUID) and the FFM bindings. */
public final class NativeHostFacts implements NativeFacts {

    /** Tracepoints listed by `ctxprobe host` besides the catalogue. */
    static final List<String> TRACEPOINTS = List.of("tlb:tlb_flush", "sched:sched_switch");

    @Override
    public int[] cpuid(int leaf, int subleaf) {
        return NativeCore.cpuid(leaf, subleaf);
    }

    @Override
    public List<Integer> allowedCpus() {
        return Sched.getAffinity(0).cpus();
    }

    @Override
    public PerfProbe perf() {
        PerfAvailability a = PerfAvailability.probe();
        return new PerfProbe(a.hardware().status().name(), a.hardware().errnoName(), a.hardware().text(),
                a.software().status().name(), a.software().errnoName(), a.software().text());
    }

    /** Each catalogue event and tracepoint opened alone on this thread (and closed again). */
    @Override
    public List<EventAvailability> events() {
        List<String> names = new ArrayList<>(PerfEventSpec.catalogueNames());
        names.addAll(TRACEPOINTS);
        List<EventAvailability> out = new ArrayList<>();
        for (String name : names) {
            try (PerfCounterGroup g = PerfCounterGroup.open(List.of(PerfEventSpec.parse(name)), 0, false)) {
                if (!g.members().isEmpty()) {
                    PerfCounterGroup.Member m = g.members().getFirst();
                    out.add(new EventAvailability(name, "OPEN", m.text()));
                } else {
                    PerfCounterGroup.Unavailable u = g.unavailable().getFirst();
                    out.add(new EventAvailability(name, u.status().name(), u.text()));
                }
            }
        }
        return out;
    }
}
