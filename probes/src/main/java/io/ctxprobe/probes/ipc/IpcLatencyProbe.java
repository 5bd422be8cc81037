package io.ctxprobe.probes.ipc;

import io.ctxprobe.probes.switching.PingPongRound;
import io.ctxprobe.probes.switching.PingPongCase;
import io.ctxprobe.probes.switching.Mechanism;
import io.ctxprobe.linux.CtxprobeLib;
import io.ctxprobe.probe.Placement;
import io.ctxprobe.probe.Probe;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.CaseResultBuilder;

import java.util.List;

/**
 * ipc.latency — one message one way (half a round trip of the ping-pong) over each channel:
 * shared memory between two threads (a cache-line handoff: spinning across CPUs; on one CPU a
 * spinner only waits out time slices, so there the threads sleep on a futex in the shared word),
 * a pipe, a unix stream socket and a shared mapping with futex wake-ups between this process and a
 * forked child. Each case is a {@link PingPongCase}: the same sizing, counts and validation as
 * thread.switch / process.switch.
 */
public final class IpcLatencyProbe implements Probe {

    public static final String ID = "ipc.latency";
    static final String UNIT = "ns/one-way";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "one-way message latency: shared memory between threads vs pipe, unix socket, shared mapping + futex "
                + "between processes";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(new ParamSpec("--placement", "same-core, cross-core (default: both)"),
                new ParamSpec("--cpus", "CPUs to choose the pairs from (default: all allowed)"),
                new ParamSpec("--batches", "measured batches per case"));
    }

    /** The ping-pong mechanism and mode of a channel on a placement. */
    static PingPongRound.Spec spec(IpcChannel channel, io.ctxprobe.probe.CpuPair pair) {
        boolean oneCpu = pair.first() == pair.second();
        return switch (channel) {
            case SHARED_MEMORY -> new PingPongRound.Spec(oneCpu ? Mechanism.FUTEX : Mechanism.SPIN, 0, pair);
            case PIPE -> new PingPongRound.Spec(Mechanism.PIPE, CtxprobeLib.PP_PROCESS, pair);
            case UNIX_SOCKET -> new PingPongRound.Spec(Mechanism.UNIX, CtxprobeLib.PP_PROCESS, pair);
            case SHM_FUTEX -> new PingPongRound.Spec(Mechanism.FUTEX, CtxprobeLib.PP_PROCESS, pair);
        };
    }

    @Override
    public List<CaseResult> run(ProbeContext ctx) {
        return IpcChannel.compareSharedMemory(IpcChannel.cases(ctx, ID, UNIT, (channel, placement, pair, caseId) -> {
            PingPongRound.Spec spec = spec(channel, pair);
            CaseResultBuilder b = new CaseResultBuilder(ID, caseId, UNIT).param("channel", channel.label())
                    .param("placement", placement.label()).param("parties", channel.what())
                    .note("one-way = half a round trip: " + spec.mechanism().what());
            if (channel == IpcChannel.SHARED_MEMORY) {
                b.note(spec.mechanism() == Mechanism.SPIN
                        ? "a cache-line handoff: each thread spins on the shared word (no system call)"
                        : "on one CPU a spinning handoff waits out time slices, so here the threads sleep on a "
                          + "futex in the shared word (mechanism futex)");
            }
            if (channel == IpcChannel.UNIX_SOCKET) {
                b.note("one socketpair for both directions: a byte consumed wakes its sender's socket wait queue "
                        + "(write space), where the sender itself waits for the reply, so a wait may sleep twice: "
                        + "more than 2 switches per round trip on one CPU, and up to two sleeps per wait across CPUs");
            }
            return PingPongCase.measure(ctx, b, spec, false);
        }), "lower is faster");
    }
}
