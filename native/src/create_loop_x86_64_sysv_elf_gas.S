/*
 * create_loop_x86_64_sysv_elf_gas.S — the fiber.create pooled-stack timing loop, placed (x86-64,
 * SysV ABI, ELF, GNU as), in the manner of Boost.Context's .S files.
 *
 *   void loop(struct ctxp_loop_pair *p, int64_t ops);   ops fibers created on p->stack_top
 *   void body(void *p);                                 a fiber: counts its run, switches back
 *
 * One op, as fiber_create.c's pooled-stack kind: build a fiber's first frame on the one pooled
 * stack (ctxprobe_fiber_make), switch into it, its body counts itself and switches straight back;
 * the fiber is abandoned there (never resumed: the next op rebuilds the stack's frame). Why in
 * assembly and why copies: see loop_placement.h. Copy i puts the loop top and the body's entry (the
 * branch targets of each op) at a 64-byte boundary plus i * CTXP_PLACEMENT_STEP bytes.
 *
 * Table (hidden, read through fiber.c): ctxp_create_loops, CTXP_PLACEMENTS entries of { loop, body, loop top }.
 */
#include "loop_placement.h"

.file "create_loop_x86_64_sysv_elf_gas.S"
.text

.macro CREATE_LOOP i
    .p2align 6, 0xcc
    .type ctxp_create_loop_\i,@function
ctxp_create_loop_\i:
    .cfi_startproc
    pushq %rbx                          /* save the caller's RBX */
    .cfi_adjust_cfa_offset 8
    .cfi_rel_offset rbx, 0
    pushq %r12                          /* save the caller's R12 */
    .cfi_adjust_cfa_offset 8
    .cfi_rel_offset r12, 0
    subq  $8, %rsp                      /* RSP 16-byte aligned at each call */
    .cfi_adjust_cfa_offset 8
    movq  %rdi, %rbx                    /* RBX = the pair */
    movq  %rsi, %r12                    /* R12 = fibers left to create */
    testq %r12, %r12
    jle   .Lcreate_done_\i
    jmp   .Lcreate_top_\i               /* over the padding: it is never executed */
    CTXP_PLACE (\i * CTXP_PLACEMENT_STEP)
.Lcreate_top_\i:
    movq  CTXP_PAIR_STACK_TOP(%rbx), %rdi /* stack_top = the pooled stack's */
    leaq  ctxp_create_body_\i(%rip), %rsi /* fn = this copy's body */
    movq  %rbx, %rdx                    /* arg = the pair */
    call  ctxprobe_fiber_make           /* the fiber's first frame */
    movq  %rax, CTXP_PAIR_FIBER_SP(%rbx) /* p->fiber_sp = it */
    leaq  CTXP_PAIR_MAIN_SP(%rbx), %rdi /* save_sp = &p->main_sp */
    movq  %rax, %rsi                    /* to_sp = the new fiber */
    call  ctxprobe_fiber_jump           /* run it; back here when it switches back */
    decq  %r12
    jnz   .Lcreate_top_\i
.Lcreate_done_\i:
    addq  $8, %rsp
    .cfi_adjust_cfa_offset -8
    popq  %r12                          /* restore the caller's R12 */
    .cfi_adjust_cfa_offset -8
    popq  %rbx                          /* restore the caller's RBX */
    .cfi_adjust_cfa_offset -8
    ret
    .cfi_endproc
    .size ctxp_create_loop_\i,.-ctxp_create_loop_\i

/* The body, entered through ctxprobe_fiber_entry with RDI = the pair; its entry is placed. */
    CTXP_PLACE (\i * CTXP_PLACEMENT_STEP)
    .type ctxp_create_body_\i,@function
ctxp_create_body_\i:
    .cfi_startproc
    subq  $8, %rsp                      /* RSP 16-byte aligned at the call */
    .cfi_adjust_cfa_offset 8
    incq  CTXP_PAIR_RUNS(%rdi)          /* this fiber ran: proof the copy created it */
    movq  CTXP_PAIR_MAIN_SP(%rdi), %rsi /* to_sp = p->main_sp */
    leaq  CTXP_PAIR_FIBER_SP(%rdi), %rdi /* save_sp = &p->fiber_sp */
    call  ctxprobe_fiber_jump           /* back to main, for good */
    ud2                                 /* never resumed: resuming an abandoned fiber is a bug */
    .cfi_endproc
    .size ctxp_create_body_\i,.-ctxp_create_body_\i
.endm

.irp i, CTXP_PLACEMENT_LIST
    CREATE_LOOP \i
.endr

/* The table: { loop, body, loop top } per copy (addresses: relocated at load, then read-only). */
.section .data.rel.ro,"aw",@progbits
    .globl ctxp_create_loops
    .hidden ctxp_create_loops
    .type ctxp_create_loops,@object
    .p2align 3
ctxp_create_loops:
.irp i, CTXP_PLACEMENT_LIST
    .quad ctxp_create_loop_\i, ctxp_create_body_\i, .Lcreate_top_\i
.endr
    .size ctxp_create_loops,.-ctxp_create_loops
.if (. - ctxp_create_loops) != CTXP_PLACEMENTS * CTXP_PLACED_SIZE
    .error "CTXP_PLACEMENT_LIST and CTXP_PLACEMENTS disagree"
.endif

/* Mark that we don't need an executable stack. */
.section .note.GNU-stack,"",%progbits
