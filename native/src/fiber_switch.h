/*
 * fiber_switch.h — internal: the hand-written fiber switch (switch_*.S, make_*.S) and fiber stacks
 * (fiber_stack.c). Hidden symbols: not part of the ABI, but the C tests link these objects directly.
 */
#ifndef CTXPROBE_FIBER_SWITCH_H
#define CTXPROBE_FIBER_SWITCH_H

#include <stddef.h>

#define CTXP_HIDDEN __attribute__((visibility("hidden")))

/* Save the callee-saved state (RBX, RBP, R12-R15, and with the FPU variant MXCSR and the x87
 * control word) on the current stack, store the stack pointer in *save_sp, resume to_sp.
 * Returns when some fiber jumps back to the stack pointer stored in *save_sp. */
typedef void (*ctxp_jump_fn)(void **save_sp, void *to_sp);
CTXP_HIDDEN void ctxprobe_fiber_jump(void **save_sp, void *to_sp);
CTXP_HIDDEN void ctxprobe_fiber_jump_nofpu(void **save_sp, void *to_sp);

/* Build a first frame below stack_top; jumping to the returned stack pointer calls fn(arg) on that
 * stack with RSP 16-byte aligned. fn must never return (the trampoline traps with ud2). Works for
 * both switch variants (same frame layout). */
CTXP_HIDDEN void *ctxprobe_fiber_make(void *stack_top, void (*fn)(void *), void *arg);

/* A fiber stack: one mapping, the lowest page PROT_NONE (guard), the rest read/write. */
struct ctxp_stack {
    void  *map;      /* mmap'd base (the guard page) */
    size_t map_len;  /* guard + usable */
    void  *lo;       /* lowest usable byte (just above the guard) */
    void  *hi;       /* one past the highest usable byte: the initial stack top */
};

/* size: usable bytes, rounded up to whole pages. 0 or -errno. */
CTXP_HIDDEN int ctxp_stack_alloc(struct ctxp_stack *s, size_t size);
/* Unmaps; safe on a zeroed or already freed stack. */
CTXP_HIDDEN void ctxp_stack_free(struct ctxp_stack *s);

#endif /* CTXPROBE_FIBER_SWITCH_H */
