/*
 * make_x86_64_sysv_elf_gas.S — build a fiber's first frame (x86-64, SysV, ELF, GNU as), in the
 * manner of Boost.Context's make_x86_64_sysv_elf_gas.S.
 *
 *   void *ctxprobe_fiber_make(void *stack_top, void (*fn)(void *), void *arg);
 *
 * Returns a stack pointer that ctxprobe_fiber_jump / _nofpu can switch to. The frame has the
 * layout the switch restores (see switch_x86_64_sysv_elf_gas.S):
 *
 *   -------------------------------------------------------------------
 *   |  0x0  |  0x4  |  0x8  |  0x10 |  0x18 |  0x20 |  0x28 |  0x30 |  0x38 |
 *   -------------------------------------------------------------------
 *   | MXCSR | x87CW |  fn   |  arg  |   0   |   0   |   0   |   0   | entry |
 *   -------------------------------------------------------------------
 *     (R12 = fn, R13 = arg, RBP = 0 ends frame-pointer walks, RIP = ctxprobe_fiber_entry)
 *
 * The frame starts at (stack_top & ~15) - 0x40, so after the first switch pops it, RSP =
 * stack_top & ~15: 16-byte aligned at the trampoline's `call`, as the ABI requires.
 * MXCSR and the x87 control word are copied from the caller (as Boost.Context does).
 */
.file "make_x86_64_sysv_elf_gas.S"
.text
.globl ctxprobe_fiber_make
.hidden ctxprobe_fiber_make
.type ctxprobe_fiber_make,@function
.align 16
ctxprobe_fiber_make:
    .cfi_startproc
    movq  %rdi, %rax               /* rax = stack_top */
    andq  $-16, %rax               /* align down to 16 bytes */
    leaq  -0x40(%rax), %rax        /* room for the 64-byte frame */

    stmxcsr  (%rax)                /* initial MXCSR: the caller's */
    fnstcw   0x4(%rax)             /* initial x87 control word: the caller's */
    movq  %rsi, 0x8(%rax)          /* R12 slot = fn */
    movq  %rdx, 0x10(%rax)         /* R13 slot = arg */
    movq  $0, 0x18(%rax)           /* R14 slot */
    movq  $0, 0x20(%rax)           /* R15 slot */
    movq  $0, 0x28(%rax)           /* RBX slot */
    movq  $0, 0x30(%rax)           /* RBP slot: 0 terminates frame-pointer unwinding */
    leaq  ctxprobe_fiber_entry(%rip), %rcx
    movq  %rcx, 0x38(%rax)         /* RIP slot = the entry trampoline */
    ret                            /* return the frame's address */
    .cfi_endproc
.size ctxprobe_fiber_make,.-ctxprobe_fiber_make

/*
 * First code a fiber runs. RSP is 16-byte aligned here; R12 = fn, R13 = arg (restored from the
 * frame above). A fiber function never returns: it loops, switching back. If it does return,
 * trap (ud2) rather than run off into whatever lies above the stack.
 */
.type ctxprobe_fiber_entry,@function
.align 16
ctxprobe_fiber_entry:
    .cfi_startproc
    .cfi_undefined rip             /* outermost frame for unwinders */
    movq  %r13, %rdi               /* first argument: arg */
    callq *%r12                    /* fn(arg) */
    ud2                            /* fn returned: a bug, fail loudly */
    .cfi_endproc
.size ctxprobe_fiber_entry,.-ctxprobe_fiber_entry

/* Mark that we don't need an executable stack. */
.section .note.GNU-stack,"",%progbits
