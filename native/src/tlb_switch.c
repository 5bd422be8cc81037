/*
 * tlb_switch.c — tlb.switch: what one event costs the TLB afterwards. A working set of W lines
 * (one per page, or packed) is warmed; then, per pass, one event runs untimed and ONE pass over the
 * W lines is timed with CLOCK_MONOTONIC (vDSO: no kernel entry) read just around the pass.
 * Events: nothing; a raw null system call; a hand-written fiber switch there and back; swapcontext
 * there and back; a futex round trip to a partner thread or forked child on the same CPU.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#include "ctxprobe.h"
#include "batch.h"
#include "fiber_switch.h"
#include "tlb_chase.h"

#define FIBER_STACK (64 * 1024)

/* ---- the round-trip partner: one futex word, 1 = the partner's turn, 0 = ours, 2 = stop ---- */

struct partner {
    _Alignas(64) _Atomic uint32_t word;
    int   private_flag;       /* FUTEX_PRIVATE_FLAG for a thread, 0 for a child process */
    int   cpu;                /* where both run */
};

static long futex(_Atomic uint32_t *w, int op, uint32_t val)
{
    return syscall(SYS_futex, w, op, val, NULL, NULL, 0);
}

/* The partner's loop: wait for its turn, hand the token straight back; leaves on stop. */
static void partner_loop(struct partner *pt)
{
    for (;;) {
        uint32_t v = atomic_load(&pt->word);
        if (v == 2)
            return;
        if (v == 0) {
            futex(&pt->word, FUTEX_WAIT | pt->private_flag, 0);
            continue;
        }
        atomic_store(&pt->word, 0);
        futex(&pt->word, FUTEX_WAKE | pt->private_flag, 1);
    }
}

/* One round trip from our side: give the token, sleep until it comes back. */
static void partner_roundtrip(struct partner *pt)
{
    atomic_store(&pt->word, 1);
    futex(&pt->word, FUTEX_WAKE | pt->private_flag, 1);
    while (atomic_load(&pt->word) == 1)
        futex(&pt->word, FUTEX_WAIT | pt->private_flag, 1);
}

static void partner_stop(struct partner *pt)
{
    atomic_store(&pt->word, 2);
    futex(&pt->word, FUTEX_WAKE | pt->private_flag, 1);
}

static void pin_self(int cpu)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    sched_setaffinity(0, sizeof set, &set);
}

static void *partner_thread(void *arg)
{
    struct partner *pt = arg;
    pin_self(pt->cpu);
    partner_loop(pt);
    return NULL;
}

/* ---- fibers: the other side switches straight back ---- */

struct fibers {
    void      *main_sp, *fiber_sp;
    ucontext_t main_uc, fiber_uc;
};

static void asm_fiber_body(void *arg)
{
    struct fibers *f = arg;
    for (;;)
        ctxprobe_fiber_jump(&f->fiber_sp, f->main_sp);
}

static void uc_fiber_body(unsigned int hi, unsigned int lo)
{
    struct fibers *f = (struct fibers *)(((uintptr_t)hi << 32) | (uintptr_t)lo);
    for (;;)
        swapcontext(&f->fiber_uc, &f->main_uc);
}

/* ---- one run ---- */

struct event_state {
    int32_t          event;
    struct fibers    fib;
    struct ctxp_stack stack;
    struct partner  *pt;        /* thread: on our heap (static storage); process: MAP_SHARED */
    struct partner   pt_thread;
    pthread_t        thread;
    int              thread_started;
    pid_t            child;
};

static int event_setup(struct event_state *s)
{
    int rc;
    switch (s->event) {
    case CTXPROBE_TLBEV_NONE:
    case CTXPROBE_TLBEV_NULL_SYSCALL:
        return 0;
    case CTXPROBE_TLBEV_FIBER_ASM:
        rc = ctxp_stack_alloc(&s->stack, FIBER_STACK);
        if (rc)
            return rc;
        s->fib.fiber_sp = ctxprobe_fiber_make(s->stack.hi, asm_fiber_body, &s->fib);
        return 0;
    case CTXPROBE_TLBEV_FIBER_UCONTEXT: {
        rc = ctxp_stack_alloc(&s->stack, FIBER_STACK);
        if (rc)
            return rc;
        if (getcontext(&s->fib.fiber_uc) != 0)
            return -errno;
        s->fib.fiber_uc.uc_stack.ss_sp = s->stack.lo;
        s->fib.fiber_uc.uc_stack.ss_size = (size_t)((char *)s->stack.hi - (char *)s->stack.lo);
        s->fib.fiber_uc.uc_link = NULL;
        uintptr_t a = (uintptr_t)&s->fib;
        makecontext(&s->fib.fiber_uc, (void (*)(void))uc_fiber_body, 2, (unsigned int)(a >> 32),
                    (unsigned int)(a & 0xffffffffu));
        return 0;
    }
    case CTXPROBE_TLBEV_THREAD_ROUNDTRIP: {
        int cpu = sched_getcpu();
        if (cpu < 0)
            return -errno;
        s->pt = &s->pt_thread;
        s->pt->private_flag = FUTEX_PRIVATE_FLAG;
        s->pt->cpu = cpu;
        atomic_store(&s->pt->word, 0);
        /* every signal blocked in the partner: the JVM's handlers must never run on it */
        sigset_t all, old;
        sigfillset(&all);
        pthread_sigmask(SIG_SETMASK, &all, &old);
        rc = -pthread_create(&s->thread, NULL, partner_thread, s->pt);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        if (rc)
            return rc;
        s->thread_started = 1;
        return 0;
    }
    case CTXPROBE_TLBEV_PROCESS_ROUNDTRIP: {
        int cpu = sched_getcpu();
        if (cpu < 0)
            return -errno;
        void *m = mmap(NULL, sizeof(struct partner), PROT_READ | PROT_WRITE,
                       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (m == MAP_FAILED)
            return -errno;
        s->pt = m;
        s->pt->private_flag = 0;            /* shared futex across the two processes */
        s->pt->cpu = cpu;
        atomic_store(&s->pt->word, 0);
        pid_t parent = getpid();
        sigset_t all, old;
        sigfillset(&all);
        pthread_sigmask(SIG_SETMASK, &all, &old);
        pid_t pid = _Fork();                /* no atfork handlers run */
        if (pid == 0) {
            /* the child: signals stay blocked; only this library's code; leaves with _exit */
            if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0 || getppid() != parent)
                _exit(1);
            pin_self(s->pt->cpu);
            partner_loop(s->pt);
            _exit(0);
        }
        int e = errno;
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        if (pid < 0) {
            munmap(s->pt, sizeof(struct partner));
            s->pt = NULL;
            return -e;
        }
        s->child = pid;
        return 0;
    }
    default:
        return -EINVAL;
    }
}

static inline void event_run(struct event_state *s)
{
    switch (s->event) {
    case CTXPROBE_TLBEV_NULL_SYSCALL:
        syscall(SYS_getppid);
        break;
    case CTXPROBE_TLBEV_FIBER_ASM:
        ctxprobe_fiber_jump(&s->fib.main_sp, s->fib.fiber_sp);
        break;
    case CTXPROBE_TLBEV_FIBER_UCONTEXT:
        swapcontext(&s->fib.main_uc, &s->fib.fiber_uc);
        break;
    case CTXPROBE_TLBEV_THREAD_ROUNDTRIP:
    case CTXPROBE_TLBEV_PROCESS_ROUNDTRIP:
        partner_roundtrip(s->pt);
        break;
    default:
        break;
    }
}

static int event_teardown(struct event_state *s)
{
    int rc = 0;
    if (s->thread_started) {
        partner_stop(s->pt);
        pthread_join(s->thread, NULL);
    }
    if (s->child > 0) {
        partner_stop(s->pt);
        int status;
        while (waitpid(s->child, &status, 0) < 0 && errno == EINTR)
            ;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            rc = -EPIPE;
        munmap(s->pt, sizeof(struct partner));
    }
    ctxp_stack_free(&s->stack);   /* a suspended fiber holds nothing but its stack */
    return rc;
}

int32_t ctxprobe_tlb_switch_run(int32_t event, int32_t packed, int64_t pages, int64_t warmup,
                                int64_t batches, int64_t passes, int64_t *wall_ns)
{
    if (event < CTXPROBE_TLBEV_NONE || event > CTXPROBE_TLBEV_PROCESS_ROUNDTRIP ||
        pages < 2 || pages > (1 << 20))
        return -EINVAL;
    int rc = batch_args_check(warmup, batches, passes, wall_ns);
    if (rc)
        return rc;
    struct tlb_chase c;
    rc = tlb_chase_build(&c, packed ? CTXPROBE_TLB_PACKED : CTXPROBE_TLB_SPARSE_4K, pages);
    if (rc)
        return rc;
    struct event_state s;
    memset(&s, 0, sizeof s);
    s.event = event;
    rc = event_setup(&s);
    if (rc) {
        event_teardown(&s);
        tlb_chase_free(&c);
        return rc;
    }

    void **p = tlb_chase_walk(c.head, 2 * c.lines);          /* warm: twice round the cycle */
    for (int64_t b = -warmup; b < batches; b++) {
        int64_t sum = 0;
        for (int64_t i = 0; i < passes; i++) {
            event_run(&s);                                   /* untimed */
            int64_t t0 = batch_clock_ns(CLOCK_MONOTONIC);
            p = tlb_chase_walk(p, c.lines);                  /* one whole cycle */
            int64_t t1 = batch_clock_ns(CLOCK_MONOTONIC);
            sum += t1 - t0;
        }
        if (b >= 0)
            wall_ns[b] = sum;
    }
    __asm__ volatile("" : : "r"(p));
    int trc = event_teardown(&s);
    tlb_chase_free(&c);
    return trc;
}
