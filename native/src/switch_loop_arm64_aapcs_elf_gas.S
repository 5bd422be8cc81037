/*
 * switch_loop_arm64_aapcs_elf_gas.S — the fiber.switch timing loops, placed (AArch64, AAPCS64, ELF,
 * GNU as), in the manner of Boost.Context's .S files. The counterpart of
 * switch_loop_x86_64_sysv_elf_gas.S: the same copies, counts and tables.
 *
 *   void loop(struct ctxp_loop_pair *p, int64_t ops);   ops round trips main -> fiber -> main
 *   void body(void *p);                                 the fiber: counts a resume, switches back
 *
 * Why in assembly: where a ~5 ns loop lands in the code decides what it measures (see
 * loop_placement.h). Each loop and its fiber body are emitted CTXP_PLACEMENTS times; copy i has its
 * loop top — the branch target every iteration comes back to — at a 64-byte boundary plus
 * i * CTXP_PLACEMENT_STEP bytes, in its own cache lines. The switch itself is the one
 * ctxprobe_fiber_jump / ctxprobe_fiber_jump_nofpu every other caller uses
 * (switch_arm64_aapcs_elf_gas.S, switch_nofpu_arm64_aapcs_elf_gas.S).
 *
 * Per round trip (one iteration):
 *
 *   main loop copy i                         fiber body copy i
 *   -----------------------------------      -------------------------------------
 *   top: x0 = &p->main_sp                    top: p->runs++          (one resume)
 *        x1 = p->fiber_sp                         x0 = &p->fiber_sp
 *        bl jump    --------- switch ------>      x1 = p->main_sp
 *        (resumed here) <---- switch --------     bl jump
 *        if (--ops) goto top                      goto top
 *
 * The main loop's frame (addresses relative to SP after the prologue; 32 bytes, SP stays 16-byte
 * aligned as AAPCS64 requires):
 *
 *   ---------------------------------
 *   |  0x0  |  0x8  |  0x10 |  0x18 |
 *   ---------------------------------
 *   |  FP   |  LR   |  x19  |  x20  |
 *   ---------------------------------
 *     FP = x29 and LR = x30: the frame record (x29 points at it); x19, x20: the caller's, restored
 *     before the return.
 *
 * Tables (hidden, read by loop_placement.c through fiber.c): ctxp_switch_loops_fpu and
 * ctxp_switch_loops_nofpu, CTXP_PLACEMENTS entries of { loop, body, loop top }.
 */
#include "loop_placement.h"

.file "switch_loop_arm64_aapcs_elf_gas.S"
.text

/* The main side, copy \i, calling switch \jump. x19 and x20 are callee-saved, so the switch (and
 * the fiber in between) hands them back unchanged: they carry the pair and the count. */
.macro SWITCH_LOOP kind, jump, i
    .p2align 6, CTXP_CODE_FILL
    .type ctxp_switch_loop_\kind\()_\i,%function
ctxp_switch_loop_\kind\()_\i:
    .cfi_startproc
    stp   x29, x30, [sp, #-0x20]!    /* reserve the frame; save FP and LR (the frame record) */
    .cfi_def_cfa_offset 0x20
    .cfi_offset x29, -0x20
    .cfi_offset x30, -0x18
    mov   x29, sp                    /* FP = this frame's record                            */
    stp   x19, x20, [sp, #0x10]      /* save the caller's x19, x20                          */
    .cfi_offset x19, -0x10
    .cfi_offset x20, -0x08
    mov   x19, x0                    /* x19 = the pair                                      */
    mov   x20, x1                    /* x20 = round trips left                              */
    cmp   x20, #0
    b.le  .Lswitch_done_\kind\()_\i
    b     .Lswitch_top_\kind\()_\i   /* over the padding: it is never executed              */
    CTXP_PLACE (\i * CTXP_PLACEMENT_STEP)
.Lswitch_top_\kind\()_\i:
    add   x0, x19, #CTXP_PAIR_MAIN_SP    /* save_sp = &p->main_sp                           */
    ldr   x1, [x19, #CTXP_PAIR_FIBER_SP] /* to_sp = p->fiber_sp                             */
    bl    \jump                      /* main -> fiber; back here when the fiber switches back */
    subs  x20, x20, #1
    b.ne  .Lswitch_top_\kind\()_\i
.Lswitch_done_\kind\()_\i:
    ldp   x19, x20, [sp, #0x10]      /* restore the caller's x19, x20                       */
    ldp   x29, x30, [sp], #0x20      /* restore FP and LR; drop the frame                   */
    .cfi_restore x19
    .cfi_restore x20
    .cfi_restore x29
    .cfi_restore x30
    .cfi_def_cfa_offset 0
    ret
    .cfi_endproc
    .size ctxp_switch_loop_\kind\()_\i,.-ctxp_switch_loop_\kind\()_\i
.endm

/* The fiber side, copy \i: entered once through ctxprobe_fiber_entry with x0 = the pair, then
 * resumed once per round trip. Never returns, so nothing of its caller's needs keeping: no frame,
 * and LR (overwritten by the first bl) is undefined for unwinders, which stop here. SP is 16-byte
 * aligned on entry (ctxprobe_fiber_make) and stays so. */
.macro SWITCH_BODY kind, jump, i
    .p2align 6, CTXP_CODE_FILL
    .type ctxp_switch_body_\kind\()_\i,%function
ctxp_switch_body_\kind\()_\i:
    .cfi_startproc
    .cfi_undefined x30
    mov   x19, x0                    /* x19 = the pair (kept across the switch)             */
    b     .Lbody_top_\kind\()_\i     /* over the padding                                    */
    CTXP_PLACE (\i * CTXP_PLACEMENT_STEP)
.Lbody_top_\kind\()_\i:
    ldr   x9, [x19, #CTXP_PAIR_RUNS] /* x9: caller-saved scratch                            */
    add   x9, x9, #1
    str   x9, [x19, #CTXP_PAIR_RUNS] /* one more resume: proof this copy ran the switch     */
    add   x0, x19, #CTXP_PAIR_FIBER_SP   /* save_sp = &p->fiber_sp                          */
    ldr   x1, [x19, #CTXP_PAIR_MAIN_SP]  /* to_sp = p->main_sp                              */
    bl    \jump                      /* fiber -> main; back here on the next round trip     */
    b     .Lbody_top_\kind\()_\i
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
    .type ctxp_switch_loops_\kind,%object
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

.section .data.rel.ro,"aw",%progbits
SWITCH_TABLE fpu
SWITCH_TABLE nofpu

/* Mark that we don't need an executable stack. */
.section .note.GNU-stack,"",%progbits
