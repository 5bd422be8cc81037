/*
 * switch_arm64_aapcs_elf_gas.S — ctxprobe's fiber switch (AArch64, AAPCS64, ELF, GNU as), in the
 * manner of Boost.Context's jump_arm64_aapcs_elf_gas.S.
 *
 *   void ctxprobe_fiber_jump(void **save_sp, void *to_sp);       (see fiber_switch.h)
 *
 * Saves the AAPCS64 callee-saved state of the caller on its own stack, stores the resulting stack
 * pointer in *save_sp, loads to_sp (a frame saved by an earlier jump, or built by
 * ctxprobe_fiber_make) and resumes it. Caller-saved registers (x0-x18, v0-v7, v16-v31, the upper
 * halves of v8-v15, FPSR's cumulative flags) need no saving: the C caller already assumes a call
 * clobbers them.
 *
 * Saved frame (addresses relative to the saved stack pointer; 176 bytes, a multiple of 16, so SP
 * stays 16-byte aligned as AAPCS64 requires of every SP-relative access):
 *
 *   -------------------------------------------------------------------------------
 *   |  0x0  |  0x8  |  0x10 |  0x18 |  0x20 |  0x28 |  0x30 |  0x38 |  0x40 |  0x48 |
 *   -------------------------------------------------------------------------------
 *   |  d8   |  d9   |  d10  |  d11  |  d12  |  d13  |  d14  |  d15  |  x19  |  x20  |
 *   -------------------------------------------------------------------------------
 *   |  0x50 |  0x58 |  0x60 |  0x68 |  0x70 |  0x78 |  0x80 |  0x88 |  0x90 |  0x98 |
 *   -------------------------------------------------------------------------------
 *   |  x21  |  x22  |  x23  |  x24  |  x25  |  x26  |  x27  |  x28  |  FP   |  LR   |
 *   -------------------------------------------------------------------------------
 *   |  0xa0 |  0xa8 |
 *   -----------------
 *   | FPCR  |  PC   |
 *   -----------------
 *     FP = x29 (frame pointer), LR = x30 (link register: the caller's return address), PC = where
 *     this context resumes (the saved LR for a suspended switch; the entry trampoline for a fresh
 *     fiber, whose LR slot is 0 so that frame-pointer walks end there).
 *
 * The same layout is used by the no-FPU variant (the FPCR slot is left unused there) so one
 * ctxprobe_fiber_make serves both.
 *
 * The FPU control state is behind one macro, CTXPROBE_SWITCH_FPU: AAPCS64 makes FPCR's mode bits
 * (rounding mode, flush-to-zero, default-NaN, trap enables) preserved across a call, like the
 * control bits of MXCSR on x86-64, so a conforming switch saves them. (Boost.Context's arm64 jump
 * saves d8-d15 but not FPCR.) d8-d15 are callee-saved general state — compilers keep values there
 * across calls — so they are saved by both variants.
 */

#ifndef CTXPROBE_SWITCH_FPU
#define CTXPROBE_SWITCH_FPU 1
#endif
#ifndef CTXPROBE_SWITCH_NAME
#define CTXPROBE_SWITCH_NAME ctxprobe_fiber_jump
#endif

.file "switch_arm64_aapcs_elf_gas.S"
.text
.globl CTXPROBE_SWITCH_NAME
.hidden CTXPROBE_SWITCH_NAME
.type CTXPROBE_SWITCH_NAME,%function
.align 4
CTXPROBE_SWITCH_NAME:
    .cfi_startproc
    /* x0 = save_sp, x1 = to_sp, x30 (LR) = our caller's return address */
    sub   sp, sp, #0xb0              /* reserve the frame (0x0 .. 0xaf)                     */
    .cfi_adjust_cfa_offset 0xb0

    stp   d8,  d9,  [sp, #0x00]      /* save d8, d9   (low 64 bits of v8, v9: callee-saved) */
    stp   d10, d11, [sp, #0x10]      /* save d10, d11                                       */
    stp   d12, d13, [sp, #0x20]      /* save d12, d13                                       */
    stp   d14, d15, [sp, #0x30]      /* save d14, d15                                       */
    stp   x19, x20, [sp, #0x40]      /* save x19, x20                                       */
    stp   x21, x22, [sp, #0x50]      /* save x21, x22                                       */
    stp   x23, x24, [sp, #0x60]      /* save x23, x24                                       */
    stp   x25, x26, [sp, #0x70]      /* save x25, x26                                       */
    stp   x27, x28, [sp, #0x80]      /* save x27, x28                                       */
    stp   x29, x30, [sp, #0x90]      /* save FP (x29) and LR (x30)                          */
#if CTXPROBE_SWITCH_FPU
    mrs   x9, fpcr                   /* x9 is caller-saved (a scratch register)             */
    str   x9, [sp, #0xa0]            /* save FPCR (rounding mode, FZ, DN, trap enables)     */
#endif
    str   x30, [sp, #0xa8]           /* save PC = LR: this context resumes at our return    */

    mov   x9, sp
    str   x9, [x0]                   /* save the current stack pointer in *save_sp          */
    mov   sp, x1                     /* switch to the other stack (to_sp)                   */

#if CTXPROBE_SWITCH_FPU
    ldr   x9, [sp, #0xa0]
    msr   fpcr, x9                   /* restore FPCR                                        */
#endif
    ldp   d8,  d9,  [sp, #0x00]      /* restore d8, d9                                      */
    ldp   d10, d11, [sp, #0x10]      /* restore d10, d11                                    */
    ldp   d12, d13, [sp, #0x20]      /* restore d12, d13                                    */
    ldp   d14, d15, [sp, #0x30]      /* restore d14, d15                                    */
    ldp   x19, x20, [sp, #0x40]      /* restore x19, x20                                    */
    ldp   x21, x22, [sp, #0x50]      /* restore x21, x22                                    */
    ldp   x23, x24, [sp, #0x60]      /* restore x23, x24                                    */
    ldp   x25, x26, [sp, #0x70]      /* restore x25, x26                                    */
    ldp   x27, x28, [sp, #0x80]      /* restore x27, x28                                    */
    ldp   x29, x30, [sp, #0x90]      /* restore FP and LR                                   */
    ldr   x9,  [sp, #0xa8]           /* the PC to resume at (x9: caller-saved, free to use) */

    add   sp, sp, #0xb0              /* drop the frame                                      */
    .cfi_adjust_cfa_offset -0xb0
    /* Like Boost.Context, `ret x9` rather than `br x9`: both are indirect branches to x9; `ret`
     * hints a function return, which is what resuming a suspended switch is. */
    ret   x9
    .cfi_endproc
.size CTXPROBE_SWITCH_NAME,.-CTXPROBE_SWITCH_NAME

/* Mark that we don't need an executable stack. */
.section .note.GNU-stack,"",%progbits
