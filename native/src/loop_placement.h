/*
 * loop_placement.h — internal: timing loops whose place in the code is chosen, not left to the
 * compiler. Included by C (the driver, loop_placement.c) and by the .S files that emit the loops.
 *
 * Why: a loop around a ~5 ns operation measures its own code placement. The same fiber switch
 * called from a C loop ran 5.2 ns or 9.2-10.5 ns on one Zen 4 host depending only on the calling
 * loop's alignment (-O2/-O3, -falign-loops): the front end (fetch windows, op cache lines, branch
 * target buffer) sees a different loop. So each placed loop is emitted CTXP_PLACEMENTS times, copy i
 * with its loop top (the branch target every iteration returns to) at a 64-byte boundary plus
 * i * CTXP_PLACEMENT_STEP bytes, each copy in its own 64-byte lines. A probe times every copy,
 * interleaved, and reports the best as the operation's cost and the spread beside it.
 */
#ifndef CTXPROBE_LOOP_PLACEMENT_H
#define CTXPROBE_LOOP_PLACEMENT_H

#define CTXP_PLACEMENTS       4      /* copies of each placed loop (fiber.h: CTXPROBE_LOOP_PLACEMENTS) */
#define CTXP_PLACEMENT_STEP   16     /* copy i's loop top: 64-byte boundary + 16 * i (0, 16, 32, 48) */
#define CTXP_PLACEMENT_LIST   0, 1, 2, 3   /* the copies, for .irp: keep in step with CTXP_PLACEMENTS */

/* struct ctxp_loop_pair: what a placed loop reads and writes (offsets for the .S files). */
#define CTXP_PAIR_MAIN_SP     0x00   /* main's saved stack pointer                              */
#define CTXP_PAIR_FIBER_SP    0x08   /* the fiber's saved stack pointer                         */
#define CTXP_PAIR_RUNS        0x10   /* the loop's count: fiber resumes / fiber bodies run      */
#define CTXP_PAIR_STACK_TOP   0x18   /* the create loop: top of the pooled stack                */
#define CTXP_PAIR_SIZE        0x20

/* A table entry (CTXP_PLACEMENTS of them per loop kind, emitted by the .S files). */
#define CTXP_PLACED_LOOP      0x00   /* void loop(struct ctxp_loop_pair *p, int64_t ops)        */
#define CTXP_PLACED_BODY      0x08   /* the fiber body that loop resumes, or 0                  */
#define CTXP_PLACED_TOP       0x10   /* the address of the loop's top (its placed branch target) */
#define CTXP_PLACED_SIZE      0x18

#ifdef __ASSEMBLER__

/* The byte that pads code between and inside placed loops: never executed (the code before it
 * jumps over it), and a trap if it ever were. */
#if defined(__x86_64__)
#define CTXP_CODE_FILL 0xcc          /* int3 */
#elif defined(__aarch64__)
#define CTXP_CODE_FILL 0x00          /* 4 zero bytes are udf #0: permanently undefined */
#else
#error "loop_placement.h: placed loops exist for x86-64 and aarch64 only"
#endif

/* Place the next instruction `off` bytes past a fresh 64-byte boundary. */
.macro CTXP_PLACE off
    .p2align 6, CTXP_CODE_FILL
    .if \off
    .skip \off, CTXP_CODE_FILL
    .endif
.endm

#else

#include <stdint.h>

#ifdef __cplusplus   /* bench/c/fcontext_switch.cpp drives Boost.Context from these loops too */
#define _Static_assert static_assert
extern "C" {
#endif

struct ctxp_loop_pair {
    void   *main_sp;
    void   *fiber_sp;
    int64_t runs;
    void   *stack_top;
};

struct ctxp_placed_loop {
    void (*loop)(struct ctxp_loop_pair *p, int64_t ops);
    void (*body)(void *arg);
    const void *top;    /* where the loop top landed: tests and reports read its offset */
};

_Static_assert(sizeof(struct ctxp_loop_pair) == CTXP_PAIR_SIZE, "pair size");
_Static_assert(__builtin_offsetof(struct ctxp_loop_pair, fiber_sp) == CTXP_PAIR_FIBER_SP, "fiber_sp");
_Static_assert(__builtin_offsetof(struct ctxp_loop_pair, runs) == CTXP_PAIR_RUNS, "runs");
_Static_assert(__builtin_offsetof(struct ctxp_loop_pair, stack_top) == CTXP_PAIR_STACK_TOP, "stack_top");
_Static_assert(sizeof(struct ctxp_placed_loop) == CTXP_PLACED_SIZE, "table entry size");
_Static_assert(__builtin_offsetof(struct ctxp_placed_loop, top) == CTXP_PLACED_TOP, "top");

/*
 * Runs `warmup` + `batches` batches of `ops` on every copy of a loop, interleaved batch by batch
 * (the copy that goes first rotates), so drift on a shared host hits every copy alike. wall_ns and
 * cpu_ns (may be NULL) hold CTXP_PLACEMENTS * batches entries, copy-major: [i * batches + b].
 * pairs[i] is the state copy i runs on; runs[i] receives pairs[i].runs counted over the measured
 * batches only. Returns 0 or -EINVAL (bad batch arguments).
 */
__attribute__((visibility("hidden")))
int ctxp_placed_batches(const struct ctxp_placed_loop *table, struct ctxp_loop_pair *pairs,
                        int64_t warmup, int64_t batches, int64_t ops,
                        int64_t *wall_ns, int64_t *cpu_ns, int64_t *runs);

#ifdef __cplusplus
}
#undef _Static_assert
#endif

#endif /* __ASSEMBLER__ */
#endif /* CTXPROBE_LOOP_PLACEMENT_H */
