/*
 * clone_arm64_aapcs_elf_gas.S — create a kernel thread with the raw clone system call and let it
 * run a few instructions of its own before it exits (AArch64, AAPCS64, ELF, GNU as), the
 * counterpart of clone_x86_64_sysv_elf_gas.S.
 *
 *   long ctxp_clone_thread(unsigned long flags, void *stack_top, int *parent_tid, int *child_tid,
 *                          int *ran);
 *
 * Parent: returns the new thread's tid, or -errno (the raw system call's return).
 * Child:  starts on `stack_top` (SP) with x0 = 0 and every other register as the parent had it at
 *         the `svc` (the AArch64 kernel preserves x1-x30 across a system call, in both tasks). It
 *         inherits the caller's TPIDR_EL0, i.e. the caller's TLS (on a JVM thread: the Java
 *         thread's), so it must not run any C or libc code (errno, stack protector, signal handlers
 *         would touch that TLS). It does one atomic increment of *ran (the proof that it ran) and
 *         leaves with SYS_exit, which ends only this thread (exit_group would end the process).
 *         With CLONE_CHILD_CLEARTID the kernel then zeroes *child_tid and futex-wakes it: that is
 *         how the parent joins.
 * The caller blocks all signals across the call; the child keeps that mask, so no handler ever
 * runs on the child.
 *
 * The argument order differs from x86-64: AArch64 uses the generic clone ABI
 * (CONFIG_CLONE_BACKWARDS: flags, newsp, parent_tid, tls, child_tid), x86-64 swaps tls and
 * child_tid. System call numbers come from this architecture's <asm/unistd.h>, not literals.
 *
 * Register use (AAPCS64 C arguments -> Linux system call arguments):
 *   --------------------------------------------------------------------------------
 *   | C arg      | in   | syscall arg     | in   | note                              |
 *   --------------------------------------------------------------------------------
 *   | flags      | x0   | clone flags     | x0   | unchanged                         |
 *   | stack_top  | x1   | newsp           | x1   | unchanged; the child's SP         |
 *   | parent_tid | x2   | parent_tidptr   | x2   | unchanged (CLONE_PARENT_SETTID)   |
 *   | child_tid  | x3   | child_tidptr    | x4   | moved: x3 is tls on AArch64       |
 *   | ran        | x4   | (none)          | x10  | survives the svc in the child     |
 *   | -          |      | tls             | x3   | 0: no CLONE_SETTLS                |
 *   | -          |      | system call nr  | x8   | __NR_clone; then __NR_exit        |
 *   --------------------------------------------------------------------------------
 */
#include <asm/unistd.h>

.file "clone_arm64_aapcs_elf_gas.S"
.text
.globl ctxp_clone_thread
.hidden ctxp_clone_thread
.type ctxp_clone_thread,%function
.align 4
ctxp_clone_thread:
    .cfi_startproc
    mov   x10, x4                    /* keep `ran` in x10: not a clone argument, copied to the child */
    mov   x4, x3                     /* 5th system call argument: child_tid                     */
    mov   x3, xzr                    /* tls = 0 (ignored without CLONE_SETTLS; kept clean)       */
    mov   x8, #__NR_clone            /* x8 = the system call number                              */
    svc   #0                         /* x0 flags, x1 newsp, x2 parent_tid, x3 tls, x4 child_tid  */
    cbz   x0, 1f                     /* x0: 0 in the child, tid or -errno in the parent          */
    ret                              /* the parent: x0 is the return value; our stack untouched  */
1:
    .cfi_undefined x30               /* the child's outermost frame: nothing to unwind to        */
2:  ldxr  w9, [x10]                  /* *ran += 1 (an LL/SC pair: plain ARMv8.0, no LSE needed)  */
    add   w9, w9, #1
    stlxr w11, w9, [x10]             /* w11 = 0 when the store succeeded                         */
    cbnz  w11, 2b                    /* lost the reservation: try again                          */
    mov   x8, #__NR_exit             /* x8 = SYS_exit: this thread only                          */
    mov   x0, xzr                    /* x0 = status 0                                            */
    svc   #0                         /* does not return                                          */
    brk   #0x1                       /* never reached: trap rather than run on                   */
    .cfi_endproc
.size ctxp_clone_thread,.-ctxp_clone_thread

/* Mark that we don't need an executable stack. */
.section .note.GNU-stack,"",%progbits
