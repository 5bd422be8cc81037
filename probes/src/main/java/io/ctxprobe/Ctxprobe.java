package io.ctxprobe;

import io.ctxprobe.binding.Binding;
import io.ctxprobe.binding.NativeHostFacts;
import io.ctxprobe.host.HostFacts;
import io.ctxprobe.host.HostFactsCollector;
import io.ctxprobe.linux.CpuSet;
import io.ctxprobe.linux.NativeLibrary;
import io.ctxprobe.perf.PerfEventSpec;
import io.ctxprobe.probe.Cleanup;
import io.ctxprobe.probe.Placement;
import io.ctxprobe.probe.Probe;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.probe.ProbeRunner;
import io.ctxprobe.probe.RunOptions;
import io.ctxprobe.probes.switching.Mechanism;
import io.ctxprobe.probes.ProbeRegistry;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.Report;
import io.ctxprobe.report.RunInfo;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * ctxprobe as a library: this host's facts, the probes and whether they can run here, and runs of
 * probes that return the report model ({@link Report}: run info, host facts, one
 * {@link CaseResult} per case) — what {@code ctxprobe host}, {@code list} and {@code run} print,
 * without the CLI.
 *
 * <p>Maven coordinates {@code io.ctxprobe:ctxprobe-probes}; Linux on x86-64 or aarch64, JDK 25 or newer, glibc 2.34
 * or newer. The JVM must grant native access ({@code --enable-native-access=ALL-UNNAMED}, or
 * {@code Enable-Native-Access: ALL-UNNAMED} in an executable jar's manifest), or JDK 25 warns on the
 * first downcall. ctxprobe logs nothing itself; OSHI, which it reads some host facts through, logs
 * through SLF4J and brings no binding: add the one the application uses (without one SLF4J says so
 * once on stderr).
 *
 * <pre>{@code
 * HostFacts host = Ctxprobe.hostFacts();
 * System.out.println(host.summary().cpuModel() + ", host key " + host.hostKey());
 * for (ProbeInfo probe : Ctxprobe.probes()) {
 *     System.out.println(probe.id() + (probe.available() ? "" : " (unavailable: " + probe.unavailableReason() + ")"));
 * }
 * Report report = Ctxprobe.run(RunRequest.of("syscall.null").quick(true));
 * for (CaseResult r : report.results()) {
 *     System.out.println(r.caseId() + " " + r.status().label() + " "
 *             + (r.stats() != null ? r.stats().median() + " " + r.unit() : r.reason()));
 * }
 * JsonReports.write(Path.of("report.json"), report);   // the CLI's JSON report format
 * }</pre>
 *
 * The README's "Library" section has this example as a whole program; the build compiles and runs
 * it as a separate project that depends on the Maven coordinates (the invoker test's consumer,
 * {@code probes/src/it/library-consumer}).
 */
public final class Ctxprobe {

    private Ctxprobe() {}

    /** Why ctxprobe cannot run on this platform (it measures Linux on x86-64 and aarch64 only), or null when it can. */
    public static String platformProblem() {
        return NativeLibrary.platformProblem();
    }

    /**
     * This host's facts (CPU, topology, caches, kernel, PTI/PCID, hypervisor, perf events, ...), each
     * with its source, and the stable host key. Takes a moment: it reads sysfs and procfs, runs
     * getconf and dmesg, and opens trial perf events.
     */
    public static HostFacts hostFacts() {
        requirePlatform();
        return new HostFactsCollector(Path.of("/"), new NativeHostFacts()).collect();
    }

    /** Every probe in id order, each with whether this host can run it (as {@code ctxprobe list} shows). */
    public static List<ProbeInfo> probes() {
        requirePlatform();
        Binding binding = Binding.ffm();
        ProbeContext ctx = new ProbeContext(binding, hostFacts(),
                new RunOptions(binding.getAffinity(0), EnumSet.noneOf(Placement.class), true, null), new Cleanup());
        List<ProbeInfo> out = new ArrayList<>();
        for (Probe probe : ProbeRegistry.all()) {
            out.add(new ProbeInfo(probe.id(), probe.description(), probe.parameters(), probe.unavailableReason(ctx)));
        }
        return List.copyOf(out);
    }

    /** {@link #run(RunRequest, Consumer)} without progress. */
    public static Report run(RunRequest request) {
        return run(request, done -> { });
    }

    /**
     * Runs the probes {@code request} names, one after another on ctxprobe's runner thread, and
     * returns the report. Every option is checked before anything runs. {@code onProbeDone} sees each
     * probe's results as the probe finishes (on the runner thread).
     *
     * <p>Interrupting the calling thread stops the run: what is running is aborted (its threads and
     * children are ended and reaped), and the report holds the cases finished so far with
     * {@code run().interrupted()} true; the thread's interrupt status stays set. Any Throwable in a
     * probe is that probe's (or case's) {@code failed} result; a run whose runner could not go on
     * returns what it has with {@code run().aborted()} saying why.
     *
     * @throws IllegalArgumentException a request that cannot run as given (unknown probe, a CPU not
     *                                  allowed to this process, an unknown placement, mechanism, counter or binding, a
     *                                  non-positive batch count), with the message the CLI prints
     * @throws UnsupportedOperationException not Linux on x86-64 or aarch64
     */
    public static Report run(RunRequest request, Consumer<List<CaseResult>> onProbeDone) {
        requirePlatform();
        Plan plan = plan(request);
        HostFacts host = hostFacts();
        ProbeRunner runner = new ProbeRunner(new ProbeContext(plan.binding(), host, plan.options(), new Cleanup()));
        RunInfo info = runInfo(request);
        try {
            List<CaseResult> results = runner.run(plan.probes(), onProbeDone);
            return Report.of(info.withAborted(runner.aborted()), host, results, runner.interference());
        } catch (InterruptedException e) {
            runner.stop(5_000);
            Thread.currentThread().interrupt();
            return Report.of(info.withInterrupted(true), host, runner.snapshot());
        }
    }

    /** A request checked and resolved: the probes in registry order, the binding, the run options. */
    public record Plan(List<Probe> probes, Binding binding, RunOptions options) {}

    /**
     * Every check that can refuse a request, before anything is measured: the resolved plan, or an
     * {@link IllegalArgumentException} with one line (what the CLI prints with exit code 2).
     */
    public static Plan plan(RunRequest request) {
        List<Probe> probes = ProbeRegistry.select(request.probes());
        Binding binding = Binding.named(request.binding());
        CpuSet allowed = binding.getAffinity(0);
        CpuSet chosen = allowed;
        if (request.cpus() != null) {
            try {
                chosen = CpuSet.parse(request.cpus());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--cpus '" + request.cpus() + "': " + e.getMessage(), e);
            }
            List<Integer> refused = chosen.cpus().stream().filter(c -> !allowed.contains(c)).toList();
            if (!refused.isEmpty()) {
                throw new IllegalArgumentException("--cpus names CPU " + CpuSet.of(refused)
                        + ", not allowed to this process (allowed: " + allowed + ")");
            }
            if (chosen.isEmpty()) throw new IllegalArgumentException("--cpus '" + request.cpus() + "' names no CPU");
        }
        Set<Placement> placements = EnumSet.noneOf(Placement.class);
        for (String p : request.placements()) {
            if (p.isBlank()) {
                throw new IllegalArgumentException("--placement: an empty name (a stray comma?)");
            }
            try {
                placements.add(Placement.parse(p));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--placement: " + e.getMessage(), e);
            }
        }
        for (String m : request.mechanisms()) {
            if (m.isBlank()) {
                throw new IllegalArgumentException("--mechanism: an empty name (a stray comma?)");
            }
            if (!Mechanism.switchLabels().contains(m)) {
                throw new IllegalArgumentException("--mechanism: unknown mechanism '" + m + "': expected one of "
                        + String.join(", ", Mechanism.switchLabels()));
            }
        }
        for (String c : request.counters()) {
            if (c.isBlank()) {
                throw new IllegalArgumentException("--counters: an empty event name (a stray comma?)");
            }
            try {
                PerfEventSpec.parse(c);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--counters: " + e.getMessage(), e);
            }
        }
        if (request.batches() != null && request.batches() <= 0) {
            throw new IllegalArgumentException("--batches must be a positive count, got " + request.batches());
        }
        if (request.retryDisturbed() < 0) {
            throw new IllegalArgumentException("--retry-disturbed must be 0 or more, got " + request.retryDisturbed());
        }
        return new Plan(probes, binding, new RunOptions(chosen, placements, request.mechanisms(), request.quick(),
                request.batches(), request.counters(), request.retryDisturbed()));
    }

    private static RunInfo runInfo(RunRequest request) {
        List<String> commandLine = new ArrayList<>(List.of("ctxprobe"));
        commandLine.addAll(request.toArgs());
        return runInfo(request, commandLine);
    }

    /** The report's run section for {@code request}, recording {@code commandLine} as what was asked. */
    public static RunInfo runInfo(RunRequest request, List<String> commandLine) {
        BuildInfo build = BuildInfo.load();
        var runtime = ManagementFactory.getRuntimeMXBean();
        return new RunInfo(build.version(), build.commit(), Instant.now().toString(), commandLine,
                new RunInfo.Jvm(runtime.getVmName(), runtime.getVmVendor(), Runtime.version().toString(),
                        runtime.getInputArguments()),
                request.binding(), request.quick(), false);
    }

    private static void requirePlatform() {
        String problem = platformProblem();
        if (problem != null) throw new UnsupportedOperationException(problem);
    }
}
