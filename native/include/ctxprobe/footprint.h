/*
 * ctxprobe/footprint.h — footprint (footprint.c): N idle processes, threads or fibers.
 * Java: NativeFootprint. Part of ctxprobe.h.
 *
 * A footprint set: N units of one kind that exist and block, doing nothing, so that their memory can
 * be read from the kernel's accounting. Sequence:
 *   s = ctxprobe_footprint_new(kind, n, touch_bytes);   (the set's bookkeeping; no unit yet)
 *   ... baseline readings ...
 *   ctxprobe_footprint_start(s);  ctxprobe_footprint_wait_ready(s, ms);  -> every unit exists, blocked
 *   ... readings (ctxprobe_footprint_id gives each unit's pid/tid) ...
 *   ctxprobe_footprint_release(s);  ctxprobe_footprint_reap(s, ms);      -> nothing of the units left
 *   ... "after" readings ...
 *   ctxprobe_footprint_free(s).
 * Kinds:
 *   PROCESS: children forked from the calling thread through child.c (all signals blocked, _Fork,
 *            PR_SET_PDEATHSIG(SIGKILL) — it fires when the *calling thread* exits: call from a thread
 *            that outlives the set — and a getppid check); each reports ready and waits on a shared
 *            futex word in a MAP_SHARED page; released, it _exits(0). Never returns.
 *   THREAD:  pthread_create with glibc's default attributes (default stack size and guard) and all
 *            signals blocked; each names itself "ctxp-idle", publishes its tid, reports ready and waits
 *            on a private futex word; released, it returns and reap joins it. (glibc may keep a few
 *            joined stacks in its stack cache: those are glibc's, not the set's.)
 *   FIBER:   CTXPROBE_FOOTPRINT_FIBER_STACK usable bytes mmap'd per fiber with a PROT_NONE guard page
 *            below (fiber_stack.c); the hand-written switch enters each fiber once on the calling
 *            thread; the fiber touches `touch_bytes` of its stack below its first frame (one write per
 *            page; 0: only the first frame), reports ready and switches back for good.
 *            Release does nothing; reap unmaps every stack.
 */
#ifndef CTXPROBE_FOOTPRINT_H
#define CTXPROBE_FOOTPRINT_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CTXPROBE_FOOTPRINT_PROCESS 1
#define CTXPROBE_FOOTPRINT_THREAD  2
#define CTXPROBE_FOOTPRINT_FIBER   3

#define CTXPROBE_FOOTPRINT_FIBER_STACK (64 * 1024)  /* usable bytes per fiber stack (as fiber.switch) */

typedef struct ctxprobe_footprint ctxprobe_footprint;

/* NULL on bad input (unknown kind, n <= 0, touch_bytes < 0, touch_bytes on a non-fiber kind, or
 * touch_bytes > CTXPROBE_FOOTPRINT_FIBER_STACK - 8 KiB: the first frame and the touch loop need room)
 * or allocation failure. */
ctxprobe_footprint *ctxprobe_footprint_new(int32_t kind, int32_t n, int64_t touch_bytes);
/* Creates the n units. Returns n, or the first -errno (fork/pthread_create/mmap failure; -EBUSY if
 * already started); units created before a failure stay counted (ctxprobe_footprint_count) and are
 * torn down by release + reap / free as usual. */
int32_t ctxprobe_footprint_start(ctxprobe_footprint *s);
/* Units created so far; -EINVAL for NULL. */
int32_t ctxprobe_footprint_count(ctxprobe_footprint *s);
/* Units that reported ready (blocked, or for fibers suspended); -EINVAL for NULL. */
int32_t ctxprobe_footprint_ready(ctxprobe_footprint *s);
/* 0 once every created unit reported ready, -ETIMEDOUT, -EINVAL (NULL, negative timeout). */
int32_t ctxprobe_footprint_wait_ready(ctxprobe_footprint *s, int64_t timeout_ms);
/* Unit i's pid (PROCESS) or kernel tid (THREAD; 0 until that thread published it), 0 for a fiber
 * (no kernel task); -EINVAL for NULL or i outside [0, count). */
int32_t ctxprobe_footprint_id(ctxprobe_footprint *s, int32_t i);
/* Wakes every unit so that it exits (processes, threads); idempotent. */
void    ctxprobe_footprint_release(ctxprobe_footprint *s);
/* Releases, then: PROCESS waits up to timeout_ms for every child and reaps it (SIGKILL after the
 * deadline); THREAD joins every thread within timeout_ms; FIBER unmaps every stack. 0; -ETIMEDOUT if
 * a child had to be killed or a thread was not joined in time (free joins it); -EPIPE if a child
 * died or exited non-zero. Idempotent: what is gone is not touched again. */
int32_t ctxprobe_footprint_reap(ctxprobe_footprint *s, int64_t timeout_ms);
/* Tears down whatever reap did not (kills and reaps children, joins threads, unmaps stacks), then
 * frees the set. NULL is ignored. */
void    ctxprobe_footprint_free(ctxprobe_footprint *s);

#ifdef __cplusplus
}
#endif

#endif /* CTXPROBE_FOOTPRINT_H */
