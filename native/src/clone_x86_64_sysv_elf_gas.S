/*
 * clone_x86_64_sysv_elf_gas.S — create a kernel thread with the raw clone system call and let it
 * run one instruction of its own before it exits (x86-64, SysV, ELF, GNU as), in the manner of
 * Boost.Context's *_x86_64_sysv_elf_gas.S files.
 *
 *   long ctxp_clone_thread(unsigned long flags, void *stack_top, int *parent_tid, int *child_tid,
 *                          int *ran);
 *
 * Parent: returns the new thread's tid, or -errno (the raw system call's return).
 * Child:  starts on `stack_top` with RAX = 0 and every other register as the parent had it at the
 *         `syscall` (except RCX/R11, which `syscall` clobbers). It inherits the caller's FS base,
 *         i.e. the caller's TLS (on a JVM thread: the Java thread's), so it must not run any C or
 *         libc code (errno, stack protector, signal handlers would touch that TLS). It does one
 *         locked increment of *ran (the proof that it ran) and leaves with SYS_exit, which ends
 *         only this thread (exit_group would end the process). With CLONE_CHILD_CLEARTID the
 *         kernel then zeroes *child_tid and futex-wakes it: that is how the parent joins.
 * The caller blocks all signals across the call; the child keeps that mask, so no handler ever
 * runs on the child (a process-directed signal goes to a thread that has it unblocked).
 *
 * Register use (SysV C arguments -> Linux system call arguments):
 *   --------------------------------------------------------------------------------
 *   | C arg      | in   | syscall arg     | in   | note                              |
 *   --------------------------------------------------------------------------------
 *   | flags      | RDI  | clone flags     | RDI  | unchanged                         |
 *   | stack_top  | RSI  | newsp           | RSI  | unchanged; the child's RSP        |
 *   | parent_tid | RDX  | parent_tidptr   | RDX  | unchanged (CLONE_PARENT_SETTID)   |
 *   | child_tid  | RCX  | child_tidptr    | R10  | RCX is clobbered by `syscall`     |
 *   | ran        | R8   | (none)          | R9   | survives the syscall in the child |
 *   | -          |      | tls             | R8   | 0: no CLONE_SETTLS                |
 *   | -          |      | system call nr  | RAX  | SYS_clone = 56; SYS_exit = 60     |
 *   --------------------------------------------------------------------------------
 */
.file "clone_x86_64_sysv_elf_gas.S"
.text
.globl ctxp_clone_thread
.hidden ctxp_clone_thread
.type ctxp_clone_thread,@function
.align 16
ctxp_clone_thread:
    .cfi_startproc
    movq  %rcx, %r10               /* 4th system call argument: child_tid (RCX dies in syscall) */
    movq  %r8, %r9                 /* keep `ran` in R9: not a clone argument, copied to the child */
    xorl  %r8d, %r8d               /* tls = 0 (ignored without CLONE_SETTLS; kept clean)         */
    movl  $56, %eax                /* RAX = SYS_clone                                             */
    syscall                        /* RDI flags, RSI newsp, RDX parent_tid, R10 child_tid, R8 tls */
    testq %rax, %rax               /* RAX: 0 in the child, tid or -errno in the parent           */
    jz    1f                       /* the child: its own path below, on its own stack            */
    ret                            /* the parent: RAX is the return value; our stack untouched   */
1:
    .cfi_undefined rip             /* the child's outermost frame: nothing to unwind to          */
    lock incl (%r9)                /* *ran += 1: the child ran (R9 copied from the parent)        */
    movl  $60, %eax                /* RAX = SYS_exit: this thread only                           */
    xorl  %edi, %edi               /* RDI = status 0                                             */
    syscall                        /* does not return                                            */
    ud2                            /* never reached: trap rather than run on                     */
    .cfi_endproc
.size ctxp_clone_thread,.-ctxp_clone_thread

/* Mark that we don't need an executable stack. */
.section .note.GNU-stack,"",%progbits
