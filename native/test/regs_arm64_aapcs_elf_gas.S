/*
 * regs_arm64_aapcs_elf_gas.S — test helper that drives the fiber switch with known values in every
 * AAPCS64 callee-saved register and in FPCR (AArch64).
 *
 *   void regs_fill_jump_read(jump_fn jump, void **save_sp, void *to_sp, const uint64_t in[20],
 *                            uint64_t out[20]);
 *     loads in[0..10] into x19-x29, in[11..18] into d8-d15 and in[19] into FPCR, calls
 *     jump(save_sp, to_sp), and when control comes back stores x19-x29, d8-d15 and FPCR into
 *     out[] in the same order (with a conforming switch they still hold in[]). x30 (LR) is the
 *     call's own return address: that it comes back right is shown by the return itself.
 * Preserves its own caller's callee-saved registers and FPCR.
 *
 * Own frame (176 bytes below the caller's SP):
 *   0x00 x29 x30 | 0x10..0x50 x19-x28 | 0x60..0x90 d8-d15 | 0xa0 out | 0xa8 the caller's FPCR
 */
.file "regs_arm64_aapcs_elf_gas.S"
.text

.globl regs_fill_jump_read
.type regs_fill_jump_read,%function
.align 4
regs_fill_jump_read:
    stp   x29, x30, [sp, #-0xb0]!
    stp   x19, x20, [sp, #0x10]
    stp   x21, x22, [sp, #0x20]
    stp   x23, x24, [sp, #0x30]
    stp   x25, x26, [sp, #0x40]
    stp   x27, x28, [sp, #0x50]
    stp   d8,  d9,  [sp, #0x60]
    stp   d10, d11, [sp, #0x70]
    stp   d12, d13, [sp, #0x80]
    stp   d14, d15, [sp, #0x90]
    mrs   x9, fpcr
    stp   x4, x9,   [sp, #0xa0]          /* out, and the caller's FPCR */

    mov   x16, x0                        /* jump */
    mov   x0, x1                         /* save_sp */
    mov   x1, x2                         /* to_sp */
    ldr   x9, [x3, #0x98]
    msr   fpcr, x9                       /* FPCR = in[19] */
    ldp   d8,  d9,  [x3, #0x58]          /* d8-d15 = in[11..18] */
    ldp   d10, d11, [x3, #0x68]
    ldp   d12, d13, [x3, #0x78]
    ldp   d14, d15, [x3, #0x88]
    ldp   x19, x20, [x3, #0x00]          /* x19-x29 = in[0..10] */
    ldp   x21, x22, [x3, #0x10]
    ldp   x23, x24, [x3, #0x20]
    ldp   x25, x26, [x3, #0x30]
    ldp   x27, x28, [x3, #0x40]
    ldr   x29,      [x3, #0x50]
    blr   x16                            /* jump(save_sp, to_sp): returns when resumed */

    ldr   x9, [sp, #0xa0]                /* out (SP is ours again: the switch restored it) */
    stp   x19, x20, [x9, #0x00]
    stp   x21, x22, [x9, #0x10]
    stp   x23, x24, [x9, #0x20]
    stp   x25, x26, [x9, #0x30]
    stp   x27, x28, [x9, #0x40]
    str   x29,      [x9, #0x50]
    stp   d8,  d9,  [x9, #0x58]
    stp   d10, d11, [x9, #0x68]
    stp   d12, d13, [x9, #0x78]
    stp   d14, d15, [x9, #0x88]
    mrs   x10, fpcr
    str   x10,      [x9, #0x98]

    ldr   x9, [sp, #0xa8]
    msr   fpcr, x9                       /* the caller's FPCR back */
    ldp   d14, d15, [sp, #0x90]
    ldp   d12, d13, [sp, #0x80]
    ldp   d10, d11, [sp, #0x70]
    ldp   d8,  d9,  [sp, #0x60]
    ldp   x27, x28, [sp, #0x50]
    ldp   x25, x26, [sp, #0x40]
    ldp   x23, x24, [sp, #0x30]
    ldp   x21, x22, [sp, #0x20]
    ldp   x19, x20, [sp, #0x10]
    ldp   x29, x30, [sp], #0xb0
    ret
.size regs_fill_jump_read,.-regs_fill_jump_read

.section .note.GNU-stack,"",%progbits
