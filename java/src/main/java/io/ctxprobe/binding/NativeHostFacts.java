package io.ctxprobe.binding;

import io.ctxprobe.host.NativeFacts;
import io.ctxprobe.linux.CtxprobeLib;
import io.ctxprobe.linux.Sched;
import io.ctxprobe.perf.PerfAvailability;

import java.util.List;

/** The host-facts collector's native inputs, from libctxprobe (CPUID) and the FFM bindings. */
public final class NativeHostFacts implements NativeFacts {

    @Override
    public int[] cpuid(int leaf, int subleaf) {
        return CtxprobeLib.cpuid(leaf, subleaf);
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
}
