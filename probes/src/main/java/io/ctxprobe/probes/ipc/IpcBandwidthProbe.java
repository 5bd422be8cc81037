package io.ctxprobe.probes.ipc;

import io.ctxprobe.probes.measurement.NativeLoops;
import io.ctxprobe.linux.CtxprobeLib;
import io.ctxprobe.measure.BatchPlan;
import io.ctxprobe.probe.Placement;
import io.ctxprobe.probe.Probe;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.CaseResultBuilder;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * ipc.bandwidth — a fixed volume moved from a writer to a reader in 64 KiB messages over each
 * channel, in libctxprobe (ctxprobe_ipc_bandwidth_run): two threads through a ring in memory they
 * share, or a forked writer process through a pipe, a unix stream socket, or a ring in a shared
 * mapping. The reader copies each message out and verifies it (sequence stamps and a word sum); a
 * transfer that delivered wrong bytes fails the case instead of reporting a number. Unit MB/s
 * (10^6 bytes per second) per batch: higher is better.
 */
public final class IpcBandwidthProbe implements Probe {

    public static final String ID = "ipc.bandwidth";
    static final String UNIT = "MB/s";
    static final long MSG_BYTES = 64 * 1024;
    static final long VOLUME_BYTES = 64L << 20;
    static final long QUICK_VOLUME_BYTES = 16L << 20;
    /** asm-generic/errno.h: what the reader returns for wrong bytes. */
    private static final int EBADMSG = 74;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "writer-to-reader throughput in 64 KiB messages, data verified: shared memory between threads vs pipe, "
                + "unix socket, shared mapping + futex between processes";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(new ParamSpec("--placement", "same-core, cross-core (default: both)"),
                new ParamSpec("--cpus", "CPUs to choose the pairs from (default: all allowed)"),
                new ParamSpec("--batches", "measured batches the volume is split into"));
    }

    @Override
    public List<CaseResult> run(ProbeContext ctx) {
        return IpcChannel.compareSharedMemory(IpcChannel.cases(ctx, ID, UNIT, (channel, placement, pair, caseId) ->
                measure(ctx, channel, placement, pair.first(), pair.second(), pair.why())), "higher is better");
    }

    private static CaseResult measure(ProbeContext ctx, IpcChannel channel, Placement placement, int cpuWriter,
                                      int cpuReader, String why) {
        long started = System.nanoTime();
        String caseId = channel.label() + "/" + placement.label();
        long volume = ctx.options().quick() ? QUICK_VOLUME_BYTES : VOLUME_BYTES;
        int batches = ctx.options().measuredBatches();
        long messagesPerBatch = Math.max(1, volume / MSG_BYTES / batches);
        long bytesPerBatch = messagesPerBatch * MSG_BYTES;
        BatchPlan plan = new BatchPlan(ctx.options().warmupBatches(), batches, messagesPerBatch);
        long[] wall;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment samples = arena.allocate(JAVA_LONG, batches);
            int rc = CtxprobeLib.ipcBandwidthRun(channel.bandwidthCode(), cpuWriter, cpuReader, MSG_BYTES, plan.warmup(),
                    batches, bytesPerBatch, samples);
            if (rc == -EBADMSG) {
                throw new IllegalStateException("the reader received wrong bytes (sequence stamp or word sum mismatch): "
                        + "no bandwidth reported");
            }
            CtxprobeLib.check("ctxprobe_ipc_bandwidth_run", rc);
            wall = samples.toArray(JAVA_LONG);
        }
        double[] mbPerS = new double[batches];
        for (int i = 0; i < batches; i++) mbPerS[i] = bytesPerBatch * 1e3 / wall[i];   // bytes/ns = GB/s
        CaseResultBuilder b = new CaseResultBuilder(ID, caseId, UNIT)
                .param("channel", channel.label()).param("placement", placement.label())
                .param("parties", channel.what())
                .param("cpus", cpuWriter + "," + cpuReader)
                .param("message bytes", MSG_BYTES)
                .param("bytes per batch", bytesPerBatch)
                .param("measured bytes", bytesPerBatch * batches)
                .param("data verified", "yes")
                .valuesInUnit(plan, mbPerS, wall)
                .timer("CLOCK_MONOTONIC (C)", NativeLoops.clockReadNs())
                .note("MB/s = 10^6 bytes per second, per batch of " + messagesPerBatch + " messages of " + MSG_BYTES / 1024
                        + " KiB timed by the reader: higher is better")
                .note("every message copied into the reader's own buffer and verified (sequence number in its first and "
                        + "last 8 bytes, sum of its words)" + (channel.processes() && channel != IpcChannel.SHM_FUTEX
                        ? "; end-of-file after the last one" : ""))
                .note("writer on CPU " + cpuWriter + ", reader on CPU " + cpuReader + " (" + why + "), pinned in C")
                .note(switch (channel) {
                    case SHARED_MEMORY -> "a ring of 4 message slots in memory both threads share; a side that must wait "
                            + "spins briefly (only across CPUs) then sleeps on a private futex";
                    case PIPE -> "each byte is copied twice, writer -> kernel pipe buffer -> reader; default pipe capacity";
                    case UNIX_SOCKET -> "each byte is copied twice, writer -> socket buffer -> reader; default buffer sizes";
                    case SHM_FUTEX -> "the same 4-slot ring in a MAP_SHARED mapping, shared futexes: each byte copied in "
                            + "and out of the mapping by user code, no kernel copy";
                });
        return b.wallMs((System.nanoTime() - started) / 1e6).build();
    }
}
