/*
 * switch_nofpu_x86_64_sysv_elf_gas.S — ctxprobe's fiber switch WITHOUT the FPU control state.
 *
 *   void ctxprobe_fiber_jump_nofpu(void **save_sp, void *to_sp);   (see fiber_switch.h)
 *
 * Same code and frame as switch_x86_64_sysv_elf_gas.S (the MXCSR / x87CW slot at 0x0 is reserved
 * but neither written nor read), built with CTXPROBE_SWITCH_FPU = 0.
 *
 * SysV guarantee dropped: the ABI makes the control bits of MXCSR (rounding mode, FTZ/DAZ,
 * exception masks) and the x87 control word callee-saved. With this variant a fiber that changes
 * its rounding mode changes it for whichever fiber runs next on the thread. Boost.Context offers
 * the same trade (BOOST_USE_TSX / no-FPU builds skip stmxcsr/fnstcw).
 */
#define CTXPROBE_SWITCH_FPU 0
#define CTXPROBE_SWITCH_NAME ctxprobe_fiber_jump_nofpu
#include "switch_x86_64_sysv_elf_gas.S"

/* (The included file ends with it too.) Mark that we don't need an executable stack. */
.section .note.GNU-stack,"",%progbits
