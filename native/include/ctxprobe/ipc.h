/*
 * ctxprobe/ipc.h — ipc.bandwidth (ipc.c). Java: NativeIpc. Part of ctxprobe.h.
 * (ipc.latency is the ping-pong object with CTXPROBE_MECH_UNIX and friends: ctxprobe/pingpong.h.)
 */
#ifndef CTXPROBE_IPC_H
#define CTXPROBE_IPC_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ipc.bandwidth channels: how a writer moves data to a reader. */
#define CTXPROBE_IPC_SHM_THREADS 1 /* two threads of this process: a ring of message slots in
                                      private memory, spin-then-futex flags (private futexes)      */
#define CTXPROBE_IPC_PIPE        2 /* a forked writer process, a pipe (default capacity), a reader
                                      thread here                                                 */
#define CTXPROBE_IPC_UNIX        3 /* a forked writer process, socketpair(AF_UNIX, SOCK_STREAM),
                                      a reader thread here                                         */
#define CTXPROBE_IPC_SHM_FUTEX   4 /* a forked writer process, the same ring in a MAP_SHARED mapping,
                                      shared futexes                                              */

/* Moves (warmup + batches) x bytes_per_batch bytes from a writer to a reader in messages of
 * msg_bytes (a multiple of 8, 64..16 MiB; bytes_per_batch a multiple of msg_bytes). The reader is a
 * thread created here, the writer a thread (SHM_THREADS) or a child forked from the calling thread
 * through child.c (PR_SET_PDEATHSIG(SIGKILL), all signals blocked, _exit; a watcher aborts the reader
 * at once if it dies); each pins itself with sched_setaffinity to cpu_writer / cpu_reader (< 0: not
 * pinned). The reader copies every message into its own buffer and verifies it: the message's
 * sequence number stamped in its first and last 8 bytes, and the sum of its words; after the last
 * message a pipe or socket must be at end-of-file. wall_ns[i]: the reader's CLOCK_MONOTONIC time for
 * measured batch i (the stream never pauses between batches).
 * Everything (threads, child, fds, mappings) is gone on return. Returns 0 (all data verified),
 * -EINVAL, -EBADMSG (wrong bytes delivered), -EPIPE (the writer died or failed), -ETIMEDOUT (no
 * progress for 30 s: both sides stopped), or another -errno. */
int32_t ctxprobe_ipc_bandwidth_run(int32_t channel, int32_t cpu_writer, int32_t cpu_reader,
                                   int64_t msg_bytes, int64_t warmup, int64_t batches,
                                   int64_t bytes_per_batch, int64_t *wall_ns);

#ifdef __cplusplus
}
#endif

#endif /* CTXPROBE_IPC_H */
