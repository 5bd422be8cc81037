/*
 * ctxprobe/tlb.h — tlb.reach (tlb_reach.c) and tlb.switch (tlb_switch.c), both over the pointer
 * chase of tlb_chase.c. Java: NativeTlb. Part of ctxprobe.h.
 */
#ifndef CTXPROBE_TLB_H
#define CTXPROBE_TLB_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Layouts of a pointer chase over N "pages". Every layout is one random single cycle (Sattolo's
 * shuffle) through N cache lines; each load's address is the value the previous load returned.
 *   SPARSE_4K:      one line per 4 KiB page, N pages, madvise(MADV_NOHUGEPAGE); the line within
 *                   page i is i mod 64, so the lines spread over every cache set;
 *   PACKED:         the same N lines contiguous (N/64 pages, 4 KiB pages): the cache control;
 *   SPARSE_THP:     SPARSE_4K's geometry in a 2 MiB aligned region with madvise(MADV_HUGEPAGE);
 *   SPARSE_HUGETLB: SPARSE_4K's geometry in a MAP_HUGETLB mapping (2 MiB pages, needs
 *                   /proc/sys/vm/nr_hugepages > 0: -ENOMEM otherwise). */
#define CTXPROBE_TLB_SPARSE_4K       1
#define CTXPROBE_TLB_PACKED          2
#define CTXPROBE_TLB_SPARSE_THP      3
#define CTXPROBE_TLB_SPARSE_HUGETLB  4

/* tlb.reach. Batch protocol with ops = dependent loads per batch (no cpu_ns: nothing but the chase
 * runs in a batch). Memory is mapped and every line written before the first batch, and unmapped
 * before return. huge_kib (may be NULL): the mapping's AnonHugePages (THP) or its whole size
 * (hugetlbfs) in KiB from /proc/self/smaps, read before timing (-1 if smaps could not be read).
 * 0 or a negative errno: -EINVAL for a bad layout or pages outside [2, 1<<24], -ENOMEM when the
 * mapping (hugetlbfs: the huge page reservation) fails. */
int32_t ctxprobe_tlb_reach_run(int32_t layout, int64_t pages, int64_t warmup, int64_t batches,
                               int64_t ops, int64_t *wall_ns, int64_t *huge_kib);

/* Test aid for tlb.reach: builds the chase for (layout, pages), walks it once from its head and
 * returns the cycle length if the walk visited every line exactly once and came back to the head (so
 * it equals pages), -EFAULT if the permutation is not one cycle, -EXDEV if a sparse layout put two
 * lines in one 4 KiB page, or the run function's errors. Unmaps before return. */
int64_t ctxprobe_tlb_reach_verify(int32_t layout, int64_t pages);

/* tlb.switch events between two timed passes (a table of functions in tlb_switch.c). */
#define CTXPROBE_TLBEV_NONE              0
#define CTXPROBE_TLBEV_NULL_SYSCALL      1 /* raw syscall(SYS_getppid)                               */
#define CTXPROBE_TLBEV_FIBER_ASM         2 /* hand-written fiber switch there and back               */
#define CTXPROBE_TLBEV_FIBER_UCONTEXT    3 /* swapcontext there and back                             */
#define CTXPROBE_TLBEV_THREAD_ROUNDTRIP  4 /* a futex ping-pong round trip (the ping-pong object) to
                                              a thread of this process on the same CPU               */
#define CTXPROBE_TLBEV_PROCESS_ROUNDTRIP 5 /* the same with a forked child (child.c: PDEATHSIG,
                                              watched, reaped)                                      */

/* tlb.switch. A working set of `pages` lines (one per 4 KiB page, or packed into pages/64 pages when
 * packed != 0) chased once to warm it; then per pass: one event, then ONE timed pass over the whole
 * cycle (CLOCK_MONOTONIC, vDSO, read just before and after the pass: the event's own time is
 * outside). Batch protocol with ops = passes: wall_ns[b] is the sum of the batch's pass times. The
 * caller's thread should be pinned: the partner thread or child pins itself to the CPU the caller is
 * on (a failed sched_setaffinity is the run's error). Everything (partner joined, child reaped,
 * memory unmapped) is released before return. 0 or a negative errno (-EINVAL for a bad event, pages
 * outside [2, 1<<20] or batch arguments; -EPIPE if the partner process died; the partner's -errno). */
int32_t ctxprobe_tlb_switch_run(int32_t event, int32_t packed, int64_t pages, int64_t warmup,
                                int64_t batches, int64_t passes, int64_t *wall_ns);

/* A tlb.switch run's control, for a caller that must be able to stop it (a deadline, Ctrl-C) and
 * to say how a round trip's partner ended. ctxprobe_tlb_switch_run is _run_ctl with no control.
 *   _ctl_new           NULL if out of memory;
 *   _ctl_abort         from any thread, at any time, more than once: a run using ctl returns
 *                      -ECANCELED within one event (a partner waiting on the token is woken, then
 *                      joined or reaped); a later run with this ctl returns -ECANCELED at once;
 *   _ctl_partner_end   after a run whose partner was a forked child: 0 with *signal the signal that
 *                      ended it (0 if none) and *exit_code its exit status (-1 if killed), as soon as
 *                      the watch (child.c) saw it end; -ENODATA for an event without a forked partner;
 *   _ctl_round_trips   round trips the last run's partner answered (thread or child, warm-up
 *                      included); -ENODATA for an event without a partner;
 *   _ctl_free          after the last run using it has returned.
 * A partner process that dies fails the run with -EPIPE within milliseconds (its pidfd is
 * watched); nothing waits for the caller's deadline. */
typedef struct ctxprobe_tlb_ctl ctxprobe_tlb_ctl;
ctxprobe_tlb_ctl *ctxprobe_tlb_ctl_new(void);
void    ctxprobe_tlb_ctl_abort(ctxprobe_tlb_ctl *ctl);
int32_t ctxprobe_tlb_ctl_partner_end(ctxprobe_tlb_ctl *ctl, int32_t *signal, int32_t *exit_code);
int64_t ctxprobe_tlb_ctl_round_trips(ctxprobe_tlb_ctl *ctl);
void    ctxprobe_tlb_ctl_free(ctxprobe_tlb_ctl *ctl);
int32_t ctxprobe_tlb_switch_run_ctl(ctxprobe_tlb_ctl *ctl, int32_t event, int32_t packed, int64_t pages,
                                    int64_t warmup, int64_t batches, int64_t passes, int64_t *wall_ns);

#ifdef __cplusplus
}
#endif

#endif /* CTXPROBE_TLB_H */
