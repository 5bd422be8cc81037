package io.ctxprobe;

import java.util.ArrayList;
import java.util.List;

/**
 * What a library user asks {@link Ctxprobe#run} to measure: the same choices as {@code ctxprobe run}'s
 * options, as an immutable value with one wither per option. Nothing is checked here;
 * {@link Ctxprobe#run} checks everything before anything runs and throws
 * {@link IllegalArgumentException} with the message the CLI would print.
 *
 * <pre>{@code
 * RunRequest.of("syscall.null", "thread.*").quick(true).cpus("0-3").placements("same-core").batches(5)
 * }</pre>
 *
 * @param probes     probe ids or globs ({@code thread.*}, {@code *.switch}); empty: every probe
 * @param quick      the quick suite: fewer, shorter batches
 * @param cpus       the CPUs the probes may use, as a list like {@code 0-3,8}; null: all allowed to this process
 * @param placements {@code same-core}, {@code cross-core}, {@code smt-sibling}, {@code all-pairs}; empty: all but all-pairs
 * @param mechanisms the switch probes' handoff mechanisms ({@code futex}, {@code pipe}, {@code eventfd}, {@code yield}); empty: all
 * @param batches    measured batches per case; null: the default (quick or full)
 * @param counters   perf events counted around in-thread cases (catalogue names or {@code category:name} tracepoints);
 *                   empty: the defaults
 * @param binding    {@code ffm} or {@code jna}: the binding the probes' Java side calls Linux through
 * @param retryDisturbed how many times a case flagged "disturbed" is re-measured (0: never)
 */
public record RunRequest(List<String> probes, boolean quick, String cpus, List<String> placements, List<String> mechanisms,
                         Integer batches, List<String> counters, String binding, int retryDisturbed) {

    public RunRequest {
        probes = List.copyOf(probes);
        placements = List.copyOf(placements);
        mechanisms = List.copyOf(mechanisms);
        counters = List.copyOf(counters);
        if (binding == null) binding = "ffm";
    }

    /** Without re-measuring disturbed cases. */
    public RunRequest(List<String> probes, boolean quick, String cpus, List<String> placements, List<String> mechanisms,
                      Integer batches, List<String> counters, String binding) {
        this(probes, quick, cpus, placements, mechanisms, batches, counters, binding, 0);
    }

    /** The probes named by ids or globs (none: every probe), with every other option at its default. */
    public static RunRequest of(String... probes) {
        return new RunRequest(List.of(probes), false, null, List.of(), List.of(), null, List.of(), "ffm");
    }

    public RunRequest quick(boolean value) {
        return new RunRequest(probes, value, cpus, placements, mechanisms, batches, counters, binding, retryDisturbed);
    }

    public RunRequest cpus(String list) {
        return new RunRequest(probes, quick, list, placements, mechanisms, batches, counters, binding, retryDisturbed);
    }

    public RunRequest placements(String... names) {
        return new RunRequest(probes, quick, cpus, List.of(names), mechanisms, batches, counters, binding, retryDisturbed);
    }

    public RunRequest mechanisms(String... names) {
        return new RunRequest(probes, quick, cpus, placements, List.of(names), batches, counters, binding, retryDisturbed);
    }

    public RunRequest batches(Integer count) {
        return new RunRequest(probes, quick, cpus, placements, mechanisms, count, counters, binding, retryDisturbed);
    }

    public RunRequest counters(String... events) {
        return new RunRequest(probes, quick, cpus, placements, mechanisms, batches, List.of(events), binding, retryDisturbed);
    }

    public RunRequest retryDisturbed(int times) {
        return new RunRequest(probes, quick, cpus, placements, mechanisms, batches, counters, binding, times);
    }

    public RunRequest binding(String name) {
        return new RunRequest(probes, quick, cpus, placements, mechanisms, batches, counters, name, retryDisturbed);
    }

    /**
     * The {@code ctxprobe run} arguments that ask for the same run; the report's {@code run.commandLine}
     * records them, so a report made through the library says how to repeat it from the shell.
     */
    public List<String> toArgs() {
        List<String> args = new ArrayList<>(List.of("run"));
        args.addAll(probes);
        if (quick) args.add("--quick");
        if (cpus != null) args.addAll(List.of("--cpus", cpus));
        if (!placements.isEmpty()) args.addAll(List.of("--placement", String.join(",", placements)));
        if (!mechanisms.isEmpty()) args.addAll(List.of("--mechanism", String.join(",", mechanisms)));
        if (batches != null) args.addAll(List.of("--batches", String.valueOf(batches)));
        if (!counters.isEmpty()) args.addAll(List.of("--counters", String.join(",", counters)));
        if (!binding.equals("ffm")) args.addAll(List.of("--binding", binding));
        if (retryDisturbed != 0) args.addAll(List.of("--retry-disturbed", String.valueOf(retryDisturbed)));
        return List.copyOf(args);
    }
}
