/* test_fiber.c — fiber.c, fiber_stack.c, the hand-written switch (switch_*.S, make_*.S) and the
 * placed loops (switch_loop_*.S, create_loop_*.S, loop_placement.c). */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#if defined(__x86_64__)
#include <xmmintrin.h>
#endif

#include "ctxprobe.h"
#include "fiber_switch.h"
#include "test.h"

double test_asm_ns_per_switch;

static void test_fiber_placed(void);

void regs_across_jump(ctxp_jump_fn jump, void **save_sp, void *to_sp, uint64_t out[6]);
void clobber_and_jump(ctxp_jump_fn jump, void **save_sp, void *to_sp);

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int64_t median(int64_t *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_i64);
    return v[n / 2];
}

#if defined(__x86_64__)
static uint16_t x87_cw(void)
{
    uint16_t cw;
    __asm__ volatile("fnstcw %0" : "=m"(cw) : : "memory");
    return cw;
}

static void set_x87_cw(uint16_t cw)
{
    __asm__ volatile("fldcw %0" : : "m"(cw) : "memory");
}

/* ---- a fiber that clobbers every callee-saved register (and optionally the FPU control) ---- */

struct regfib {
    void *main_sp, *fib_sp;
    ctxp_jump_fn jump;
    int change_fpu;
};

#define MXCSR_RC_MASK 0x6000u  /* MXCSR rounding control */
#define X87_RC_MASK   0x0C00u  /* x87 CW rounding control */

static void reg_fiber(void *arg)
{
    struct regfib *r = arg;
    for (;;) {
        if (r->change_fpu) {              /* round toward zero, in both units */
            _mm_setcsr(_mm_getcsr() | MXCSR_RC_MASK);
            set_x87_cw(x87_cw() | X87_RC_MASK);
        }
        clobber_and_jump(r->jump, &r->fib_sp, r->main_sp);
    }
}

static void check_switch_preserves(const char *name, ctxp_jump_fn jump, int saves_fpu)
{
    struct ctxp_stack st;
    CHECK(ctxp_stack_alloc(&st, 64 * 1024) == 0);
    struct regfib r = { .jump = jump };
    r.fib_sp = ctxprobe_fiber_make(st.hi, reg_fiber, &r);
    CHECK(((uintptr_t)r.fib_sp & 15) == 0, "%s: first frame not 16-byte aligned", name);

    for (int round = 0; round < 2; round++) {  /* first entry (trampoline), then a resume */
        uint64_t out[6] = {0};
        regs_across_jump(jump, &r.main_sp, r.fib_sp, out);
        static const uint64_t want[6] = { 0x1111111111111111, 0x2222222222222222,
                                          0x3333333333333333, 0x4444444444444444,
                                          0x5555555555555555, 0x6666666666666666 };
        static const char *reg[6] = { "rbx", "rbp", "r12", "r13", "r14", "r15" };
        for (int i = 0; i < 6; i++)
            CHECK(out[i] == want[i], "%s round %d: %s = %#llx", name, round, reg[i],
                  (unsigned long long)out[i]);
    }

    /* The fiber switches its rounding mode; main's must survive only with the FPU variant. */
    unsigned mx0 = _mm_getcsr();
    uint16_t cw0 = x87_cw();
    uint64_t out[6];
    r.change_fpu = 1;
    regs_across_jump(jump, &r.main_sp, r.fib_sp, out);
    unsigned mx1 = _mm_getcsr();
    uint16_t cw1 = x87_cw();
    _mm_setcsr(mx0);
    set_x87_cw(cw0);
    if (saves_fpu) {
        CHECK(mx1 == mx0, "%s: MXCSR %#x -> %#x across a switch", name, mx0, mx1);
        CHECK(cw1 == cw0, "%s: x87 CW %#x -> %#x across a switch", name, cw0, cw1);
    } else {  /* documents what the no-FPU variant gives up */
        CHECK((mx1 & MXCSR_RC_MASK) == MXCSR_RC_MASK, "%s: fiber's MXCSR did not leak", name);
        CHECK((cw1 & X87_RC_MASK) == X87_RC_MASK, "%s: fiber's x87 CW did not leak", name);
    }
    ctxp_stack_free(&st);
}
#else
/* fiber_regs_arm64.c: x19-x29, d8-d15 and FPCR across 10 000 switches. */
void check_switch_preserves(const char *name, ctxp_jump_fn jump, int saves_fpu);
#endif

/* ---- guard page: overflowing a fiber stack must fault, in a child process ---- */

static volatile int recurse_limit = 1 << 30;   /* far beyond 16 KiB of 512-byte frames */

static __attribute__((noinline)) int recurse(int depth)
{
    volatile char pad[512];
    pad[0] = (char)depth;
    if (depth >= recurse_limit)
        return 0;
    int r = recurse(depth + 1);
    __asm__ volatile("" : : : "memory");
    return r + pad[0];
}

static void overflow_fiber(void *arg)
{
    (void)arg;
    recurse(0);
    for (;;)
        ;
}

/* Runs fn in a child; returns the signal that killed it (0 if it exited). */
static int child_signal(void (*fn)(void))
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        fn();
        _exit(0);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        return -1;
    return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

static void child_write_below_stack(void)
{
    struct ctxp_stack st;
    if (ctxp_stack_alloc(&st, 16 * 1024) != 0)
        _exit(2);
    volatile char *lo = st.lo;
    lo[0] = 1;        /* the usable range is writable */
    lo[-1] = 1;       /* the guard page is not */
}

static void child_overflow_fiber(void)
{
    struct ctxp_stack st;
    void *main_sp;
    if (ctxp_stack_alloc(&st, 16 * 1024) != 0)
        _exit(2);
    ctxprobe_fiber_jump(&main_sp, ctxprobe_fiber_make(st.hi, overflow_fiber, NULL));
}

/* ---- the batch runs ---- */

static void check_run(int32_t kind, const char *name)
{
    enum { B = 9 };
    const int64_t ops = kind == CTXPROBE_FIBER_UCONTEXT ? 2000 : 20000;
    int64_t wall[B], cpu[B];
    memset(wall, 0, sizeof wall);
    memset(cpu, 0, sizeof cpu);
    CHECK(ctxprobe_fiber_switch_run(kind, 2, B, ops, wall, cpu) == 0, "%s", name);
    int ok = 1;
    for (int i = 0; i < B; i++)
        ok &= wall[i] > 0 && cpu[i] > 0;
    CHECK(ok, "%s: a sample <= 0", name);
    CHECK(ctxprobe_fiber_switch_run(kind, 0, 2, 10, wall, NULL) == 0, "%s without cpu_ns", name);
    double per = (double)median(wall, B) / (double)(ops * 2);
    printf("fiber.switch %-8s %8.1f ns/switch (median of %d batches x %lld round trips)\n", name,
           per, B, (long long)ops);
    if (kind == CTXPROBE_FIBER_ASM)
        test_asm_ns_per_switch = per;
}

void test_fiber(void)
{
    check_switch_preserves("asm", ctxprobe_fiber_jump, 1);
    check_switch_preserves("asm-nofpu", ctxprobe_fiber_jump_nofpu, 0);

    CHECK(child_signal(child_write_below_stack) == SIGSEGV, "write to the guard page did not fault");
    CHECK(child_signal(child_overflow_fiber) == SIGSEGV, "fiber stack overflow did not fault");

    check_run(CTXPROBE_FIBER_ASM, "asm");      /* once first: malloc and friends settle */
    int before = test_maps_lines();
    check_run(CTXPROBE_FIBER_ASM, "asm");
    check_run(CTXPROBE_FIBER_ASM_NOFPU, "nofpu");
    check_run(CTXPROBE_FIBER_UCONTEXT, "ucontext");
    int after = test_maps_lines();
    CHECK(before > 0 && after == before, "/proc/self/maps lines %d -> %d: a stack leaked", before,
          after);

    int64_t w[2];
    CHECK(ctxprobe_fiber_switch_run(0, 0, 2, 10, w, NULL) == -EINVAL);
    CHECK(ctxprobe_fiber_switch_run(4, 0, 2, 10, w, NULL) == -EINVAL);
    CHECK(ctxprobe_fiber_switch_run(CTXPROBE_FIBER_ASM, -1, 2, 10, w, NULL) == -EINVAL);
    CHECK(ctxprobe_fiber_switch_run(CTXPROBE_FIBER_ASM, 0, 0, 10, w, NULL) == -EINVAL);
    CHECK(ctxprobe_fiber_switch_run(CTXPROBE_FIBER_ASM, 0, 2, 0, w, NULL) == -EINVAL);
    CHECK(ctxprobe_fiber_switch_run(CTXPROBE_FIBER_ASM, 0, 2, 10, NULL, NULL) == -EINVAL);

    test_fiber_placed();
}

/* ---- the placed loops (loop_placement.h): every copy placed where it says, every copy ran ---- */

static void check_placed_switch(int32_t kind, const char *name)
{
    enum { B = 5, P = CTXPROBE_LOOP_PLACEMENTS };
    const int64_t ops = 20000;
    int64_t wall[P * B], cpu[P * B], switches[P];
    memset(wall, 0, sizeof wall);
    memset(switches, 0, sizeof switches);
    CHECK(ctxprobe_fiber_switch_placed_run(kind, 1, B, ops, wall, cpu, switches) == 0, "%s", name);
    printf("fiber.switch %-8s placed:", name);
    for (int i = 0; i < P; i++) {
        CHECK(ctxprobe_fiber_loop_top_offset(kind, i) == i * CTXPROBE_LOOP_PLACEMENT_STEP,
              "%s copy %d: loop top at +%d", name, i, ctxprobe_fiber_loop_top_offset(kind, i));
        CHECK(switches[i] == 2 * ops * B, "%s copy %d: %lld switches, not %lld", name, i,
              (long long)switches[i], (long long)(2 * ops * B));
        int ok = 1;
        for (int b = 0; b < B; b++)
            ok &= wall[i * B + b] > 0 && cpu[i * B + b] > 0;
        CHECK(ok, "%s copy %d: a sample <= 0", name, i);
        printf(" +%d %.1f", i * CTXPROBE_LOOP_PLACEMENT_STEP,
               (double)median(wall + i * B, B) / (double)(ops * 2));
    }
    printf(" ns/switch\n");
    CHECK(ctxprobe_fiber_switch_placed_run(kind, 0, 1, 10, wall, NULL, NULL) == 0, "%s, no cpu/switches", name);
}

static void check_placed_create(void)
{
    enum { B = 5, P = CTXPROBE_LOOP_PLACEMENTS };
    const int64_t ops = 2000;
    int64_t wall[P * B], created[P];
    memset(created, 0, sizeof created);
    CHECK(ctxprobe_fiber_create_placed_run(1, B, ops, wall, NULL, created) == 0);
    for (int i = 0; i < P; i++)
        CHECK(created[i] == ops * B, "create copy %d: %lld fibers ran, not %lld", i,
              (long long)created[i], (long long)(ops * B));
    CHECK(ctxprobe_fiber_create_placed_run(0, 0, ops, wall, NULL, NULL) == -EINVAL);
}

static void test_fiber_placed(void)
{
    check_placed_switch(CTXPROBE_FIBER_ASM, "asm");        /* once first: malloc and friends settle */
    int before = test_maps_lines();
    check_placed_switch(CTXPROBE_FIBER_ASM, "asm");
    check_placed_switch(CTXPROBE_FIBER_ASM_NOFPU, "nofpu");
    check_placed_create();
    int after = test_maps_lines();
    CHECK(before > 0 && after == before, "/proc/self/maps lines %d -> %d: a stack leaked", before, after);

    int64_t w[CTXPROBE_LOOP_PLACEMENTS];
    CHECK(ctxprobe_fiber_switch_placed_run(CTXPROBE_FIBER_UCONTEXT, 0, 1, 10, w, NULL, NULL) == -EINVAL);
    CHECK(ctxprobe_fiber_switch_placed_run(CTXPROBE_FIBER_ASM, 0, 0, 10, w, NULL, NULL) == -EINVAL);
    CHECK(ctxprobe_fiber_switch_placed_run(CTXPROBE_FIBER_ASM, 0, 1, 10, NULL, NULL, NULL) == -EINVAL);
    CHECK(ctxprobe_fiber_loop_top_offset(CTXPROBE_FIBER_UCONTEXT, 0) == -EINVAL);
    CHECK(ctxprobe_fiber_loop_top_offset(CTXPROBE_FIBER_ASM, CTXPROBE_LOOP_PLACEMENTS) == -EINVAL);
    CHECK(ctxprobe_fiber_loop_top_offset(CTXPROBE_FIBER_ASM, -1) == -EINVAL);
}
