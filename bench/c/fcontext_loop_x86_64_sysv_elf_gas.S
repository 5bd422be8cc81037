/*
 * fcontext_loop_x86_64_sysv_elf_gas.S — Boost.Context's jump_fcontext driven from the same placed
 * loops as ctxprobe's own switch (x86-64, SysV ABI, ELF, GNU as), so the two are compared like with
 * like: native/src/loop_placement.h's copies (loop top at a 64-byte boundary + 0, 16, 32, 48), the
 * same instructions around the call, the same count of resumes in the fiber.
 *
 *   void loop(struct ctxp_loop_pair *p, int64_t ops);   ops round trips main -> fiber -> main
 *   void body(transfer_t t);                            the fiber: counts a resume, jumps back
 *
 * jump_fcontext(to, vp) returns transfer_t { fctx: the context that jumped here, data } in RAX:RDX.
 * p->fiber_sp holds the fiber's fcontext_t (make_fcontext's, then each jump's returned one).
 *
 *   main loop copy i                          fiber body copy i (RDI = main's fctx, RSI = p)
 *   ------------------------------------      ---------------------------------------------
 *   top: rdi = p->fiber_sp, rsi = p           top: p->runs++               (one resume)
 *        call jump_fcontext  --- switch --->       rsi = p; call jump_fcontext
 *        p->fiber_sp = rax  <--- switch ----       rdi = rax (main's fctx); goto top
 *        if (--ops) goto top
 *
 * Table: ctxp_fcontext_loops, CTXP_PLACEMENTS entries of { loop, body, loop top }.
 */
#include "loop_placement.h"

.file "fcontext_loop_x86_64_sysv_elf_gas.S"
.text

.macro FCONTEXT_LOOP i
    .p2align 6, 0xcc
    .type ctxp_fcontext_loop_\i,@function
ctxp_fcontext_loop_\i:
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
    movq  %rsi, %r12                    /* R12 = round trips left */
    testq %r12, %r12
    jle   .Lfcontext_done_\i
    jmp   .Lfcontext_top_\i             /* over the padding: it is never executed */
    CTXP_PLACE (\i * CTXP_PLACEMENT_STEP)
.Lfcontext_top_\i:
    movq  CTXP_PAIR_FIBER_SP(%rbx), %rdi /* to = the fiber's context */
    movq  %rbx, %rsi                    /* vp = the pair (the body's first entry reads it) */
    call  jump_fcontext                 /* main -> fiber; back here when the fiber jumps back */
    movq  %rax, CTXP_PAIR_FIBER_SP(%rbx) /* the fiber's context, suspended again */
    decq  %r12
    jnz   .Lfcontext_top_\i
.Lfcontext_done_\i:
    addq  $8, %rsp
    .cfi_adjust_cfa_offset -8
    popq  %r12                          /* restore the caller's R12 */
    .cfi_adjust_cfa_offset -8
    popq  %rbx                          /* restore the caller's RBX */
    .cfi_adjust_cfa_offset -8
    ret
    .cfi_endproc
    .size ctxp_fcontext_loop_\i,.-ctxp_fcontext_loop_\i

/* The fiber, entered once through make_fcontext's trampoline with RDI = main's context and
 * RSI = vp (the pair), then resumed once per round trip. Never returns. */
    .p2align 6, 0xcc
    .type ctxp_fcontext_body_\i,@function
ctxp_fcontext_body_\i:
    .cfi_startproc
    subq  $8, %rsp                      /* RSP 16-byte aligned at each call */
    .cfi_adjust_cfa_offset 8
    movq  %rsi, %rbx                    /* RBX = the pair (kept across the switch) */
    jmp   .Lfbody_top_\i                /* over the padding */
    CTXP_PLACE (\i * CTXP_PLACEMENT_STEP)
.Lfbody_top_\i:
    incq  CTXP_PAIR_RUNS(%rbx)          /* one more resume: proof this copy ran the switch */
    movq  %rbx, %rsi                    /* vp = the pair; RDI = main's context */
    call  jump_fcontext                 /* fiber -> main; back here on the next round trip */
    movq  %rax, %rdi                    /* main's context, for the next jump back */
    jmp   .Lfbody_top_\i
    .cfi_endproc
    .size ctxp_fcontext_body_\i,.-ctxp_fcontext_body_\i
.endm

.irp i, CTXP_PLACEMENT_LIST
    FCONTEXT_LOOP \i
.endr

/* The table: { loop, body, loop top } per copy. */
.section .data.rel.ro,"aw",@progbits
    .globl ctxp_fcontext_loops
    .hidden ctxp_fcontext_loops
    .type ctxp_fcontext_loops,@object
    .p2align 3
ctxp_fcontext_loops:
.irp i, CTXP_PLACEMENT_LIST
    .quad ctxp_fcontext_loop_\i, ctxp_fcontext_body_\i, .Lfcontext_top_\i
.endr
    .size ctxp_fcontext_loops,.-ctxp_fcontext_loops
.if (. - ctxp_fcontext_loops) != CTXP_PLACEMENTS * CTXP_PLACED_SIZE
    .error "CTXP_PLACEMENT_LIST and CTXP_PLACEMENTS disagree"
.endif

/* Mark that we don't need an executable stack. */
.section .note.GNU-stack,"",%progbits
