/*
 * fiber_regs_arm64.c — the AArch64 register check of the hand-written switch
 * (switch_arm64_aapcs_elf_gas.S): both sides fill every AAPCS64 callee-saved register (x19-x29,
 * d8-d15) and FPCR with known values, different per side and per switch, and check them each time
 * they are resumed, across 10 000 switches. Built only for AArch64 (the Makefile drops *_arm64.c
 * elsewhere); test_fiber.c calls check_switch_preserves() on either architecture.
 */
#include <stdint.h>
#include <string.h>

#include "fiber_switch.h"
#include "test.h"

enum { NREGS = 20, FPCR_SLOT = 19, SWITCHES = 10000 };

void regs_fill_jump_read(ctxp_jump_fn jump, void **save_sp, void *to_sp, const uint64_t in[NREGS],
                         uint64_t out[NREGS]);

/* FPCR mode bits that every ARMv8 implementation (and qemu) keeps: RMode (23:22), FZ (24), DN (25). */
#define FPCR_RMODE_PLUS_INF  (1u << 22)
#define FPCR_RMODE_MINUS_INF (2u << 22)
#define FPCR_FZ              (1u << 24)
#define FPCR_DN              (1u << 25)
#define FPCR_MODES           (FPCR_RMODE_PLUS_INF | FPCR_RMODE_MINUS_INF | FPCR_FZ | FPCR_DN)

static const char *const reg_name[NREGS] = {
    "x19", "x20", "x21", "x22", "x23", "x24", "x25", "x26", "x27", "x28", "x29",
    "d8", "d9", "d10", "d11", "d12", "d13", "d14", "d15", "fpcr",
};

static uint64_t read_fpcr(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, fpcr" : "=r"(v));
    return v;
}

/* Known values for one side and one switch: distinct per register, side and round. */
static void fill(uint64_t in[NREGS], uint64_t side, uint64_t round, uint64_t fpcr)
{
    for (int i = 0; i < FPCR_SLOT; i++)
        in[i] = (side << 56) ^ ((uint64_t)(i + 1) << 40) ^ (round * 0x9e3779b97f4a7c15ull);
    in[FPCR_SLOT] = fpcr;
}

/* First differing slot (FPCR compared on its mode bits only, when check_fpcr), or -1. */
static int first_difference(const uint64_t in[NREGS], const uint64_t out[NREGS], int check_fpcr)
{
    for (int i = 0; i < FPCR_SLOT; i++)
        if (in[i] != out[i])
            return i;
    if (check_fpcr && (in[FPCR_SLOT] & FPCR_MODES) != (out[FPCR_SLOT] & FPCR_MODES))
        return FPCR_SLOT;
    return -1;
}

struct regfib {
    void *main_sp, *fib_sp;
    ctxp_jump_fn jump;
    int saves_fpu;
    uint64_t fiber_fpcr;
    long fiber_bad;          /* resumes of the fiber that found a register changed */
    int fiber_first_bad;     /* the first such register */
    long fiber_resumes;
};

static void reg_fiber(void *arg)
{
    struct regfib *r = arg;
    uint64_t in[NREGS], out[NREGS];
    for (uint64_t round = 0;; round++) {
        fill(in, 0xf1, round, r->fiber_fpcr);
        regs_fill_jump_read(r->jump, &r->fib_sp, r->main_sp, in, out);
        r->fiber_resumes++;
        int d = first_difference(in, out, r->saves_fpu);
        if (d >= 0 && r->fiber_bad++ == 0)
            r->fiber_first_bad = d;
    }
}

void check_switch_preserves(const char *name, ctxp_jump_fn jump, int saves_fpu)
{
    struct ctxp_stack st;
    CHECK(ctxp_stack_alloc(&st, 64 * 1024) == 0);
    uint64_t fpcr0 = read_fpcr();
    uint64_t main_fpcr = (fpcr0 & ~(uint64_t)FPCR_MODES) | FPCR_RMODE_PLUS_INF | FPCR_DN;
    struct regfib r = { .jump = jump, .saves_fpu = saves_fpu,
                        .fiber_fpcr = (fpcr0 & ~(uint64_t)FPCR_MODES) | FPCR_RMODE_MINUS_INF | FPCR_FZ };
    r.fib_sp = ctxprobe_fiber_make(st.hi, reg_fiber, &r);
    CHECK(((uintptr_t)r.fib_sp & 15) == 0, "%s: first frame not 16-byte aligned", name);

    long main_bad = 0, fpcr_leaks = 0;
    int main_first_bad = -1;
    uint64_t in[NREGS], out[NREGS];
    for (uint64_t round = 0; round < SWITCHES / 2; round++) {   /* 2 switches per round trip */
        fill(in, 0x3a, round, main_fpcr);
        regs_fill_jump_read(jump, &r.main_sp, r.fib_sp, in, out);
        int d = first_difference(in, out, saves_fpu);
        if (d >= 0 && main_bad++ == 0)
            main_first_bad = d;
        /* Without FPCR in the frame the fiber's mode bits reach main (what the variant gives up). */
        fpcr_leaks += (out[FPCR_SLOT] & FPCR_MODES) == (r.fiber_fpcr & FPCR_MODES);
    }
    CHECK(read_fpcr() == fpcr0, "%s: the probe did not restore FPCR", name);
    CHECK(main_bad == 0, "%s: %ld of %d resumes of main changed a register (first: %s)", name, main_bad,
          SWITCHES / 2, main_first_bad >= 0 ? reg_name[main_first_bad] : "-");
    CHECK(r.fiber_resumes == SWITCHES / 2 - 1, "%s: fiber resumed %ld times", name, r.fiber_resumes);
    CHECK(r.fiber_bad == 0, "%s: %ld resumes of the fiber changed a register (first: %s)", name, r.fiber_bad,
          r.fiber_bad ? reg_name[r.fiber_first_bad] : "-");
    if (saves_fpu)
        CHECK(fpcr_leaks == 0, "%s: the fiber's FPCR reached main %ld times", name, fpcr_leaks);
    else   /* documents what the no-FPU variant gives up */
        CHECK(fpcr_leaks == SWITCHES / 2, "%s: the fiber's FPCR reached main only %ld times", name, fpcr_leaks);
    printf("fiber %s: x19-x29, d8-d15%s checked on both sides across %d switches\n", name,
           saves_fpu ? ", FPCR" : " (FPCR not kept: by design)", SWITCHES);
    ctxp_stack_free(&st);
}
