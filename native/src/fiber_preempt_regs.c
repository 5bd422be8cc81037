/*
 * fiber_preempt_regs.c — fiber.preempt's register-file check: does a fiber preempted by the timer
 * signal get back *everything* it had? Two fibers on the signal-driven scheduler of
 * preempt_sched.c each fill every register with their own pattern (ctxp_regs_window, x86-64
 * assembly), block their own extra signal, spin, then compare what they find with what they put.
 * The handler counts the preemptions that landed inside a fiber's spin (its RIP in the window);
 * they count once that window has been compared, and the run lasts until each fiber had
 * `preemptions` of them. The negative control (`corrupt`)
 * alters one register in fiber A's saved signal frame, through the very path sigreturn restores
 * from, and must be caught.
 */
#include "sched_gate.h"

#include <stdlib.h>
#include <string.h>

#include "ctxprobe/sched.h"
#include "preempt_sched.h"

#if defined(__x86_64__)

#include <ucontext.h>

#include "preempt_regs.h"

#define RG_WINDOW_ITERS 100000
/* Compared RFLAGS bits: CF PF AF ZF SF DF OF. */
#define RG_FLAGS_MASK   0xCD5ULL
/* Compared x87 control word bits: exception masks, precision and rounding control. */
#define RG_FCW_MASK     0x0F3FU

struct rg_run {
    struct rg_image pattern[PS_FIBERS];
    sigset_t mask[PS_FIBERS];
    int extra_signal[PS_FIBERS];
    int avx;
    int32_t corrupt;
    int corrupted;
    int64_t target, deadline_ns;
    int64_t pending[PS_FIBERS];     /* preemptions inside the window now running (the handler's) */
    int64_t verified[PS_FIBERS];    /* preemptions inside windows that were then compared */
    int64_t windows[PS_FIBERS];
    int     control_checked;        /* a window of A completed after the control altered it */
    int64_t mismatches, first_bad;
    int timed_out;
};

/* A's and B's patterns differ in every register, so a value leaking from one to the other shows. */
static void rg_fill(struct rg_image *p, int me)
{
    memset(p, 0, sizeof *p);
    for (int i = 0; i < RG_GPRS; i++)
        p->gpr[i] = (me ? 0x5B5B000000000000ULL : 0xA4A4000000000000ULL) | (uint64_t)(i + 1) * 0x0101010101ULL;
    /* A: CF ZF DF OF; B: PF AF SF (bit 1 and IF always read 1). */
    p->rflags = 0x202 | (me ? 0x04 | 0x10 | 0x80 : 0x01 | 0x40 | 0x400 | 0x800);
    p->mxcsr = me ? 0x3F80 : 0xFF80;        /* B: round down; A: toward zero + flush-to-zero */
    p->fcw = me ? 0x067F : 0x0F7F;          /* B: 53-bit, round down; A: 64-bit, toward zero */
    for (int v = 0; v < RG_VECS; v++)
        for (int b = 0; b < 32; b++)
            p->vec[v][b] = (uint8_t)((me ? 0x80 : 0x10) + v * 3 + b);
}

/* -1 when seen matches the pattern, else the CTXPROBE_REGS_* index of the first difference. */
static int rg_compare(const struct rg_image *p, const struct rg_image *seen, int avx)
{
    for (int i = 0; i < RG_GPRS; i++)
        if (seen->gpr[i] != (i == RG_RCX ? 0 : p->gpr[i]))
            return i;
    if ((seen->rflags ^ p->rflags) & RG_FLAGS_MASK)
        return CTXPROBE_REGS_RFLAGS;
    if (seen->mxcsr != p->mxcsr)
        return CTXPROBE_REGS_MXCSR;
    if ((seen->fcw ^ p->fcw) & RG_FCW_MASK)
        return CTXPROBE_REGS_X87CW;
    for (int v = 0; v < RG_VECS; v++)
        if (memcmp(seen->vec[v], p->vec[v], avx ? 32 : 16) != 0)
            return CTXPROBE_REGS_VEC + v;
    return -1;
}

static int rg_same_mask(const sigset_t *a, const sigset_t *b)
{
    for (int sig = 1; sig <= SIGRTMAX; sig++)
        if (sigismember(a, sig) != sigismember(b, sig))
            return 0;
    return 1;
}

/* The negative control: alter one register in the interrupted fiber's saved frame. */
static void rg_corrupt(ucontext_t *u, int32_t which)
{
    static const int greg[RG_GPRS] = { REG_RAX, REG_RBX, REG_RCX, REG_RDX, REG_RSI, REG_RDI, REG_RBP,
                                       REG_R8, REG_R9, REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15 };
    if (which >= 0 && which < RG_GPRS && which != RG_RCX)
        u->uc_mcontext.gregs[greg[which]] ^= 0x10;
    else if (which == CTXPROBE_REGS_RFLAGS)
        u->uc_mcontext.gregs[REG_EFL] ^= 0x1;          /* CF */
    else if (which == CTXPROBE_REGS_MXCSR && u->uc_mcontext.fpregs)
        u->uc_mcontext.fpregs->mxcsr ^= 0x2000;        /* a rounding-control bit */
    else if (which == CTXPROBE_REGS_X87CW && u->uc_mcontext.fpregs)
        u->uc_mcontext.fpregs->cwd ^= 0x0400;          /* a rounding-control bit */
    else if (which == CTXPROBE_REGS_SIGMASK)
        sigaddset(&u->uc_sigmask, SIGTTOU);
    else if (which >= CTXPROBE_REGS_VEC && which < CTXPROBE_REGS_VEC + RG_VECS && u->uc_mcontext.fpregs)
        u->uc_mcontext.fpregs->_xmm[which - CTXPROBE_REGS_VEC].element[0] ^= 0x1;
}

static void rg_on_preempt(struct ps_sched *s, int index, void *uc, void *arg)
{
    struct rg_run *r = arg;
    ucontext_t *u = uc;
    uintptr_t rip = (uintptr_t)u->uc_mcontext.gregs[REG_RIP];
    if (rip < (uintptr_t)ctxp_regs_spin_begin || rip >= (uintptr_t)ctxp_regs_spin_end)
        return;
    (void)s;
    r->pending[index]++;
    if (index == 0 && r->corrupt >= 0 && !r->corrupted) {
        rg_corrupt(u, r->corrupt);
        r->corrupted = 1;
    }
}

/* After a compared window: its preemptions count, and the run stops once both fibers have their
 * target of compared ones (a window abandoned at the stop never counts). The handler touches
 * `pending` only while the fiber is inside the spin, never here. */
static void rg_account(struct ps_sched *s, struct rg_run *r, int me)
{
    r->verified[me] += r->pending[me];
    r->pending[me] = 0;
    if (me == 0 && r->corrupted)
        r->control_checked = 1;
    if (r->verified[0] >= r->target && r->verified[1] >= r->target && (r->corrupt < 0 || r->control_checked))
        s->stop = 1;
}

static void rg_body(struct ps_sched *s, int me, void *arg)
{
    struct rg_run *r = arg;
    pthread_sigmask(SIG_SETMASK, NULL, &r->mask[me]);   /* the timer signal unblocked (ps_entry) */
    sigaddset(&r->mask[me], r->extra_signal[me]);
    pthread_sigmask(SIG_SETMASK, &r->mask[me], NULL);
    struct rg_image seen;
    while (!s->stop) {
        ctxp_regs_window(&r->pattern[me], RG_WINDOW_ITERS, &seen, r->avx);
        r->windows[me]++;
        int bad = rg_compare(&r->pattern[me], &seen, r->avx);
        if (bad < 0) {
            sigset_t now;
            pthread_sigmask(SIG_SETMASK, NULL, &now);
            if (!rg_same_mask(&now, &r->mask[me]))
                bad = CTXPROBE_REGS_SIGMASK;
        }
        if (bad >= 0 && r->mismatches++ == 0)
            r->first_bad = bad;
        rg_account(s, r, me);
        if (bad >= 0 && r->corrupt < 0)
            break;                         /* a real difference: no point going on */
        if (bad >= 0)                      /* the control was caught: restore and go on */
            pthread_sigmask(SIG_SETMASK, &r->mask[me], NULL);
        if (sg_now_ns() > r->deadline_ns) {
            r->timed_out = 1;
            break;
        }
    }
}

int32_t ctxprobe_sched_fiber_regs_run(int64_t interval_ns, int64_t preemptions, int64_t timeout_ns,
                                      int32_t corrupt, int64_t *out)
{
    if (interval_ns < CTXPROBE_PREEMPT_MIN_SLICE_NS || preemptions <= 0 || timeout_ns <= 0
        || timeout_ns > CTXPROBE_PREEMPT_MAX_NS * 12 || corrupt < -1
        || corrupt >= CTXPROBE_REGS_VEC + RG_VECS || !out)
        return -EINVAL;
    struct rg_run *r = calloc(1, sizeof *r);   /* large: off the (Java) thread's stack */
    if (!r)
        return -ENOMEM;
    __builtin_cpu_init();
    r->avx = __builtin_cpu_supports("avx") != 0;
    r->corrupt = corrupt;
    r->first_bad = -1;
    r->target = preemptions;
    r->extra_signal[0] = SIGURG;
    r->extra_signal[1] = SIGWINCH;
    for (int i = 0; i < PS_FIBERS; i++)
        rg_fill(&r->pattern[i], i);
    struct ps_sched s;
    int rc = ps_init(&s, rg_body, rg_on_preempt, r);
    if (!rc) {
        r->deadline_ns = sg_now_ns() + timeout_ns;
        rc = ps_run(&s, interval_ns);
        ps_destroy(&s);
    }
    if (!rc) {
        out[CTXPROBE_REGS_OUT_PREEMPTED_A] = s.f[0].preempted;
        out[CTXPROBE_REGS_OUT_PREEMPTED_B] = s.f[1].preempted;
        out[CTXPROBE_REGS_OUT_IN_WINDOW_A] = r->verified[0];
        out[CTXPROBE_REGS_OUT_IN_WINDOW_B] = r->verified[1];
        out[CTXPROBE_REGS_OUT_WINDOWS_A] = r->windows[0];
        out[CTXPROBE_REGS_OUT_WINDOWS_B] = r->windows[1];
        out[CTXPROBE_REGS_OUT_MISMATCHES] = r->mismatches;
        out[CTXPROBE_REGS_OUT_FIRST_BAD] = r->first_bad;
        out[CTXPROBE_REGS_OUT_TIMED_OUT] = r->timed_out;
        out[CTXPROBE_REGS_OUT_AVX] = r->avx;
        out[CTXPROBE_REGS_OUT_SIGNALS] = s.signals;
    }
    free(r);
    return rc;
}

#else /* !__x86_64__ */

int32_t ctxprobe_sched_fiber_regs_run(int64_t interval_ns, int64_t preemptions, int64_t timeout_ns,
                                      int32_t corrupt, int64_t *out)
{
    (void)interval_ns;
    (void)preemptions;
    (void)timeout_ns;
    (void)corrupt;
    (void)out;
    return -ENOSYS;   /* the window is x86-64 assembly; AArch64 has none yet */
}

#endif
