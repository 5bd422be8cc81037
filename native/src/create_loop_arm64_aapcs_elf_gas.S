/*
 * create_loop_arm64_aapcs_elf_gas.S — the fiber.create pooled-stack timing loop, placed (AArch64,
 * AAPCS64, ELF, GNU as), in the manner of Boost.Context's .S files. The counterpart of
 * create_loop_x86_64_sysv_elf_gas.S: the same copies, counts and table.
 *
 *   void loop(struct ctxp_loop_pair *p, int64_t ops);   ops fibers created on p->stack_top
 *   void body(void *p);                                 a fiber: counts its run, switches back
 *
 * One op, as fiber_create.c's pooled-stack kind: build a fiber's first frame on the one pooled
 * stack (ctxprobe_fiber_make, make_arm64_aapcs_elf_gas.S), switch into it (ctxprobe_fiber_jump),
 * its body counts itself and switches straight back; the fiber is abandoned there (never resumed:
 * the next op rebuilds the stack's frame). Why in assembly and why copies: see loop_placement.h.
 * Copy i puts the loop top and the body's entry (the branch targets of each op) at a 64-byte
 * boundary plus i * CTXP_PLACEMENT_STEP bytes.
 *
 * The loop's frame (addresses relative to SP after the prologue; 32 bytes, SP stays 16-byte
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
 * Table (hidden, read through fiber_create.c): ctxp_create_loops, CTXP_PLACEMENTS entries of
 * { loop, body, loop top }.
 */
#include "loop_placement.h"

.file "create_loop_arm64_aapcs_elf_gas.S"
.text

/* x19 and x20 are callee-saved, so make and the switch (and the fiber in between) hand them back
 * unchanged: they carry the pair and the count. */
.macro CREATE_LOOP i
    .p2align 6, CTXP_CODE_FILL
    .type ctxp_create_loop_\i,%function
ctxp_create_loop_\i:
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
    mov   x20, x1                    /* x20 = fibers left to create                         */
    cmp   x20, #0
    b.le  .Lcreate_done_\i
    b     .Lcreate_top_\i            /* over the padding: it is never executed              */
    CTXP_PLACE (\i * CTXP_PLACEMENT_STEP)
.Lcreate_top_\i:
    ldr   x0, [x19, #CTXP_PAIR_STACK_TOP] /* stack_top = the pooled stack's                 */
    adr   x1, ctxp_create_body_\i    /* fn = this copy's body                               */
    mov   x2, x19                    /* arg = the pair                                      */
    bl    ctxprobe_fiber_make        /* the fiber's first frame                             */
    str   x0, [x19, #CTXP_PAIR_FIBER_SP] /* p->fiber_sp = it                                */
    mov   x1, x0                     /* to_sp = the new fiber                               */
    add   x0, x19, #CTXP_PAIR_MAIN_SP    /* save_sp = &p->main_sp                           */
    bl    ctxprobe_fiber_jump        /* run it; back here when it switches back             */
    subs  x20, x20, #1
    b.ne  .Lcreate_top_\i
.Lcreate_done_\i:
    ldp   x19, x20, [sp, #0x10]      /* restore the caller's x19, x20                       */
    ldp   x29, x30, [sp], #0x20      /* restore FP and LR; drop the frame                   */
    .cfi_restore x19
    .cfi_restore x20
    .cfi_restore x29
    .cfi_restore x30
    .cfi_def_cfa_offset 0
    ret
    .cfi_endproc
    .size ctxp_create_loop_\i,.-ctxp_create_loop_\i

/* The body, entered through ctxprobe_fiber_entry with x0 = the pair; its entry is placed. It never
 * returns: no frame, and LR (overwritten by the bl) is undefined for unwinders, which stop here. */
    CTXP_PLACE (\i * CTXP_PLACEMENT_STEP)
    .type ctxp_create_body_\i,%function
ctxp_create_body_\i:
    .cfi_startproc
    .cfi_undefined x30
    ldr   x9, [x0, #CTXP_PAIR_RUNS]  /* x9: caller-saved scratch                            */
    add   x9, x9, #1
    str   x9, [x0, #CTXP_PAIR_RUNS]  /* this fiber ran: proof the copy created it           */
    ldr   x1, [x0, #CTXP_PAIR_MAIN_SP]   /* to_sp = p->main_sp                              */
    add   x0, x0, #CTXP_PAIR_FIBER_SP    /* save_sp = &p->fiber_sp                          */
    bl    ctxprobe_fiber_jump        /* back to main, for good                              */
    brk   #0x1                       /* never resumed: resuming an abandoned fiber is a bug */
    .cfi_endproc
    .size ctxp_create_body_\i,.-ctxp_create_body_\i
.endm

.irp i, CTXP_PLACEMENT_LIST
    CREATE_LOOP \i
.endr

/* The table: { loop, body, loop top } per copy (addresses: relocated at load, then read-only). */
.section .data.rel.ro,"aw",%progbits
    .globl ctxp_create_loops
    .hidden ctxp_create_loops
    .type ctxp_create_loops,%object
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
