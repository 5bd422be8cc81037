/*
 * preempt_regs_x86_64_sysv_elf_gas.S — fiber.preempt's register-file window (x86-64, SysV, ELF,
 * GNU as), in the manner of Boost.Context's files: a frame table, a comment per save and restore.
 *
 *   void ctxp_regs_window(const struct rg_image *pattern, uint64_t iters,
 *                         struct rg_image *seen, int avx);          (see preempt_regs.h)
 *
 * Loads *every* user register a fiber owns with the pattern — the 15 general registers other than
 * RSP (RCX becomes the spin counter), RFLAGS (CF PF AF ZF SF DF OF), xmm0-15 or ymm0-15, MXCSR and
 * the x87 control word — spins on `loop` (it decrements RCX and changes no flag), then dumps every
 * register into *seen. A timer signal preempting the fiber during the spin (RIP between
 * ctxp_regs_spin_begin and ctxp_regs_spin_end) finds the pattern everywhere; whatever the kernel's
 * signal frame and the fiber switch fail to bring back shows up in *seen.
 *
 * Frame (relative to RSP after the prologue; the caller's callee-saved state):
 *
 *   -----------------------------------------------------------------------------------------
 *   |  0x0    |  0x8   |  0x10  |  0x18  |  0x20  |  0x24  | 0x28 | 0x30 | 0x38 | 0x40 | 0x48 | 0x50 | 0x58 |
 *   -----------------------------------------------------------------------------------------
 *   | pattern | iters  |  seen  |  avx   | MXCSR  | x87CW  | R15  | R14  | R13  | R12  | RBP  | RBX  | RIP  |
 *   -----------------------------------------------------------------------------------------
 */
.file "preempt_regs_x86_64_sysv_elf_gas.S"
.text
.globl ctxp_regs_window
.hidden ctxp_regs_window
.type ctxp_regs_window,@function
.align 16
ctxp_regs_window:
    .cfi_startproc
    pushq %rbx                     /* save the caller's RBX */
    .cfi_adjust_cfa_offset 8
    pushq %rbp                     /* save RBP */
    .cfi_adjust_cfa_offset 8
    pushq %r12                     /* save R12 */
    .cfi_adjust_cfa_offset 8
    pushq %r13                     /* save R13 */
    .cfi_adjust_cfa_offset 8
    pushq %r14                     /* save R14 */
    .cfi_adjust_cfa_offset 8
    pushq %r15                     /* save R15 */
    .cfi_adjust_cfa_offset 8
    subq  $0x28, %rsp              /* the argument slots and the caller's FPU control */
    .cfi_adjust_cfa_offset 0x28
    movq  %rdi, 0x0(%rsp)          /* pattern */
    movq  %rsi, 0x8(%rsp)          /* iters */
    movq  %rdx, 0x10(%rsp)         /* seen */
    movq  %rcx, 0x18(%rsp)         /* avx */
    stmxcsr 0x20(%rsp)             /* save the caller's MXCSR */
    fnstcw  0x24(%rsp)             /* save the caller's x87 control word */

    testl %ecx, %ecx
    jz    .Lload_xmm
    vmovdqu 0x90(%rdi), %ymm0    /* ymm0 = pattern */
    vmovdqu 0xb0(%rdi), %ymm1    /* ymm1 = pattern */
    vmovdqu 0xd0(%rdi), %ymm2    /* ymm2 = pattern */
    vmovdqu 0xf0(%rdi), %ymm3    /* ymm3 = pattern */
    vmovdqu 0x110(%rdi), %ymm4    /* ymm4 = pattern */
    vmovdqu 0x130(%rdi), %ymm5    /* ymm5 = pattern */
    vmovdqu 0x150(%rdi), %ymm6    /* ymm6 = pattern */
    vmovdqu 0x170(%rdi), %ymm7    /* ymm7 = pattern */
    vmovdqu 0x190(%rdi), %ymm8    /* ymm8 = pattern */
    vmovdqu 0x1b0(%rdi), %ymm9    /* ymm9 = pattern */
    vmovdqu 0x1d0(%rdi), %ymm10    /* ymm10 = pattern */
    vmovdqu 0x1f0(%rdi), %ymm11    /* ymm11 = pattern */
    vmovdqu 0x210(%rdi), %ymm12    /* ymm12 = pattern */
    vmovdqu 0x230(%rdi), %ymm13    /* ymm13 = pattern */
    vmovdqu 0x250(%rdi), %ymm14    /* ymm14 = pattern */
    vmovdqu 0x270(%rdi), %ymm15    /* ymm15 = pattern */
    jmp   .Lload_rest
.Lload_xmm:
    movdqu 0x90(%rdi), %xmm0     /* xmm0 = pattern */
    movdqu 0xb0(%rdi), %xmm1     /* xmm1 = pattern */
    movdqu 0xd0(%rdi), %xmm2     /* xmm2 = pattern */
    movdqu 0xf0(%rdi), %xmm3     /* xmm3 = pattern */
    movdqu 0x110(%rdi), %xmm4     /* xmm4 = pattern */
    movdqu 0x130(%rdi), %xmm5     /* xmm5 = pattern */
    movdqu 0x150(%rdi), %xmm6     /* xmm6 = pattern */
    movdqu 0x170(%rdi), %xmm7     /* xmm7 = pattern */
    movdqu 0x190(%rdi), %xmm8     /* xmm8 = pattern */
    movdqu 0x1b0(%rdi), %xmm9     /* xmm9 = pattern */
    movdqu 0x1d0(%rdi), %xmm10     /* xmm10 = pattern */
    movdqu 0x1f0(%rdi), %xmm11     /* xmm11 = pattern */
    movdqu 0x210(%rdi), %xmm12     /* xmm12 = pattern */
    movdqu 0x230(%rdi), %xmm13     /* xmm13 = pattern */
    movdqu 0x250(%rdi), %xmm14     /* xmm14 = pattern */
    movdqu 0x270(%rdi), %xmm15     /* xmm15 = pattern */
.Lload_rest:
    ldmxcsr 0x80(%rdi)             /* MXCSR = pattern */
    fldcw   0x84(%rdi)             /* x87 control word = pattern */
    movq  0x8(%rsp), %rcx          /* RCX = iters: the spin counter */
    pushq 0x78(%rdi)               /* RFLAGS = pattern (no flag changes from here to the dump) */
    popfq
    movq  0x0(%rdi), %rax         /* RAX = pattern */
    movq  0x8(%rdi), %rbx         /* RBX = pattern */
    movq  0x18(%rdi), %rdx         /* RDX = pattern */
    movq  0x20(%rdi), %rsi         /* RSI = pattern */
    movq  0x30(%rdi), %rbp         /* RBP = pattern */
    movq  0x38(%rdi), %r8          /* R8 = pattern */
    movq  0x40(%rdi), %r9          /* R9 = pattern */
    movq  0x48(%rdi), %r10         /* R10 = pattern */
    movq  0x50(%rdi), %r11         /* R11 = pattern */
    movq  0x58(%rdi), %r12         /* R12 = pattern */
    movq  0x60(%rdi), %r13         /* R13 = pattern */
    movq  0x68(%rdi), %r14         /* R14 = pattern */
    movq  0x70(%rdi), %r15         /* R15 = pattern */
    movq  0x28(%rdi), %rdi         /* RDI = pattern, last: it held the pointer */
.globl ctxp_regs_spin_begin
.hidden ctxp_regs_spin_begin
ctxp_regs_spin_begin:
1:  loop  1b                       /* RCX -= 1 until 0; no flag, no other register, changes */
.globl ctxp_regs_spin_end
.hidden ctxp_regs_spin_end
ctxp_regs_spin_end:
    pushfq                         /* RFLAGS first, before anything can change it */
    pushq %rax                     /* RAX next: it becomes the pointer to *seen */
    movq  0x20(%rsp), %rax         /* seen (slot 0x10, two pushes above) */
    movq  %rbx, 0x8(%rax)         /* seen.rbx */
    movq  %rcx, 0x10(%rax)         /* seen.rcx */
    movq  %rdx, 0x18(%rax)         /* seen.rdx */
    movq  %rsi, 0x20(%rax)         /* seen.rsi */
    movq  %rdi, 0x28(%rax)         /* seen.rdi */
    movq  %rbp, 0x30(%rax)         /* seen.rbp */
    movq  %r8, 0x38(%rax)          /* seen.r8 */
    movq  %r9, 0x40(%rax)          /* seen.r9 */
    movq  %r10, 0x48(%rax)         /* seen.r10 */
    movq  %r11, 0x50(%rax)         /* seen.r11 */
    movq  %r12, 0x58(%rax)         /* seen.r12 */
    movq  %r13, 0x60(%rax)         /* seen.r13 */
    movq  %r14, 0x68(%rax)         /* seen.r14 */
    movq  %r15, 0x70(%rax)         /* seen.r15 */
    popq  0x0(%rax)                /* seen.rax */
    popq  0x78(%rax)               /* seen.rflags */
    stmxcsr 0x80(%rax)             /* seen.mxcsr */
    fnstcw  0x84(%rax)             /* seen.x87 control word */
    cmpl  $0, 0x18(%rsp)
    jz    .Ldump_xmm
    vmovdqu %ymm0, 0x90(%rax)    /* seen.ymm0 */
    vmovdqu %ymm1, 0xb0(%rax)    /* seen.ymm1 */
    vmovdqu %ymm2, 0xd0(%rax)    /* seen.ymm2 */
    vmovdqu %ymm3, 0xf0(%rax)    /* seen.ymm3 */
    vmovdqu %ymm4, 0x110(%rax)    /* seen.ymm4 */
    vmovdqu %ymm5, 0x130(%rax)    /* seen.ymm5 */
    vmovdqu %ymm6, 0x150(%rax)    /* seen.ymm6 */
    vmovdqu %ymm7, 0x170(%rax)    /* seen.ymm7 */
    vmovdqu %ymm8, 0x190(%rax)    /* seen.ymm8 */
    vmovdqu %ymm9, 0x1b0(%rax)    /* seen.ymm9 */
    vmovdqu %ymm10, 0x1d0(%rax)    /* seen.ymm10 */
    vmovdqu %ymm11, 0x1f0(%rax)    /* seen.ymm11 */
    vmovdqu %ymm12, 0x210(%rax)    /* seen.ymm12 */
    vmovdqu %ymm13, 0x230(%rax)    /* seen.ymm13 */
    vmovdqu %ymm14, 0x250(%rax)    /* seen.ymm14 */
    vmovdqu %ymm15, 0x270(%rax)    /* seen.ymm15 */
    vzeroupper                     /* leave no dirty upper state to the SSE caller */
    jmp   .Ldone
.Ldump_xmm:
    movdqu %xmm0, 0x90(%rax)     /* seen.xmm0 */
    movdqu %xmm1, 0xb0(%rax)     /* seen.xmm1 */
    movdqu %xmm2, 0xd0(%rax)     /* seen.xmm2 */
    movdqu %xmm3, 0xf0(%rax)     /* seen.xmm3 */
    movdqu %xmm4, 0x110(%rax)     /* seen.xmm4 */
    movdqu %xmm5, 0x130(%rax)     /* seen.xmm5 */
    movdqu %xmm6, 0x150(%rax)     /* seen.xmm6 */
    movdqu %xmm7, 0x170(%rax)     /* seen.xmm7 */
    movdqu %xmm8, 0x190(%rax)     /* seen.xmm8 */
    movdqu %xmm9, 0x1b0(%rax)     /* seen.xmm9 */
    movdqu %xmm10, 0x1d0(%rax)     /* seen.xmm10 */
    movdqu %xmm11, 0x1f0(%rax)     /* seen.xmm11 */
    movdqu %xmm12, 0x210(%rax)     /* seen.xmm12 */
    movdqu %xmm13, 0x230(%rax)     /* seen.xmm13 */
    movdqu %xmm14, 0x250(%rax)     /* seen.xmm14 */
    movdqu %xmm15, 0x270(%rax)     /* seen.xmm15 */
.Ldone:
    cld                            /* the ABI's DF = 0 for the C caller */
    ldmxcsr 0x20(%rsp)             /* restore the caller's MXCSR */
    fldcw   0x24(%rsp)             /* restore the caller's x87 control word */
    addq  $0x28, %rsp
    .cfi_adjust_cfa_offset -0x28
    popq  %r15                     /* restore R15 */
    .cfi_adjust_cfa_offset -8
    popq  %r14                     /* restore R14 */
    .cfi_adjust_cfa_offset -8
    popq  %r13                     /* restore R13 */
    .cfi_adjust_cfa_offset -8
    popq  %r12                     /* restore R12 */
    .cfi_adjust_cfa_offset -8
    popq  %rbp                     /* restore RBP */
    .cfi_adjust_cfa_offset -8
    popq  %rbx                     /* restore RBX */
    .cfi_adjust_cfa_offset -8
    ret
    .cfi_endproc
.size ctxp_regs_window,.-ctxp_regs_window

/* Mark that we don't need an executable stack. */
.section .note.GNU-stack,"",%progbits
