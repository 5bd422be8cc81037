package io.ctxprobe.probes;

import io.ctxprobe.binding.Binding;
import io.ctxprobe.binding.NativeHostFacts;
import io.ctxprobe.host.HostFacts;
import io.ctxprobe.host.HostFactsCollector;
import io.ctxprobe.linux.CpuSet;
import io.ctxprobe.probe.Cleanup;
import io.ctxprobe.probe.Placement;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.probe.RunOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Probe contexts for tests: this host's real facts, the quick suite, a few batches. */
final class TestContexts {

    private static HostFacts host;

    private TestContexts() {}

    static synchronized HostFacts host() {
        if (host == null) host = new HostFactsCollector(Path.of("/"), new NativeHostFacts()).collect();
        return host;
    }

    static ProbeContext quick(Set<Placement> placements) {
        Binding binding = Binding.ffm();
        return new ProbeContext(binding, host(), new RunOptions(binding.getAffinity(0), placements, true, 5), new Cleanup());
    }

    static ProbeContext quick(CpuSet cpus, Set<Placement> placements) {
        return new ProbeContext(Binding.ffm(), host(), new RunOptions(cpus, placements, true, 5), new Cleanup());
    }

    /** Names of this process's threads (from /proc/self/task/N/comm). */
    static List<String> threadNames() throws Exception {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            return tasks.map(t -> {
                try {
                    return Files.readString(t.resolve("comm")).strip();
                } catch (Exception e) {
                    return "";   // the thread ended between list and read
                }
            }).toList();
        }
    }
}
