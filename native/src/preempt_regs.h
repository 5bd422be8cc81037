/*
 * preempt_regs.h — internal (hidden, x86-64 only): the register image the register-file window of
 * preempt_regs_x86_64_sysv_elf_gas.S loads and dumps (fiber_preempt_regs.c checks it). The
 * offsets are the assembly's: change both or neither (a _Static_assert below pins them).
 *
 *   0x000  gpr[15]   rax rbx rcx rdx rsi rdi rbp r8 r9 r10 r11 r12 r13 r14 r15
 *                    (rcx is the spin counter: loaded with `iters`, dumped as 0)
 *   0x078  rflags    loaded with popfq; CF PF AF ZF SF DF OF are compared
 *   0x080  mxcsr
 *   0x084  x87 control word
 *   0x090  vec[16]   32 bytes each: xmm n in the low 16, the ymm n upper half in the high 16
 *   0x290  end
 */
#ifndef CTXPROBE_PREEMPT_REGS_H
#define CTXPROBE_PREEMPT_REGS_H

#include <stddef.h>
#include <stdint.h>

#include "fiber_switch.h"   /* CTXP_HIDDEN */

#define RG_GPRS 15
#define RG_VECS 16
#define RG_RCX  2

struct rg_image {
    uint64_t gpr[RG_GPRS];
    uint64_t rflags;
    uint32_t mxcsr;
    uint16_t fcw;
    uint16_t pad0;
    uint64_t pad1;
    uint8_t  vec[RG_VECS][32];
};

_Static_assert(offsetof(struct rg_image, rflags) == 0x78, "rflags offset");
_Static_assert(offsetof(struct rg_image, mxcsr) == 0x80, "mxcsr offset");
_Static_assert(offsetof(struct rg_image, fcw) == 0x84, "fcw offset");
_Static_assert(offsetof(struct rg_image, vec) == 0x90, "vec offset");
_Static_assert(sizeof(struct rg_image) == 0x290, "image size");

/* Loads every register of *pattern (ymm when avx, else xmm only), spins `iters` times on `loop`
 * (which changes no flag), dumps every register into *seen, and returns with the caller's
 * callee-saved registers, MXCSR, x87 control word and DF=0 back. */
CTXP_HIDDEN void ctxp_regs_window(const struct rg_image *pattern, uint64_t iters, struct rg_image *seen, int avx);

/* The spin's first and one-past-last instruction: a preemption with RIP in between found every
 * register holding the pattern. */
extern const char ctxp_regs_spin_begin[] CTXP_HIDDEN;
extern const char ctxp_regs_spin_end[] CTXP_HIDDEN;

#endif /* CTXPROBE_PREEMPT_REGS_H */
