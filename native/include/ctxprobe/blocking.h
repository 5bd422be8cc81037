/*
 * ctxprobe/blocking.h — blocking (blocking.c). Java: NativeBlocking. Part of ctxprobe.h.
 *
 * A cooperative M:1 fiber scheduler on the calling thread: `workers` worker fibers (1..64) each loop
 * "count one step (CLOCK_MONOTONIC), yield"; one blocker fiber reads one byte from a pipe that a
 * feeder pthread writes delay_ns after the run starts (absolute CLOCK_MONOTONIC deadline).
 */
#ifndef CTXPROBE_BLOCKING_H
#define CTXPROBE_BLOCKING_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CTXPROBE_BLOCKING_READ   1 /* a plain blocking read(2): the whole thread sleeps in the kernel,
                                      so no worker runs until it returns                           */
#define CTXPROBE_BLOCKING_EPOLL  2 /* the pipe is O_NONBLOCK; on EAGAIN the blocker registers the fd
                                      with an epoll set and yields; the scheduler polls the set
                                      (timeout 0) once per cycle and resumes the blocker when it is
                                      readable (it would block in epoll_wait only if every fiber
                                      waited on I/O, which never happens with a worker present)    */

/* The run ends once the blocker has its byte and every worker has stepped once more (closing the
 * last gap). Outputs: *longest_stall_ns: the longest time between two consecutive progress steps of
 * any worker (from the run's start to the first step included); *progress_steps: worker steps in the
 * run; *elapsed_ns: run start to the last step; switches (NULL or 2 elements): the calling thread's
 * getrusage(RUSAGE_THREAD) voluntary and involuntary switch deltas over the run.
 * Everything (feeder joined, pipe and epoll fds closed, stacks unmapped) is released before return.
 * 0 or a negative errno: -EINVAL for a bad mode, workers, delay_ns (<= 0 or > 60 s) or NULL output,
 * -EPIPE if the pipe reached end of file without the byte (the feeder failed). */
int32_t ctxprobe_blocking_fibers_run(int32_t mode, int32_t workers, int64_t delay_ns,
                                     int64_t *longest_stall_ns, int64_t *progress_steps,
                                     int64_t *elapsed_ns, int64_t *switches);

#ifdef __cplusplus
}
#endif

#endif /* CTXPROBE_BLOCKING_H */
