/*
 * cpu_relax.h — internal: the spin-wait hint between two looks at a shared word, per architecture
 * (x86-64 `pause`, AArch64 `yield`, as the kernel's cpu_relax()). It tells the core a spin loop is
 * running (frees resources for the sibling hyperthread, avoids a memory-order mis-speculation on
 * exit); it is not a scheduler yield.
 */
#ifndef CTXPROBE_CPU_RELAX_H
#define CTXPROBE_CPU_RELAX_H

static inline void ctxp_cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ volatile("yield" : : : "memory");
#else
    __asm__ volatile("" : : : "memory");
#endif
}

#endif /* CTXPROBE_CPU_RELAX_H */
