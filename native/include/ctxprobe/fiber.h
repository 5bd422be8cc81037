/*
 * ctxprobe/fiber.h — fiber.switch (fiber.c + switch_*.S). Java: NativeFiber. Part of ctxprobe.h.
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

#ifdef __cplusplus
}
#endif

#endif /* CTXPROBE_FIBER_H */
