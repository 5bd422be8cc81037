/*
 * footprint.c — the footprint probe's set of idle units: N processes, kernel threads or fibers that exist
 * and block, so that Java can read what they cost from the kernel's accounting (smaps_rollup,
 * /proc/self/status, /proc/meminfo). The set only creates, reports and tears down; it measures
 * nothing itself. See the sequence in ctxprobe.h.
 *
 * The control words (ready count, release word) live in one MAP_SHARED anonymous page so that forked
 * children share them; futex calls on it are shared futexes for processes and private ones for
 * threads (a private futex on a shared mapping is fine inside one process).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ctxprobe/footprint.h"
#include "batch.h"
#include "child.h"
#include "fiber_switch.h"

/* Room a fiber needs above its touched range: its first frame, the touch loop's own frame and the
 * switch's saved registers. */
#define FIBER_HEADROOM (8 * 1024)

struct idle_ctl {
    _Alignas(64) _Atomic uint32_t ready;     /* units that reported ready */
    _Alignas(64) _Atomic uint32_t release;   /* 1 once released: every unit exits */
};

struct idle_fiber {
    struct ctxprobe_footprint *set;
    struct ctxp_stack st;
    void *sp;                                /* the fiber's saved context (suspended for good) */
};

struct idle_unit {
    struct ctxp_child child;                 /* PROCESS: pid 0 once reaped */
    pthread_t thread;                        /* THREAD */
    int joinable;                            /* THREAD: created and not yet joined */
    _Atomic int32_t tid;                     /* THREAD: published by the thread */
    struct ctxprobe_footprint *set;
};

struct ctxprobe_footprint {
    int32_t kind;
    int32_t n;
    int32_t count;                           /* units created */
    int32_t started;
    int64_t touch;
    int futex_private;                       /* FUTEX_PRIVATE_FLAG, 0 for processes */
    struct idle_ctl *ctl;                    /* the MAP_SHARED page */
    size_t ctl_len;
    struct idle_unit *unit;                  /* PROCESS, THREAD */
    struct idle_fiber *fiber;                /* FIBER */
    void *main_sp;                           /* FIBER: the calling thread's context while a fiber runs */
};

static long ctl_futex(struct ctxprobe_footprint *s, _Atomic uint32_t *w, int op, uint32_t val,
                      const struct timespec *ts)
{
    return syscall(SYS_futex, (uint32_t *)w, op | s->futex_private, val, ts, NULL, 0);
}

static void report_ready(struct ctxprobe_footprint *s)
{
    atomic_fetch_add_explicit(&s->ctl->ready, 1, memory_order_seq_cst);
    ctl_futex(s, &s->ctl->ready, FUTEX_WAKE, INT_MAX, NULL);
}

/* Blocks until released. No timeout: release (or the parent's death, for children) ends it. */
static void wait_release(struct ctxprobe_footprint *s)
{
    while (atomic_load_explicit(&s->ctl->release, memory_order_acquire) == 0)
        ctl_futex(s, &s->ctl->release, FUTEX_WAIT, 0, NULL);
}

ctxprobe_footprint *ctxprobe_footprint_new(int32_t kind, int32_t n, int64_t touch_bytes)
{
    if (n <= 0 || touch_bytes < 0)
        return NULL;
    if (kind != CTXPROBE_FOOTPRINT_PROCESS && kind != CTXPROBE_FOOTPRINT_THREAD && kind != CTXPROBE_FOOTPRINT_FIBER)
        return NULL;
    if (kind != CTXPROBE_FOOTPRINT_FIBER && touch_bytes != 0)
        return NULL;
    if (touch_bytes > CTXPROBE_FOOTPRINT_FIBER_STACK - FIBER_HEADROOM)
        return NULL;
    struct ctxprobe_footprint *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->kind = kind;
    s->n = n;
    s->touch = touch_bytes;
    s->futex_private = kind == CTXPROBE_FOOTPRINT_PROCESS ? 0 : FUTEX_PRIVATE_FLAG;
    s->ctl_len = sizeof(struct idle_ctl);
    void *m = mmap(NULL, s->ctl_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) {
        free(s);
        return NULL;
    }
    s->ctl = m;   /* zero-filled: nothing ready, not released */
    if (kind == CTXPROBE_FOOTPRINT_FIBER)
        s->fiber = calloc((size_t)n, sizeof *s->fiber);
    else
        s->unit = calloc((size_t)n, sizeof *s->unit);
    if (!s->fiber && !s->unit) {
        munmap(s->ctl, s->ctl_len);
        free(s);
        return NULL;
    }
    return s;
}

/* ---- processes -------------------------------------------------------------------------------- */

/* In the child (child.c ran the prelude): async-signal-safe calls only (futex, _exit). */
static int child_body(void *arg)
{
    struct ctxprobe_footprint *s = arg;
    report_ready(s);
    wait_release(s);
    return 0;
}

/* No pidfd: a set may hold thousands of children, and reap needs no quick wake-up. */
static int start_process(struct ctxprobe_footprint *s, struct idle_unit *u)
{
    return ctxp_child_fork(&u->child, 0, child_body, s);
}

/* ---- threads ---------------------------------------------------------------------------------- */

static void *thread_main(void *arg)
{
    struct idle_unit *u = arg;
    prctl(PR_SET_NAME, "ctxp-idle", 0, 0, 0);
    atomic_store_explicit(&u->tid, (int32_t)syscall(SYS_gettid), memory_order_release);
    report_ready(u->set);
    wait_release(u->set);
    return NULL;
}

static int start_thread(struct ctxprobe_footprint *s, struct idle_unit *u)
{
    u->set = s;
    /* The thread inherits a full signal mask: a process-directed signal never lands in it (it would
     * run the JVM's handler on a thread the JVM does not know). */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int rc = pthread_create(&u->thread, NULL, thread_main, u);   /* glibc's default attributes */
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0)
        return -rc;
    u->joinable = 1;
    return 0;
}

/* ---- fibers ----------------------------------------------------------------------------------- */

/* Writes one byte per page of `bytes` just below the caller's frame, so those pages are resident. */
static __attribute__((noinline)) void touch_stack(int64_t bytes)
{
    if (bytes <= 0)
        return;
    long page = sysconf(_SC_PAGESIZE);
    if (page <= 0)
        page = 4096;
    volatile char *p = __builtin_alloca((size_t)bytes);
    for (int64_t off = 0; off < bytes; off += page)
        p[off] = 1;
    p[bytes - 1] = 1;
    __asm__ volatile("" : : "r"(p) : "memory");
}

static void fiber_body(void *arg)
{
    struct idle_fiber *f = arg;
    touch_stack(f->set->touch);
    report_ready(f->set);
    for (;;)                                            /* suspended for good after the first switch */
        ctxprobe_fiber_jump(&f->sp, f->set->main_sp);
}

static int start_fiber(struct ctxprobe_footprint *s, struct idle_fiber *f)
{
    f->set = s;
    int rc = ctxp_stack_alloc(&f->st, CTXPROBE_FOOTPRINT_FIBER_STACK);
    if (rc)
        return rc;
    f->sp = ctxprobe_fiber_make(f->st.hi, fiber_body, f);
    ctxprobe_fiber_jump(&s->main_sp, f->sp);            /* runs its first frame, returns here */
    return 0;
}

/* ---- the set ---------------------------------------------------------------------------------- */

int32_t ctxprobe_footprint_start(ctxprobe_footprint *s)
{
    if (!s)
        return -EINVAL;
    if (s->started)
        return -EBUSY;
    s->started = 1;
    for (int32_t i = 0; i < s->n; i++) {
        int rc;
        switch (s->kind) {
        case CTXPROBE_FOOTPRINT_PROCESS: rc = start_process(s, &s->unit[i]); break;
        case CTXPROBE_FOOTPRINT_THREAD:  rc = start_thread(s, &s->unit[i]); break;
        default:                    rc = start_fiber(s, &s->fiber[i]); break;
        }
        if (rc)
            return rc;
        s->count = i + 1;
    }
    return s->count;
}

int32_t ctxprobe_footprint_count(ctxprobe_footprint *s)
{
    return s ? s->count : -EINVAL;
}

int32_t ctxprobe_footprint_ready(ctxprobe_footprint *s)
{
    return s ? (int32_t)atomic_load(&s->ctl->ready) : -EINVAL;
}

int32_t ctxprobe_footprint_wait_ready(ctxprobe_footprint *s, int64_t timeout_ms)
{
    if (!s || timeout_ms < 0)
        return -EINVAL;
    int64_t deadline = batch_clock_ns(CLOCK_MONOTONIC) + timeout_ms * 1000000;
    for (;;) {
        uint32_t r = atomic_load_explicit(&s->ctl->ready, memory_order_acquire);
        if (r >= (uint32_t)s->count)
            return 0;
        int64_t left = deadline - batch_clock_ns(CLOCK_MONOTONIC);
        if (left <= 0)
            return -ETIMEDOUT;
        struct timespec ts = { left / 1000000000, left % 1000000000 };
        ctl_futex(s, &s->ctl->ready, FUTEX_WAIT, r, &ts);
    }
}

int32_t ctxprobe_footprint_id(ctxprobe_footprint *s, int32_t i)
{
    if (!s || i < 0 || i >= s->count)
        return -EINVAL;
    switch (s->kind) {
    case CTXPROBE_FOOTPRINT_PROCESS: return s->unit[i].child.pid;
    case CTXPROBE_FOOTPRINT_THREAD:  return atomic_load(&s->unit[i].tid);
    default:                    return 0;
    }
}

void ctxprobe_footprint_release(ctxprobe_footprint *s)
{
    if (!s)
        return;
    atomic_store_explicit(&s->ctl->release, 1, memory_order_seq_cst);
    ctl_futex(s, &s->ctl->release, FUTEX_WAKE, INT_MAX, NULL);
}

/* Reaps one child by the deadline (SIGKILL after it). 0, -ETIMEDOUT (killed), -EPIPE (died or
 * exited non-zero); a child reaped elsewhere has nothing to report. */
static int reap_child(struct idle_unit *u, int64_t deadline)
{
    int status = 0;
    int rc = ctxp_child_reap(&u->child, deadline, &status);
    if (rc == -ETIMEDOUT)
        return rc;
    return rc == 0 ? ctxp_child_status_ok(status) : 0;
}

int32_t ctxprobe_footprint_reap(ctxprobe_footprint *s, int64_t timeout_ms)
{
    if (!s || timeout_ms < 0)
        return -EINVAL;
    ctxprobe_footprint_release(s);
    int64_t deadline = batch_clock_ns(CLOCK_MONOTONIC) + timeout_ms * 1000000;
    int rc = 0;
    for (int32_t i = 0; i < s->count; i++) {
        int r = 0;
        if (s->kind == CTXPROBE_FOOTPRINT_PROCESS && s->unit[i].child.pid > 0) {
            r = reap_child(&s->unit[i], deadline);
        } else if (s->kind == CTXPROBE_FOOTPRINT_THREAD && s->unit[i].joinable) {
            int64_t at = batch_clock_ns(CLOCK_REALTIME) +
                         (deadline - batch_clock_ns(CLOCK_MONOTONIC));
            struct timespec ts = { at / 1000000000, at % 1000000000 };
            int e = pthread_timedjoin_np(s->unit[i].thread, NULL, &ts);
            if (e == 0)
                s->unit[i].joinable = 0;
            else
                r = e == ETIMEDOUT ? -ETIMEDOUT : -e;
        } else if (s->kind == CTXPROBE_FOOTPRINT_FIBER) {
            ctxp_stack_free(&s->fiber[i].st);           /* safe on an already freed stack */
        }
        if (r && !rc)
            rc = r;
    }
    return rc;
}

void ctxprobe_footprint_free(ctxprobe_footprint *s)
{
    if (!s)
        return;
    ctxprobe_footprint_release(s);
    for (int32_t i = 0; i < s->count; i++) {
        if (s->kind == CTXPROBE_FOOTPRINT_PROCESS) {
            ctxp_child_kill(&s->unit[i].child);
        } else if (s->kind == CTXPROBE_FOOTPRINT_THREAD && s->unit[i].joinable) {
            pthread_join(s->unit[i].thread, NULL);      /* released: it returns promptly */
            s->unit[i].joinable = 0;
        } else if (s->kind == CTXPROBE_FOOTPRINT_FIBER) {
            ctxp_stack_free(&s->fiber[i].st);
        }
    }
    munmap(s->ctl, s->ctl_len);
    free(s->unit);
    free(s->fiber);
    free(s);
}
