package io.ctxprobe.probes.lifecycle;

import io.ctxprobe.probes.measurement.NativeLoops;
import io.ctxprobe.probes.measurement.CreateMeasurement;
import io.ctxprobe.probes.measurement.Cases;
import io.ctxprobe.linux.NativeCreate;
import io.ctxprobe.linux.NativeLibrary;
import io.ctxprobe.probe.Cleanup;
import io.ctxprobe.probe.Probe;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.CaseResultBuilder;
import io.ctxprobe.report.Derived;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * process.create — what creating a process costs, from creation to the child's first instruction,
 * its exit and the reap: fork, vfork, a raw clone(SIGCHLD), posix_spawn, fork + exec, vfork + exec
 * (the exec'd program is ctxprobe-helper in {@code exit} mode: it _exits at once). Each kind from two
 * parents: the JVM (a C loop in libctxprobe on the runner thread: a large parent whose page tables
 * fork copies) and ctxprobe-helper, a small static executable running the very same C loop. Then
 * the fork curve: fork from the helper after it touched M MiB of private memory (4 KiB pages), so
 * each fork copies the page tables of M MiB and each exit tears them down. Unit: µs per create.
 */
public final class ProcessCreateProbe implements Probe {

    public static final String ID = "process.create";
    private static final String UNIT = "us/create";
    /** A batch's ns over 1000 units per create: µs per create. */
    private static final double NS_PER_US = 1000;
    private static final long MAX_OPS = 10_000;
    private static final List<Integer> TOUCHED_MIB = List.of(0, 16, 256, 1024);
    private static final List<Integer> TOUCHED_MIB_QUICK = List.of(0, 16);
    private static final Pattern BATCH_LINE = Pattern.compile("wall_ns=(\\d+) cpu_ns=(\\d+)");

    private record Kind(String name, NativeCreate.ProcessKind code, String what) {}

    private static final List<Kind> KINDS = List.of(
            new Kind("fork", NativeCreate.ProcessKind.FORK, "_Fork (the system call, no atfork handlers); the child _exits"),
            new Kind("vfork", NativeCreate.ProcessKind.VFORK, "vfork: the child borrows the parent's memory and _exits"),
            new Kind("clone", NativeCreate.ProcessKind.CLONE, "raw clone system call, SIGCHLD only (no CLONE_VM); the child _exits"),
            new Kind("posix-spawn", NativeCreate.ProcessKind.POSIX_SPAWN, "glibc posix_spawn (clone CLONE_VM|CLONE_VFORK + exec) of the tiny program"),
            new Kind("fork-exec", NativeCreate.ProcessKind.FORK_EXEC, "_Fork + execve of the tiny program"),
            new Kind("vfork-exec", NativeCreate.ProcessKind.VFORK_EXEC, "vfork + execve of the tiny program"));

    private final List<Integer> touchedMib;

    public ProcessCreateProbe() {
        this(null);
    }

    /** Fork-curve sizes in MiB; null: the defaults (0, 16, 256, 1024; --quick: 0, 16). */
    ProcessCreateProbe(List<Integer> touchedMib) {
        this.touchedMib = touchedMib == null ? null : List.copyOf(touchedMib);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "create a process, run it, reap it: fork, vfork, clone, posix_spawn, fork+exec, vfork+exec,"
                + " from the JVM and from a small helper; fork cost against touched parent memory";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(new ParamSpec("--cpus", "runs (and creates) on the first CPU given"),
                new ParamSpec("--batches", "measured batches per case"),
                new ParamSpec("--quick", "fork curve at 0 and 16 MiB only (default 0, 16, 256, 1024 MiB)"));
    }

    @Override
    public List<CaseResult> run(ProbeContext ctx) {
        List<CaseResult> results = new ArrayList<>();
        for (Kind kind : KINDS) {
            String caseId = kind.name() + "/jvm";
            results.add(Cases.attempt(ctx, ID, caseId, UNIT, () -> {
                String exec = NativeLibrary.helperPath().toString();
                return CreateMeasurement.measure(ctx, builder(caseId, kind).param("parent", "the JVM (runner thread)"),
                        CreateMeasurement.nativeRun("ctxprobe_process_create_run", (warmup, batches, ops, wall, cpu) ->
                                NativeCreate.processRun(kind.code(), exec, warmup, batches, ops, wall, cpu)),
                        2, MAX_OPS, NS_PER_US, true);
            }));
        }
        for (Kind kind : KINDS) {
            String caseId = kind.name() + "/helper";
            results.add(Cases.attempt(ctx, ID, caseId, UNIT, () -> helperCase(ctx, caseId, kind, 0)));
        }
        List<Integer> sizes = touchedMib != null ? touchedMib : ctx.options().quick() ? TOUCHED_MIB_QUICK : TOUCHED_MIB;
        Kind fork = KINDS.getFirst();
        List<CaseResult> curve = new ArrayList<>();
        for (int mib : sizes) {
            String caseId = "fork/helper-touched-" + mib + "MiB";
            curve.add(Cases.attempt(ctx, ID, caseId, UNIT, () -> helperCase(ctx, caseId, fork, mib)));
        }
        results.addAll(perMib(curve));
        return results;
    }

    /** The derived figure's label on each fork-curve point past 0 MiB: its extra cost per MiB touched. */
    static final String PER_MIB = "extra per MiB touched";

    /**
     * Each fork-curve point with memory touched gets (its median - the 0 MiB point's) / MiB: what
     * copying the page tables of one more MiB (and tearing them down at exit) adds to a fork.
     */
    static List<CaseResult> perMib(List<CaseResult> curve) {
        CaseResult zero = curve.stream().filter(r -> r.stats() != null && "0".equals(r.params().get("touched_mib")))
                .findFirst().orElse(null);
        if (zero == null) return curve;
        List<CaseResult> out = new ArrayList<>();
        for (CaseResult r : curve) {
            int mib = Integer.parseInt(r.params().getOrDefault("touched_mib", "0"));
            out.add(r.stats() == null || mib <= 0 ? r : r.withDerived(Derived.of(PER_MIB,
                    (r.stats().median() - zero.stats().median()) / mib, "us/MiB", r.key(), zero.key())
                    .withNote("(this median - the 0 MiB point's) / " + mib + " MiB")));
        }
        return out;
    }

    private static CaseResultBuilder builder(String caseId, Kind kind) {
        return new CaseResultBuilder(ID, caseId, UNIT).param("kind", kind.what())
                .timer("CLOCK_MONOTONIC (C)", NativeLoops.clockReadNs());
    }

    private static CaseResult helperCase(ProbeContext ctx, String caseId, Kind kind, int mib) {
        Path helper = NativeLibrary.helperPath();
        CaseResultBuilder result = builder(caseId, kind)
                .param("parent", "ctxprobe-helper (small native process, same C loop)")
                .param("touched_mib", mib)
                .note("timed inside the helper process; its start-up and the touching are outside the batches");
        if (mib > 0) result.param("pages", "4 KiB (MADV_NOHUGEPAGE), every page written before the first fork");
        long batchMs = ctx.options().targetBatchNs() / 1_000_000;
        return CreateMeasurement.measure(ctx, result,
                (warmup, batches, ops, wallNs, cpuNs) -> runHelper(ctx.cleanup(), helper, kind.code().code(), mib, warmup,
                        batches, ops, wallNs, cpuNs, deadlineMs(warmup + batches, batchMs)),
                2, MAX_OPS, NS_PER_US, false);
    }

    /** Generous: a minute (touching a GiB, a slow start) plus ten times the planned batches, so only a hang trips it. */
    static long deadlineMs(int plannedBatches, long batchMs) {
        return 60_000 + 10L * plannedBatches * Math.max(1, batchMs);
    }

    /**
     * Runs {@code ctxprobe-helper create ...} (started under the runner's pin, which it inherits),
     * parses its batch lines and reaps it. Registered with the cleanup: Ctrl-C kills it. It is given
     * this JVM's pid and {@code deadlineMs}: it dies with the runner thread (PR_SET_PDEATHSIG, set
     * first thing, checked against that pid) and stops on its own between batches once its parent
     * is gone or its deadline passed, so not even a SIGKILLed JVM leaves it running.
     */
    static void runHelper(Cleanup cleanup, Path helper, int kind, int mib, int warmup, int batches, long ops,
                          long[] wallNs, long[] cpuNs, long deadlineMs) {
        List<String> command = List.of(helper.toString(), "create", String.valueOf(kind), String.valueOf(mib),
                String.valueOf(warmup), String.valueOf(batches), String.valueOf(ops),
                String.valueOf(ProcessHandle.current().pid()), String.valueOf(deadlineMs));
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + helper + ": " + e.getMessage(), e);
        }
        try (Cleanup.Registration _ = cleanup.register("ctxprobe-helper pid " + p.pid(), p::destroyForcibly)) {
            String out;
            int status;
            try {
                out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                status = p.waitFor();
            } catch (IOException e) {
                throw new UncheckedIOException("reading ctxprobe-helper's output: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for ctxprobe-helper", e);
            } finally {
                p.destroyForcibly();   // no-op once it has exited; reaped by the JDK's process reaper
                p.onExit().join();
            }
            if (status != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + status + ": " + out.strip());
            }
            int b = 0;
            boolean done = false;
            for (String line : out.split("\n")) {
                Matcher m = BATCH_LINE.matcher(line);
                if (m.matches() && b < batches) {
                    wallNs[b] = Long.parseLong(m.group(1));
                    cpuNs[b] = Long.parseLong(m.group(2));
                    b++;
                }
                done |= line.equals("done");
            }
            if (b != batches || !done) {
                throw new IllegalStateException("ctxprobe-helper printed " + b + " of " + batches + " batches"
                        + (done ? "" : " and no 'done'") + ": " + out.strip());
            }
        }
    }
}
