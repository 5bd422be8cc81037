/*
 * ctxprobe/fiber.h — fiber.switch (fiber.c + switch_*.S) and the placed fiber loops
 * (switch_loop_*.S, create_loop_*.S, loop_placement.c). Java: NativeFiber. Part of ctxprobe.h.
 */
#ifndef CTXPROBE_FIBER_H
#define CTXPROBE_FIBER_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Fiber switch implementations. */
#define CTXPROBE_FIBER_ASM        1  /* hand-written switch: callee-saved GPRs + x87 CW + MXCSR   */
#define CTXPROBE_FIBER_ASM_NOFPU  2  /* hand-written switch without the x87 CW / MXCSR save       */
#define CTXPROBE_FIBER_UCONTEXT   3  /* glibc swapcontext (saves the signal mask: a system call)  */

/* Two fibers on the calling thread ping-pong `ops` round trips per batch (a round trip is two
 * switches: main -> fiber -> main). Stacks are mmap'd with a PROT_NONE guard page below them and
 * unmapped before returning. Returns 0 or a negative errno (-EINVAL for an unknown kind). */
int32_t ctxprobe_fiber_switch_run(int32_t kind, int64_t warmup, int64_t batches, int64_t ops,
                                  int64_t *wall_ns, int64_t *cpu_ns);

/* Placed loops: a loop around a ~5 ns operation measures its own code placement (the front end:
 * fetch windows, op cache, branch targets), so the loops below are written in assembly and emitted
 * CTXPROBE_LOOP_PLACEMENTS times, copy i with its loop top (and its fiber body's) at a 64-byte
 * boundary plus i * CTXPROBE_LOOP_PLACEMENT_STEP bytes. Every copy runs `warmup` + `batches`
 * batches of `ops`, interleaved batch by batch. wall_ns and cpu_ns (may be NULL) hold
 * CTXPROBE_LOOP_PLACEMENTS * batches entries, copy-major: copy i's batch b at [i * batches + b]. */
#define CTXPROBE_LOOP_PLACEMENTS      4
#define CTXPROBE_LOOP_PLACEMENT_STEP  16

/* fiber.switch from every placed copy, `kind` CTXPROBE_FIBER_ASM or _ASM_NOFPU (-EINVAL otherwise):
 * ops round trips per batch, each copy with its own fiber and stack. switches (may be NULL,
 * CTXPROBE_LOOP_PLACEMENTS entries): switches each copy made in its measured batches, counted by
 * its fiber (2 per resume) — 2 * ops * batches when the copy ran. Returns 0, -EPROTO (a copy's
 * fiber was not resumed once per round trip) or a negative errno. */
int32_t ctxprobe_fiber_switch_placed_run(int32_t kind, int64_t warmup, int64_t batches, int64_t ops,
                                         int64_t *wall_ns, int64_t *cpu_ns, int64_t *switches);

/* Where copy `placement` of the placed switch loop of `kind` (ASM, ASM_NOFPU) put its loop top:
 * the top's address mod 64 in the loaded library (CTXPROBE_LOOP_PLACEMENT_STEP * placement when
 * the placement holds), or -EINVAL. */
int32_t ctxprobe_fiber_loop_top_offset(int32_t kind, int32_t placement);

/* fiber.create pooled-stack from every placed copy (fiber_create.c): one op = build a fiber on the
 * copy's pooled 64 KiB stack, switch in, it switches back. created (may be NULL,
 * CTXPROBE_LOOP_PLACEMENTS entries): fibers whose body ran in each copy's measured batches.
 * Returns 0, -EPROTO (a fiber's body did not run once per op) or a negative errno. */
int32_t ctxprobe_fiber_create_placed_run(int64_t warmup, int64_t batches, int64_t ops,
                                         int64_t *wall_ns, int64_t *cpu_ns, int64_t *created);

#ifdef __cplusplus
}
#endif

#endif /* CTXPROBE_FIBER_H */
