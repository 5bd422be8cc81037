/*
 * switch_loop_x86_64_sysv_elf_gas.S — the fiber.switch timing loops, placed (x86-64, SysV ABI, ELF,
 * GNU as), in the manner of Boost.Context's .S files.
 *
 *   void loop(struct ctxp_loop_pair *p, int64_t ops);   ops round trips main -> fiber -> main
 *   void body(void *p);                                 the fiber: counts a resume, switches back
 *
 * Why in assembly: where a ~5 ns loop lands in the code decides what it measures (see
 * loop_placement.h). Each loop and its fiber body are emitted CTXP_PLACEMENTS times; copy i has its
 * loop top — the branch target every iteration comes back to — at a 64-byte boundary plus
 * i * CTXP_PLACEMENT_STEP bytes, in its own cache lines. The switch itself is the one
 * ctxprobe_fiber_jump / ctxprobe_fiber_jump_nofpu every other caller uses.
 *
 * Per round trip (one iteration):
 *
 *   main loop copy i                         fiber body copy i
 *   -----------------------------------      -------------------------------------
 *   top: rdi = &p->main_sp                   top: p->runs++          (one resume)
 *        rsi = p->fiber_sp                        rdi = &p->fiber_sp
 *        call jump  --------- switch ------>      rsi = p->main_sp
 *        (resumed here) <---- switch --------     call jump
 *        if (--ops) goto top                      goto top
 *
 * Tables (hidden, read by loop_placement.c through fiber.c): ctxp_switch_loops_fpu and
 * ctxp_switch_loops_nofpu, CTXP_PLACEMENTS entries of { loop, body, loop top }.
 */
#include "loop_placement.h"

.file "switch_loop_x86_64_sysv_elf_gas.S"
.text

/* The main side, copy \i, calling switch \jump. RBX and R12 are callee-saved, so the switch (and
 * the fiber in between) hands them back unchanged: they carry the pair and the count. */
.macro SWITCH_LOOP kind, jump, i
    .p2align 6, 0xcc
    .type ctxp_switch_loop_\kind\()_\i,@function
ctxp_switch_loop_\kind\()_\i:
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
    jle   .Lswitch_done_\kind\()_\i
    jmp   .Lswitch_top_\kind\()_\i      /* over the padding: it is never executed */
    CTXP_PLACE (\i * CTXP_PLACEMENT_STEP)
.Lswitch_top_\kind\()_\i:
    leaq  CTXP_PAIR_MAIN_SP(%rbx), %rdi /* save_sp = &p->main_sp */
    movq  CTXP_PAIR_FIBER_SP(%rbx), %rsi /* to_sp = p->fiber_sp */
    call  \jump                         /* main -> fiber; back here when the fiber switches back */
    decq  %r12
    jnz   .Lswitch_top_\kind\()_\i
.Lswitch_done_\kind\()_\i:
    addq  $8, %rsp
    .cfi_adjust_cfa_offset -8
    popq  %r12                          /* restore the caller's R12 */
    .cfi_adjust_cfa_offset -8
    popq  %rbx                          /* restore the caller's RBX */
    .cfi_adjust_cfa_offset -8
    ret
    .cfi_endproc
    .size ctxp_switch_loop_\kind\()_\i,.-ctxp_switch_loop_\kind\()_\i
.endm

/* The fiber side, copy \i: entered once through ctxprobe_fiber_entry with RDI = the pair, then
 * resumed once per round trip. Never returns, so nothing of its caller's needs keeping. */
.macro SWITCH_BODY kind, jump, i
    .p2align 6, 0xcc
    .type ctxp_switch_body_\kind\()_\i,@function
ctxp_switch_body_\kind\()_\i:
    .cfi_startproc
    subq  $8, %rsp                      /* RSP 16-byte aligned at each call */
    .cfi_adjust_cfa_offset 8
    movq  %rdi, %rbx                    /* RBX = the pair (kept across the switch) */
    jmp   .Lbody_top_\kind\()_\i        /* over the padding */
    CTXP_PLACE (\i * CTXP_PLACEMENT_STEP)
.Lbody_top_\kind\()_\i:
    incq  CTXP_PAIR_RUNS(%rbx)          /* one more resume: proof this copy ran the switch */
    leaq  CTXP_PAIR_FIBER_SP(%rbx), %rdi /* save_sp = &p->fiber_sp */
    movq  CTXP_PAIR_MAIN_SP(%rbx), %rsi /* to_sp = p->main_sp */
    call  \jump                         /* fiber -> main; back here on the next round trip */
    jmp   .Lbody_top_\kind\()_\i
    .cfi_endproc
    .size ctxp_switch_body_\kind\()_\i,.-ctxp_switch_body_\kind\()_\i
.endm

.irp i, CTXP_PLACEMENT_LIST
    SWITCH_LOOP fpu, ctxprobe_fiber_jump, \i
    SWITCH_BODY fpu, ctxprobe_fiber_jump, \i
.endr
.irp i, CTXP_PLACEMENT_LIST
    SWITCH_LOOP nofpu, ctxprobe_fiber_jump_nofpu, \i
    SWITCH_BODY nofpu, ctxprobe_fiber_jump_nofpu, \i
.endr

/* The tables: { loop, body, loop top } per copy (addresses: relocated at load, then read-only). */
.macro SWITCH_TABLE kind
    .globl ctxp_switch_loops_\kind
    .hidden ctxp_switch_loops_\kind
    .type ctxp_switch_loops_\kind,@object
    .p2align 3
ctxp_switch_loops_\kind:
    .irp i, CTXP_PLACEMENT_LIST
    .quad ctxp_switch_loop_\kind\()_\i, ctxp_switch_body_\kind\()_\i, .Lswitch_top_\kind\()_\i
    .endr
    .size ctxp_switch_loops_\kind,.-ctxp_switch_loops_\kind
    .if (. - ctxp_switch_loops_\kind) != CTXP_PLACEMENTS * CTXP_PLACED_SIZE
    .error "CTXP_PLACEMENT_LIST and CTXP_PLACEMENTS disagree"
    .endif
.endm

.section .data.rel.ro,"aw",@progbits
SWITCH_TABLE fpu
SWITCH_TABLE nofpu

/* Mark that we don't need an executable stack. */
.section .note.GNU-stack,"",%progbits
