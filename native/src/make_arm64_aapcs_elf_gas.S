/*
 * make_arm64_aapcs_elf_gas.S — build a fiber's first frame (AArch64, AAPCS64, ELF, GNU as), in the
 * manner of Boost.Context's make_arm64_aapcs_elf_gas.S.
 *
 *   void *ctxprobe_fiber_make(void *stack_top, void (*fn)(void *), void *arg);
 *
 * Returns a stack pointer that ctxprobe_fiber_jump / _nofpu can switch to. The frame has the
 * layout the switch restores (see switch_arm64_aapcs_elf_gas.S):
 *
 *   -------------------------------------------------------------------------------
 *   |  0x0  |  0x8  |  0x10 |  0x18 |  0x20 |  0x28 |  0x30 |  0x38 |  0x40 |  0x48 |
 *   -------------------------------------------------------------------------------
 *   |   0   |   0   |   0   |   0   |   0   |   0   |   0   |   0   |  fn   |  arg  |
 *   -------------------------------------------------------------------------------
 *   |  0x50 |  0x58 |  0x60 |  0x68 |  0x70 |  0x78 |  0x80 |  0x88 |  0x90 |  0x98 |
 *   -------------------------------------------------------------------------------
 *   |   0   |   0   |   0   |   0   |   0   |   0   |   0   |   0   |   0   |   0   |
 *   -------------------------------------------------------------------------------
 *   |  0xa0 |  0xa8 |
 *   -----------------
 *   | FPCR  | entry |
 *   -----------------
 *     (d8-d15 = 0, x19 = fn, x20 = arg, FP = LR = 0 end frame-pointer walks,
 *      PC = ctxprobe_fiber_entry)
 *
 * The frame starts at (stack_top & ~15) - 0xb0, so after the first switch drops it, SP =
 * stack_top & ~15: 16-byte aligned, as AAPCS64 requires at all times.
 * FPCR is copied from the caller (as Boost.Context's x86 make copies MXCSR / the x87 CW).
 */
.file "make_arm64_aapcs_elf_gas.S"
.text
.globl ctxprobe_fiber_make
.hidden ctxprobe_fiber_make
.type ctxprobe_fiber_make,%function
.align 4
ctxprobe_fiber_make:
    .cfi_startproc
    and   x0, x0, #-16               /* align stack_top down to 16 bytes                    */
    sub   x0, x0, #0xb0              /* room for the 176-byte frame                         */

    stp   xzr, xzr, [x0, #0x00]      /* d8, d9 slots                                        */
    stp   xzr, xzr, [x0, #0x10]      /* d10, d11 slots                                      */
    stp   xzr, xzr, [x0, #0x20]      /* d12, d13 slots                                      */
    stp   xzr, xzr, [x0, #0x30]      /* d14, d15 slots                                      */
    stp   x1,  x2,  [x0, #0x40]      /* x19 slot = fn, x20 slot = arg                       */
    stp   xzr, xzr, [x0, #0x50]      /* x21, x22 slots                                      */
    stp   xzr, xzr, [x0, #0x60]      /* x23, x24 slots                                      */
    stp   xzr, xzr, [x0, #0x70]      /* x25, x26 slots                                      */
    stp   xzr, xzr, [x0, #0x80]      /* x27, x28 slots                                      */
    stp   xzr, xzr, [x0, #0x90]      /* FP, LR slots: 0 terminates frame-pointer unwinding  */
    mrs   x9, fpcr
    str   x9, [x0, #0xa0]            /* initial FPCR: the caller's                          */
    adr   x9, ctxprobe_fiber_entry
    str   x9, [x0, #0xa8]            /* PC slot = the entry trampoline                      */
    ret                              /* return the frame's address (x0)                     */
    .cfi_endproc
.size ctxprobe_fiber_make,.-ctxprobe_fiber_make

/*
 * First code a fiber runs. SP is 16-byte aligned here; x19 = fn, x20 = arg (restored from the
 * frame above). A fiber function never returns: it loops, switching back. If it does return,
 * trap (brk) rather than run off into whatever lies above the stack.
 */
.type ctxprobe_fiber_entry,%function
.align 4
ctxprobe_fiber_entry:
    .cfi_startproc
    .cfi_undefined x30               /* outermost frame for unwinders                       */
    mov   x0, x20                    /* first argument: arg                                 */
    blr   x19                        /* fn(arg)                                             */
    brk   #0x1                       /* fn returned: a bug, fail loudly (SIGTRAP)           */
    .cfi_endproc
.size ctxprobe_fiber_entry,.-ctxprobe_fiber_entry

/* Mark that we don't need an executable stack. */
.section .note.GNU-stack,"",%progbits
