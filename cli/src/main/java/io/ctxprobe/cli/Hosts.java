package io.ctxprobe.cli;

import io.ctxprobe.binding.NativeHostFacts;
import io.ctxprobe.host.HostFacts;
import io.ctxprobe.host.HostFactsCollector;

import java.nio.file.Path;

/** Collects this host's facts with the native parts (CPUID, affinity, perf_event_open) wired in. */
final class Hosts {

    private Hosts() {}

    static HostFacts collect() {
        return new HostFactsCollector(Path.of("/"), new NativeHostFacts()).collect();
    }
}
