/*
 * switch_nofpu_arm64_aapcs_elf_gas.S — ctxprobe's fiber switch WITHOUT the FPU control state
 * (AArch64, AAPCS64).
 *
 *   void ctxprobe_fiber_jump_nofpu(void **save_sp, void *to_sp);   (see fiber_switch.h)
 *
 * Same code and frame as switch_arm64_aapcs_elf_gas.S (the FPCR slot at 0xa0 is reserved but
 * neither written nor read), built with CTXPROBE_SWITCH_FPU = 0. The counterpart of the x86-64
 * no-FPU variant, which drops MXCSR and the x87 control word: here FPCR is dropped. d8-d15 stay
 * saved — they are ordinary callee-saved registers that compiled code keeps values in, not
 * control state.
 *
 * AAPCS64 guarantee dropped: FPCR's mode bits (rounding mode, flush-to-zero, default-NaN, trap
 * enables) are preserved across calls. With this variant a fiber that changes its rounding mode
 * changes it for whichever fiber runs next on the thread.
 */
#define CTXPROBE_SWITCH_FPU 0
#define CTXPROBE_SWITCH_NAME ctxprobe_fiber_jump_nofpu
#include "switch_arm64_aapcs_elf_gas.S"

/* (The included file ends with it too.) Mark that we don't need an executable stack. */
.section .note.GNU-stack,"",%progbits
