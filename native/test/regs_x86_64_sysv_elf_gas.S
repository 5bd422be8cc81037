/*
 * regs_x86_64_sysv_elf_gas.S — test helpers that drive the fiber switch with known register values.
 *
 *   void regs_across_jump(jump_fn jump, void **save_sp, void *to_sp, uint64_t out[6]);
 *     loads sentinels into RBX, RBP, R12-R15, calls jump(save_sp, to_sp), and when control comes
 *     back stores RBX, RBP, R12-R15 into out[0..5] (all must still hold the sentinels).
 *   void clobber_and_jump(jump_fn jump, void **save_sp, void *to_sp);
 *     overwrites RBX, RBP, R12-R15 with other values, then calls jump (run on the fiber side).
 * Both preserve their own caller's callee-saved registers.
 */
.file "regs_x86_64_sysv_elf_gas.S"
.text

.globl regs_across_jump
.type regs_across_jump,@function
.align 16
regs_across_jump:
    pushq %rbx
    pushq %rbp
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    pushq %rcx                         /* out; 7 pushes leave RSP 16-byte aligned at the call */
    movabsq $0x1111111111111111, %rbx
    movabsq $0x2222222222222222, %rbp
    movabsq $0x3333333333333333, %r12
    movabsq $0x4444444444444444, %r13
    movabsq $0x5555555555555555, %r14
    movabsq $0x6666666666666666, %r15
    movq  %rdi, %rax
    movq  %rsi, %rdi
    movq  %rdx, %rsi
    call  *%rax
    popq  %rcx
    movq  %rbx, 0x0(%rcx)
    movq  %rbp, 0x8(%rcx)
    movq  %r12, 0x10(%rcx)
    movq  %r13, 0x18(%rcx)
    movq  %r14, 0x20(%rcx)
    movq  %r15, 0x28(%rcx)
    popq  %r15
    popq  %r14
    popq  %r13
    popq  %r12
    popq  %rbp
    popq  %rbx
    ret
.size regs_across_jump,.-regs_across_jump

.globl clobber_and_jump
.type clobber_and_jump,@function
.align 16
clobber_and_jump:
    pushq %rbx
    pushq %rbp
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    subq  $8, %rsp                     /* 16-byte alignment at the call */
    movabsq $0xdead00000000dead, %rbx
    movabsq $0xdead11111111dead, %rbp
    movabsq $0xdead22222222dead, %r12
    movabsq $0xdead33333333dead, %r13
    movabsq $0xdead44444444dead, %r14
    movabsq $0xdead55555555dead, %r15
    movq  %rdi, %rax
    movq  %rsi, %rdi
    movq  %rdx, %rsi
    call  *%rax
    addq  $8, %rsp
    popq  %r15
    popq  %r14
    popq  %r13
    popq  %r12
    popq  %rbp
    popq  %rbx
    ret
.size clobber_and_jump,.-clobber_and_jump

.section .note.GNU-stack,"",%progbits
