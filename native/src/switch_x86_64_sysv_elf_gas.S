/*
 * switch_x86_64_sysv_elf_gas.S — ctxprobe's fiber switch (x86-64, SysV ABI, ELF, GNU as),
 * in the manner of Boost.Context's jump_x86_64_sysv_elf_gas.S.
 *
 *   void ctxprobe_fiber_jump(void **save_sp, void *to_sp);       (see fiber_switch.h)
 *
 * Saves the SysV callee-saved state of the caller on its own stack, stores the resulting stack
 * pointer in *save_sp, loads to_sp (a frame saved by an earlier jump, or built by
 * ctxprobe_fiber_make) and resumes it. Caller-saved registers need no saving: the C caller already
 * assumes a call clobbers them.
 *
 * Saved frame (addresses relative to the saved stack pointer; 64 bytes, 16-byte aligned when the
 * caller was ABI-aligned, because the `call` pushed the return address at 0x38):
 *
 *   -------------------------------------------------------------------
 *   |  0x0  |  0x4  |  0x8  |  0x10 |  0x18 |  0x20 |  0x28 |  0x30 |  0x38 |
 *   -------------------------------------------------------------------
 *   | MXCSR | x87CW |  R12  |  R13  |  R14  |  R15  |  RBX  |  RBP  |  RIP  |
 *   -------------------------------------------------------------------
 *
 * The same layout is used by the no-FPU variant (the 8-byte MXCSR/x87CW slot is left unused there)
 * so one ctxprobe_fiber_make serves both.
 *
 * The FPU control state is behind one macro, CTXPROBE_SWITCH_FPU: the SysV ABI makes the control
 * bits of MXCSR and the x87 control word callee-saved, so a conforming switch saves them.
 */

#ifndef CTXPROBE_SWITCH_FPU
#define CTXPROBE_SWITCH_FPU 1
#endif
#ifndef CTXPROBE_SWITCH_NAME
#define CTXPROBE_SWITCH_NAME ctxprobe_fiber_jump
#endif

.file "switch_x86_64_sysv_elf_gas.S"
.text
.globl CTXPROBE_SWITCH_NAME
.hidden CTXPROBE_SWITCH_NAME
.type CTXPROBE_SWITCH_NAME,@function
.align 16
CTXPROBE_SWITCH_NAME:
    .cfi_startproc
    /* rdi = save_sp, rsi = to_sp; the return address (RIP slot, 0x38) is already pushed */
    leaq  -0x38(%rsp), %rsp        /* reserve the rest of the frame (0x0 .. 0x37)        */
    .cfi_adjust_cfa_offset 0x38

#if CTXPROBE_SWITCH_FPU
    stmxcsr  (%rsp)                /* save MXCSR (rounding mode, FTZ/DAZ, exception masks) */
    fnstcw   0x4(%rsp)             /* save the x87 control word (precision, rounding)     */
#endif

    movq  %r12, 0x8(%rsp)          /* save R12 */
    movq  %r13, 0x10(%rsp)         /* save R13 */
    movq  %r14, 0x18(%rsp)         /* save R14 */
    movq  %r15, 0x20(%rsp)         /* save R15 */
    movq  %rbx, 0x28(%rsp)         /* save RBX */
    movq  %rbp, 0x30(%rsp)         /* save RBP */

    movq  %rsp, (%rdi)             /* save the current stack pointer in *save_sp */
    movq  %rsi, %rsp               /* switch to the other stack (to_sp) */

#if CTXPROBE_SWITCH_FPU
    ldmxcsr  (%rsp)                /* restore MXCSR */
    fldcw    0x4(%rsp)             /* restore the x87 control word */
#endif

    movq  0x8(%rsp), %r12          /* restore R12 */
    movq  0x10(%rsp), %r13         /* restore R13 */
    movq  0x18(%rsp), %r14         /* restore R14 */
    movq  0x20(%rsp), %r15         /* restore R15 */
    movq  0x28(%rsp), %rbx         /* restore RBX */
    movq  0x30(%rsp), %rbp         /* restore RBP */

    leaq  0x38(%rsp), %rsp         /* drop the frame up to the RIP slot */
    .cfi_adjust_cfa_offset -0x38
    popq  %r8                      /* restore RIP (r8 is caller-saved: free to use) */
    .cfi_adjust_cfa_offset -8
    .cfi_register rip, r8
    /* Like Boost.Context, an indirect jmp rather than `ret`: the return stack buffer never
     * matches a stack switch, the indirect-branch predictor can. */
    jmp   *%r8
    .cfi_endproc
.size CTXPROBE_SWITCH_NAME,.-CTXPROBE_SWITCH_NAME

/* Mark that we don't need an executable stack. */
.section .note.GNU-stack,"",%progbits
