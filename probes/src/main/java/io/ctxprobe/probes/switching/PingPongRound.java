package io.ctxprobe.probes.switching;

import io.ctxprobe.linux.CpuSet;
import io.ctxprobe.linux.Errno;
import io.ctxprobe.linux.LinuxException;
import io.ctxprobe.linux.NativePingPong;
import io.ctxprobe.linux.Sched;
import io.ctxprobe.measure.BatchPlan;
import io.ctxprobe.measure.SwitchCounts;
import io.ctxprobe.measure.TaskCounters;
import io.ctxprobe.probe.Cleanup;
import io.ctxprobe.probe.CpuPair;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.probe.ProbeUnavailableException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One run of a ping-pong pair through a batch plan: side 0 a pthread created from Java, side 1
 * another pthread or (process mode) a child forked in libctxprobe from this — the runner — thread.
 * Both are pinned by tid through the run's binding between "ready" and "go"; with {@code perf},
 * software counters ride on both and C reads them at the measured edges; getrusage counts are
 * always taken (the kernel keeps them anyway, at no cost to the switch). A forked side that dies is
 * noticed at once by libctxprobe's partner watch and reported as what it is ("partner killed by
 * signal 9 (SIGKILL) after N measured round trips"); the deadline only guards against a hang.
 */
public final class PingPongRound {

    private static final long READY_TIMEOUT_MS = 10_000;
    /** SCHED_FIFO priority for the yield mechanism: the lowest real-time one is enough to order two. */
    private static final int FIFO_PRIORITY = 1;

    /** What runs: the mechanism, the mode (threads, process, fiber), and the CPUs of side 0 and side 1. */
    public record Spec(Mechanism mechanism, NativePingPong.Mode mode, CpuPair pair) {
        boolean process() {
            return mode == NativePingPong.Mode.PROCESS;
        }

        String name(int side) {
            return side == NativePingPong.PING ? "ping" : process() ? "pong-process" : "pong";
        }
    }

    /**
     * Per-batch wall times (side 0), per-side counts, the CPU each side ran on at [start, end], each
     * side's tid, and each side's scheduling over its measured window: {window, run, run delay} in ns
     * (run and run delay -1 without schedstat), read by the side itself at its measured edges.
     */
    record Result(long[] wallNs, List<SwitchCounts> counts, int[][] cpus, int[] tids, long[][] sched) {}

    private PingPongRound() {}

    static Result run(ProbeContext ctx, Spec spec, BatchPlan plan, boolean perf) {
        NativePingPong pp = NativePingPong.start(spec.mechanism().code(), spec.mode(), plan.warmup(), plan.batches(),
                plan.opsPerBatch(), READY_TIMEOUT_MS);
        List<TaskCounters> counters = new ArrayList<>();
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
                .daemon().name("ctxprobe-deadline").factory());
        try (pp; Cleanup.Registration _ = ctx.cleanup().register("ping-pong pair", pp::abort)) {
            int[] cpus = {spec.pair().first(), spec.pair().second()};
            for (int side = NativePingPong.PING; side <= NativePingPong.PONG; side++) {
                int tid = pp.tid(side);
                ctx.binding().setAffinity(tid, CpuSet.of(cpus[side]));
                if (spec.mechanism() == Mechanism.YIELD) realtime(tid);
                if (perf) {
                    TaskCounters tc = TaskCounters.open(spec.name(side), tid);
                    counters.add(tc);
                    pp.counterFd(side, 0, tc.switchesFd());
                    pp.counterFd(side, 1, tc.migrationsFd());
                }
            }
            ScheduledFuture<?> deadline = watchdog.schedule(pp::abort, deadlineMs(ctx, plan), TimeUnit.MILLISECONDS);
            pp.go();
            try {
                pp.join();
            } catch (LinuxException e) {
                throw PartnerEnd.of(pp, e);   // a forked side that died: its signal and round trips, not EPIPE
            }
            deadline.cancel(false);
            List<SwitchCounts> counts = new ArrayList<>();
            int[][] ran = new int[2][2];
            int[] tids = new int[2];
            long[][] sched = new long[2][];
            for (int side = NativePingPong.PING; side <= NativePingPong.PONG; side++) {
                tids[side] = pp.tid(side);
                sched[side] = pp.schedWindow(side);
                long voluntary = pp.voluntarySwitches(side);
                long involuntary = pp.involuntarySwitches(side);
                counts.add(perf
                        ? counters.get(side).fromDeltas(pp.counterDelta(side, 0), pp.counterDelta(side, 1), voluntary, involuntary)
                        : new SwitchCounts(spec.name(side), null, null, voluntary, involuntary, null));
                ran[side][0] = pp.cpu(side, false);
                ran[side][1] = pp.cpu(side, true);
            }
            return new Result(pp.batchWallNs(), counts, ran, tids, sched);
        } finally {
            watchdog.shutdownNow();
            counters.forEach(TaskCounters::close);
        }
    }

    /**
     * sched_yield hands the CPU over only to a task of the same real-time priority; under the fair
     * scheduler it may return at once and the case would measure spinning. Without permission for
     * SCHED_FIFO the case is skipped, not run in a form that means something else.
     */
    private static void realtime(int tid) {
        try {
            Sched.setScheduler(tid, Sched.SCHED_FIFO, FIFO_PRIORITY);
        } catch (LinuxException e) {
            if (e.errno() == Errno.EPERM || e.errno() == Errno.EACCES) {
                throw new ProbeUnavailableException("the sched_yield ping-pong runs under SCHED_FIFO, which this process "
                        + "may not set (" + e.errnoName() + "): run as root, or grant CAP_SYS_NICE or an RLIMIT_RTPRIO");
            }
            throw e;
        }
    }

    /** Generous: ten times the planned batch time plus a minute, so only a hang trips it. */
    private static long deadlineMs(ProbeContext ctx, BatchPlan plan) {
        return 60_000 + 10 * (plan.warmup() + plan.batches()) * ctx.options().targetBatchNs() / 1_000_000;
    }
}
