package io.ctxprobe.bench;

import io.ctxprobe.binding.Binding;
import io.ctxprobe.binding.NativeHostFacts;
import io.ctxprobe.host.HostFacts;
import io.ctxprobe.host.HostFactsCollector;
import io.ctxprobe.linux.CpuSet;
import io.ctxprobe.perf.TracepointAccess;
import io.ctxprobe.perf.TracepointFormat;
import io.ctxprobe.perf.TracepointOpen;
import io.ctxprobe.linux.Unistd;
import io.ctxprobe.probe.Cleanup;
import io.ctxprobe.probe.Placement;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.probe.RunOptions;
import io.ctxprobe.probes.ProbeRegistry;
import io.ctxprobe.report.CaseResult;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What this measures: ctxprobe's tracepoint counts against {@code perf stat -e tlb:tlb_flush} (Debian's
 * linux-perf) on the same plain-C ping-pong, {@code bench/c/build/pingpong MODE futex CPU CPU N}:
 * <ol>
 * <li>the same run counted by both at once: perf stat wraps the program, ctxprobe opens its own
 *     inherited counters (tracepoint ids from tracefs in a private mount namespace, the filter
 *     {@code reason == 0} set with PERF_EVENT_IOC_SET_FILTER) on the program's shell while it waits
 *     on a gate, then opens the gate; both count task-switch tlb_flush events and sched_switch;</li>
 * <li>the tlb.flush probe (its own libctxprobe ping-pong, CPU-wide, filtered on its tids) against
 *     perf's events per switch on the C program: the same shape, separate runs.</li>
 * </ol>
 * Needs root (tracefs, tracepoints). How to run: {@code bench/tlb-flush-vs-perf.sh} (installs
 * linux-perf when missing), or
 * {@code java --enable-native-access=ALL-UNNAMED -cp bench/target/ctxprobe-bench.jar io.ctxprobe.bench.CompareTlbFlushWithPerf [round_trips]}.
 */
public final class CompareTlbFlushWithPerf {

    private static final Pattern PERF_LINE = Pattern.compile("^\\s*([0-9]+),[^,]*,([a-z_]+:[a-z_]+)\\b.*");
    private static final String TLB = "tlb:tlb_flush";
    private static final String SWITCH = "sched:sched_switch";

    private CompareTlbFlushWithPerf() {}

    record Counts(long tlb, long switches) {
        double perSwitch() {
            return (double) tlb / switches;
        }
    }

    public static void main(String[] args) throws Exception {
        long roundTrips = args.length > 0 ? Long.parseLong(args[0]) : 20_000;
        Path pingpong = Path.of(System.getProperty("ctxprobe.bench.c", "bench/c/build")).resolve("pingpong");
        String why = TracepointAccess.unavailableReason(List.of(TLB, SWITCH));
        if (why != null) {
            System.out.println("skipped: " + why);
            return;
        }
        if (!Files.isExecutable(pingpong)) {
            System.out.println("skipped: " + pingpong + " not built (make -C bench/c)");
            return;
        }
        HostFacts host = new HostFactsCollector(Path.of("/"), new NativeHostFacts()).collect();
        Binding binding = Binding.ffm();
        CpuSet cpus = binding.getAffinity(0);
        int cpu = cpus.first();
        System.out.printf("host key %s: %s, %s; kernel %s; CPU %d, %d round trips per run%n%n", host.hostKey(),
                host.summary().cpuModel(), host.summary().ptiText(), host.summary().kernel(), cpu, roundTrips);
        System.out.println("| `pingpong MODE futex " + cpu + " " + cpu + " " + roundTrips + "` | perf stat tlb_flush (reason 0)"
                + " | ctxprobe tlb_flush (reason 0) | ctxprobe / perf | perf sched_switch | ctxprobe sched_switch |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        List<Double> perfPerSwitch = new ArrayList<>();
        for (String mode : List.of("thread", "process")) {
            Counts[] both = sameRun(pingpong, mode, cpu, roundTrips);
            System.out.printf(Locale.ROOT, "| %s | %d | %d | %.4f | %d | %d |%n", mode, both[0].tlb(), both[1].tlb(),
                    (double) both[1].tlb() / both[0].tlb(), both[0].switches(), both[1].switches());
            perfPerSwitch.add(both[0].perSwitch());
        }
        ProbeContext ctx = new ProbeContext(binding, host, new RunOptions(cpus, EnumSet.of(Placement.SAME_CORE), List.of(), false, null),
                new Cleanup());
        List<CaseResult> probe = ProbeRegistry.select(List.of("tlb.flush")).getFirst().run(ctx);
        System.out.println();
        System.out.println("| task-switch tlb_flush events per switch | perf stat on `pingpong MODE futex` | tlb.flush (ctxprobe) | ratio |");
        System.out.println("|---|---:|---:|---:|");
        int i = 0;
        for (String mode : List.of("thread", "process")) {
            CaseResult r = probe.stream().filter(c -> c.caseId().equals(mode + "/same-core")).findFirst().orElseThrow();
            double mine = r.stats() == null ? Double.NaN : r.stats().median();
            System.out.printf(Locale.ROOT, "| %s | %.5f | %.5f | %s |%n", mode, perfPerSwitch.get(i), mine,
                    perfPerSwitch.get(i) < 0.01 ? "(both near 0)" : String.format(Locale.ROOT, "%.4f", mine / perfPerSwitch.get(i)));
            i++;
        }
        probe.stream().filter(c -> c.caseId().equals("process/same-core")).findFirst()
                .flatMap(c -> c.derived("TLB kept across process switches"))
                .ifPresent(v -> System.out.println("\ntlb.flush verdict: " + v.note()));
    }

    /**
     * One run of the C ping-pong counted by perf stat and by ctxprobe at once: [perf, ctxprobe]. The
     * program's shell waits for a line on stdin ("the gate") so that ctxprobe's inherited counters are
     * on it before it execs the ping-pong, which then creates its thread or forks its child.
     */
    static Counts[] sameRun(Path pingpong, String mode, int cpu, long roundTrips) throws Exception {
        String program = pingpong.toAbsolutePath() + " " + mode + " futex " + cpu + " " + cpu + " " + roundTrips;
        String perf = "perf stat -x, -e " + TLB + " --filter 'reason == 0' -e " + SWITCH
                + " -- /bin/sh -c 'read gate; exec " + program + "'";
        Process p = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "/bin/sh", "-c",
                "PATH=/usr/sbin:/usr/bin:/sbin:/bin; mount -t tracefs nodev /sys/kernel/tracing && exec " + perf)
                .redirectErrorStream(true).start();
        try {
            int gate = waitForGate(p.pid());
            TracepointFormat tlb = TracepointAccess.lookup(List.of(TLB, SWITCH)).get(TLB);
            TracepointFormat sw = TracepointAccess.lookup(List.of(TLB, SWITCH)).get(SWITCH);
            int tlbFd = TracepointOpen.countingInherited(tlb, gate, "reason == 0");
            int swFd = TracepointOpen.countingInherited(sw, gate, null);
            try {
                try (OutputStream in = p.getOutputStream()) {
                    in.write("go\n".getBytes(StandardCharsets.US_ASCII));
                }
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (p.waitFor() != 0) throw new IllegalStateException("perf stat failed: " + out.strip());
                return new Counts[] {parsePerf(out), new Counts(TracepointOpen.readCount(tlbFd), TracepointOpen.readCount(swFd))};
            } finally {
                Unistd.close(tlbFd);
                Unistd.close(swFd);
            }
        } finally {
            p.destroyForcibly();
            p.waitFor();
        }
    }

    /** The program's shell (comm "sh", child of perf) once it is there: the task the counters go on. */
    private static int waitForGate(long root) throws Exception {
        for (int i = 0; i < 500; i++) {
            for (ProcessHandle h : ProcessHandle.of(root).map(r -> r.descendants().toList()).orElse(List.of())) {
                String comm = Files.readString(Path.of("/proc/" + h.pid() + "/comm")).strip();
                String parent = h.parent().map(pp -> readComm(pp.pid())).orElse("");
                if (comm.equals("sh") && parent.startsWith("perf")) return (int) h.pid();
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("the gated shell under perf stat did not appear within 5 s");
    }

    private static String readComm(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/comm")).strip();
        } catch (IOException e) {
            return "";
        }
    }

    /** perf stat -x, lines: "count,unit,event,..."; the tlb_flush and sched_switch counts. */
    static Counts parsePerf(String out) {
        long tlb = -1;
        long sw = -1;
        for (String line : out.split("\n")) {
            Matcher m = PERF_LINE.matcher(line);
            if (!m.matches()) continue;
            if (m.group(2).equals(TLB)) tlb = Long.parseLong(m.group(1));
            if (m.group(2).equals(SWITCH)) sw = Long.parseLong(m.group(1));
        }
        if (tlb < 0 || sw < 0) throw new IllegalStateException("no tlb_flush / sched_switch counts in perf stat's output: " + out.strip());
        return new Counts(tlb, sw);
    }
}
