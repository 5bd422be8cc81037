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
import io.ctxprobe.report.CaseResult;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Probe contexts for tests: this host's real facts, the quick suite, a few batches. */
public final class TestContexts {

    private static HostFacts host;

    private TestContexts() {}

    public static synchronized HostFacts host() {
        if (host == null) host = new HostFactsCollector(Path.of("/"), new NativeHostFacts()).collect();
        return host;
    }

    public static ProbeContext quick(Set<Placement> placements) {
        Binding binding = Binding.ffm();
        return new ProbeContext(binding, host(), new RunOptions(binding.getAffinity(0), placements, true, 5), new Cleanup());
    }

    public static ProbeContext quick(CpuSet cpus, Set<Placement> placements) {
        return new ProbeContext(Binding.ffm(), host(), new RunOptions(cpus, placements, true, 5), new Cleanup());
    }

    /** Only the given mechanisms (labels), all allowed CPUs. */
    public static ProbeContext quick(Set<Placement> placements, List<String> mechanisms) {
        Binding binding = Binding.ffm();
        return new ProbeContext(binding, host(), new RunOptions(binding.getAffinity(0), placements, mechanisms, true, 5),
                new Cleanup());
    }

    /**
     * The case is what it claims: status ok, or flagged only by the environment guards — "disturbed"
     * (other work took the measured CPU: a busy test host) or "mixed" (the batches fell into several
     * modes) — never by a count that does not fit the case.
     */
    public static void assertValid(CaseResult r) {
        boolean valid = r.status() == io.ctxprobe.report.Status.OK
                || r.status() == io.ctxprobe.report.Status.FLAGGED && onlyEnvironment(r.reason());
        if (!valid) throw new AssertionError(r.key() + ": " + r.status().label() + ": " + r.reason());
    }

    /** Every part of a flag's reason is "disturbed: ..." or "mixed: ...". */
    public static boolean onlyEnvironment(String reason) {
        return reason != null && java.util.Arrays.stream(reason.split("; "))
                .allMatch(p -> p.startsWith("disturbed: ") || p.startsWith("mixed: "));
    }

    /** The one result with this case id. */
    public static CaseResult find(List<CaseResult> results, String caseId) {
        return results.stream().filter(r -> r.caseId().equals(caseId)).findFirst()
                .orElseThrow(() -> new AssertionError("no case " + caseId + " in " + results.stream().map(CaseResult::caseId).toList()));
    }

    /** Processes whose parent is this JVM (from /proc/N/stat: the field after the command's closing parenthesis). */
    public static List<Long> childPids() throws Exception {
        long self = ProcessHandle.current().pid();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).map(p -> {
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    return Long.parseLong(after[1]) == self ? Long.parseLong(p.getFileName().toString()) : -1L;
                } catch (Exception e) {
                    return -1L;   // gone between list and read
                }
            }).filter(pid -> pid > 0).toList();
        }
    }

    /** Open file descriptors of this process. */
    public static long openFds() throws Exception {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    /** Names of this process's threads (from /proc/self/task/N/comm). */
    public static List<String> threadNames() throws Exception {
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
