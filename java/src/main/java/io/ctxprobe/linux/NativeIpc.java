package io.ctxprobe.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;

/**
 * The binding of native/include/ctxprobe/ipc.h (ipc.bandwidth). ipc.latency is the ping-pong object
 * ({@link NativePingPong}).
 */
public final class NativeIpc {
    private NativeIpc() {}

    /** How the writer moves data to the reader. */
    public enum Channel implements NativeCode {
        /** Two threads of this process, a ring of message slots in private memory. */
        @CDefine("CTXPROBE_IPC_SHM_THREADS") SHM_THREADS(1),
        /** A forked writer process, a pipe. */
        @CDefine("CTXPROBE_IPC_PIPE") PIPE(2),
        /** A forked writer process, socketpair(AF_UNIX, SOCK_STREAM). */
        @CDefine("CTXPROBE_IPC_UNIX") UNIX(3),
        /** A forked writer process, the ring in a MAP_SHARED mapping with shared futexes. */
        @CDefine("CTXPROBE_IPC_SHM_FUTEX") SHM_FUTEX(4);

        private final int code;

        Channel(int code) {
            this.code = code;
        }

        @Override
        public int code() {
            return code;
        }
    }

    /* int32_t ctxprobe_ipc_bandwidth_run(int32_t channel, int32_t cpu_writer, int32_t cpu_reader,
     *                                    int64_t msg_bytes, int64_t warmup, int64_t batches,
     *                                    int64_t bytes_per_batch, int64_t *wall_ns); */
    private static final Downcall BANDWIDTH_RUN = NativeCore.fn("ctxprobe_ipc_bandwidth_run",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG,
                    ADDRESS));

    /**
     * Moves (warmup + batches) x bytesPerBatch bytes writer -> reader in msgBytes messages; the reader
     * verifies them. Returns 0 (all verified) or a negative errno (-EBADMSG: wrong bytes delivered).
     */
    public static int bandwidthRun(Channel channel, int cpuWriter, int cpuReader, long msgBytes, long warmup,
                                   long batches, long bytesPerBatch, MemorySegment wall) {
        NativeCore.checkSamples(batches, wall, MemorySegment.NULL);
        try {
            return (int) BANDWIDTH_RUN.handle().invokeExact(channel.code(), cpuWriter, cpuReader, msgBytes, warmup,
                    batches, bytesPerBatch, wall);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }
}
