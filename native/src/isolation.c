/*
 * isolation.c — isolation: what a fault takes down. Each repetition forks a sacrificial process
 * from the calling thread; inside it, one of two tasks (grandchild processes, pthreads, or fibers on
 * one thread) stores through a NULL pointer. The caller (the JVM) only ever waits and reaps.
 *
 * The sacrificial process and the grandchildren are forked through child.c (all signals blocked,
 * PR_SET_PDEATHSIG(SIGKILL) + getppid check). The sacrificial process turns core dumps off
 * (RLIMIT_CORE 0 and PR_SET_DUMPABLE 0, inherited by its grandchildren: no core file anywhere),
 * resets SIGSEGV to SIG_DFL and unblocks it (the handler it inherited is the JVM's, which must never
 * run here). A grandchild keeps SIGSEGV blocked: a fault with SIGSEGV blocked is still fatal (the
 * kernel unblocks it and applies the default). Forks use glibc's fork(), not _Fork(): the thread
 * scenario calls pthread_create in the child, which needs the malloc and thread-stack bookkeeping
 * that fork() resets in a child of a multi-threaded process.
 *
 * Timing: the faulting task writes CLOCK_MONOTONIC into the shared mapping right before its store;
 * the noticer reads CLOCK_MONOTONIC right after waitpid returns (the sacrificial process for a
 * grandchild; the caller, woken by a pidfd where the kernel has one, for the whole process).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ctxprobe/isolation.h"
#include "batch.h"
#include "child.h"
#include "fiber_switch.h"

#define DEADLINE_MS 30000
#define FIBER_STACK (64 * 1024)

/* Exit codes of the sacrificial process when something failed before or around the fault. */
#define EXIT_SETUP 3

/* The shared page: written by the sacrificial process and its tasks, read by the caller after the
 * reap. */
struct shared {
    _Atomic int64_t fault_ns;          /* CLOCK_MONOTONIC right before the faulting store */
    _Atomic int64_t notice_ns;         /* child-process: the sacrificial process's notice */
    _Atomic uint32_t sibling_ready;    /* futex word: the sibling task runs */
    _Atomic int32_t  sibling_tid;      /* thread: the sibling thread's tid */
    _Atomic int32_t  bits;             /* CTXPROBE_ISO_* found by the sacrificial process */
    _Atomic int32_t  signal;           /* child-process: the signal that killed the grandchild */
    _Atomic int32_t  error;            /* -errno of a setup step in the sacrificial process */
};

static struct shared *sh;              /* the sacrificial process's (and its tasks') view */

static void fault(void)
{
    atomic_store(&sh->fault_ns, batch_clock_ns(CLOCK_MONOTONIC));
    *(volatile int *)(uintptr_t)0 = 1;   /* a real fault: SIGSEGV from the MMU, not raise() */
    for (;;)
        ;                                /* not reached */
}

static void sibling_announce(void)
{
    atomic_store(&sh->sibling_ready, 1);
    syscall(SYS_futex, &sh->sibling_ready, FUTEX_WAKE, INT32_MAX, NULL, NULL, 0);
}

static int wait_sibling(void)
{
    const struct timespec slice = { 1, 0 };
    for (int i = 0; i < 10 && atomic_load(&sh->sibling_ready) == 0; i++)
        syscall(SYS_futex, &sh->sibling_ready, FUTEX_WAIT, 0, &slice, NULL, 0);
    return atomic_load(&sh->sibling_ready) ? 0 : -ETIMEDOUT;
}

static _Noreturn void setup_failed(int err)
{
    atomic_store(&sh->error, err);
    _exit(EXIT_SETUP);
}

/* ---- child-process: grandchildren ------------------------------------------------------------- */

/* A grandchild's body (child.c ran the prelude): fault, or announce itself and wait for SIGKILL. */
static int grandchild_body(void *faulter)
{
    if (faulter)
        fault();
    sibling_announce();
    for (;;)
        pause();                         /* all signals blocked: SIGKILL ends it */
    return 0;                            /* not reached */
}

static _Noreturn void scenario_child_process(void)
{
    struct ctxp_child sibling, faulter;
    int rc = ctxp_child_fork(&sibling, CTXP_CHILD_LIBC_FORK, grandchild_body, NULL);
    if (rc)
        setup_failed(rc);
    if (wait_sibling() != 0) {
        ctxp_child_kill(&sibling);
        setup_failed(-ETIMEDOUT);
    }
    int32_t bits = CTXPROBE_ISO_SIBLING_RAN;
    if ((rc = ctxp_child_fork(&faulter, CTXP_CHILD_LIBC_FORK, grandchild_body, (void *)1)) != 0) {
        ctxp_child_kill(&sibling);
        setup_failed(rc);
    }
    int status = 0;
    ctxp_child_reap(&faulter, CTXP_NO_DEADLINE, &status);
    int64_t notice = faulter.reaped_ns;
    if (WIFSIGNALED(status)) {
        bits |= CTXPROBE_ISO_FAULTER_KILLED;
        atomic_store(&sh->signal, WTERMSIG(status));
    }
    /* Alive: the process exists (kill 0) and has not exited (a zombie would pass kill 0). */
    if (kill(sibling.pid, 0) == 0 && waitpid(sibling.pid, NULL, WNOHANG) == 0)
        bits |= CTXPROBE_ISO_SIBLING_SURVIVED;
    bits |= CTXPROBE_ISO_PARENT_SURVIVED;    /* this very code runs after the fault */
    atomic_store(&sh->notice_ns, notice);
    atomic_store(&sh->bits, bits);
    ctxp_child_kill(&sibling);
    _exit(0);
}

/* ---- thread: two pthreads ---------------------------------------------------------------------- */

static void *sibling_thread(void *arg)
{
    (void)arg;
    atomic_store(&sh->sibling_tid, (int32_t)syscall(SYS_gettid));
    sibling_announce();
    for (;;)
        pause();
    return NULL;
}

static void *faulting_thread(void *arg)
{
    (void)arg;
    fault();
    return NULL;
}

static _Noreturn void scenario_thread(void)
{
    pthread_t t1, t2;
    int err = pthread_create(&t1, NULL, sibling_thread, NULL);
    if (err)
        setup_failed(-err);
    if (wait_sibling() != 0)
        setup_failed(-ETIMEDOUT);
    atomic_store(&sh->bits, CTXPROBE_ISO_SIBLING_RAN);
    if ((err = pthread_create(&t2, NULL, faulting_thread, NULL)) != 0)
        setup_failed(-err);
    pthread_join(t2, NULL);              /* never returns: the fault ends the process */
    setup_failed(-EPROTO);
}

/* ---- fiber: two fibers on one thread ----------------------------------------------------------- */

static void *main_sp, *sibling_sp, *faulter_sp;

static void sibling_fiber(void *arg)
{
    (void)arg;
    sibling_announce();
    for (;;)
        ctxprobe_fiber_jump(&sibling_sp, main_sp);   /* suspended: resumed never */
}

static void faulting_fiber(void *arg)
{
    (void)arg;
    fault();
}

static _Noreturn void scenario_fiber(void)
{
    struct ctxp_stack s1, s2;
    int rc = ctxp_stack_alloc(&s1, FIBER_STACK);
    if (rc == 0 && (rc = ctxp_stack_alloc(&s2, FIBER_STACK)) != 0)
        ctxp_stack_free(&s1);
    if (rc)
        setup_failed(rc);
    sibling_sp = ctxprobe_fiber_make(s1.hi, sibling_fiber, NULL);
    faulter_sp = ctxprobe_fiber_make(s2.hi, faulting_fiber, NULL);
    ctxprobe_fiber_jump(&main_sp, sibling_sp);       /* the sibling runs and switches back */
    if (atomic_load(&sh->sibling_ready) == 0)
        setup_failed(-EPROTO);
    atomic_store(&sh->bits, CTXPROBE_ISO_SIBLING_RAN);
    ctxprobe_fiber_jump(&main_sp, faulter_sp);       /* never comes back */
    setup_failed(-EPROTO);
}

/* ---- the sacrificial process and the caller ---------------------------------------------------- */

struct sacrificial_arg {
    int32_t scenario;
    struct shared *map;
};

/* The sacrificial process's body (child.c ran the prelude); never returns. */
static int sacrificial_body(void *arg)
{
    const struct sacrificial_arg *a = arg;
    int32_t scenario = a->scenario;
    sh = a->map;
    struct rlimit none = { 0, 0 };
    if (setrlimit(RLIMIT_CORE, &none) != 0 || prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
        setup_failed(-errno);
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigset_t segv;
    sigemptyset(&segv);
    sigaddset(&segv, SIGSEGV);
    if (sigaction(SIGSEGV, &dfl, NULL) != 0 || sigprocmask(SIG_UNBLOCK, &segv, NULL) != 0)
        setup_failed(-errno);
    switch (scenario) {
    case CTXPROBE_ISO_CHILD_PROCESS: scenario_child_process();
    case CTXPROBE_ISO_THREAD:        scenario_thread();
    default:                         scenario_fiber();
    }
    return 0;                            /* not reached */
}

/* What the caller learns from the sacrificial process's end and the shared page: 0 or -errno,
 * with *bits, *signal and *notice (the noticer's clock read) completed. */
static int outcome(int32_t scenario, int rc, int status, pid_t pid, const struct shared *map,
                   int32_t *bits, int32_t *signal, int64_t *notice)
{
    int64_t fault_ns = atomic_load(&map->fault_ns);
    if (rc == 0) {
        if (WIFSIGNALED(status)) {
            *bits |= CTXPROBE_ISO_PROCESS_KILLED;
            if (scenario != CTXPROBE_ISO_CHILD_PROCESS) {
                *bits |= CTXPROBE_ISO_FAULTER_KILLED;
                *signal = WTERMSIG(status);
            }
        } else if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
            rc = atomic_load(&map->error) ? atomic_load(&map->error) : -EPROTO;
        }
    }
    if (rc == 0 && fault_ns == 0)
        rc = -EPROTO;                    /* the process ended before the fault */
    if (rc != 0)
        return rc;
    if (scenario == CTXPROBE_ISO_CHILD_PROCESS) {
        *signal = atomic_load(&map->signal);
        *notice = atomic_load(&map->notice_ns);
        if (!(*bits & CTXPROBE_ISO_PROCESS_KILLED) && *notice == 0)
            return -EPROTO;
    } else if (!(*bits & CTXPROBE_ISO_PROCESS_KILLED)) {
        return -EPROTO;
    }
    /* The sibling thread after the process died: gone with it (tgkill finds no such task). */
    int32_t tid = atomic_load(&map->sibling_tid);
    if (scenario == CTXPROBE_ISO_THREAD && tid > 0 && syscall(SYS_tgkill, pid, tid, 0) == 0)
        *bits |= CTXPROBE_ISO_SIBLING_SURVIVED;
    return 0;
}

int32_t ctxprobe_isolation_run(int32_t scenario, int64_t *notice_ns, int32_t *outcome_bits,
                               int32_t *signal)
{
    if (scenario < CTXPROBE_ISO_CHILD_PROCESS || scenario > CTXPROBE_ISO_FIBER || !notice_ns ||
        !outcome_bits || !signal)
        return -EINVAL;
    struct shared *map = mmap(NULL, sizeof *map, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
                              -1, 0);
    if (map == MAP_FAILED)
        return -errno;
    int64_t deadline = batch_clock_ns(CLOCK_MONOTONIC) + (int64_t)DEADLINE_MS * 1000000;
    struct sacrificial_arg arg = { scenario, map };
    struct ctxp_child c;
    int rc = ctxp_child_fork(&c, CTXP_CHILD_PIDFD | CTXP_CHILD_LIBC_FORK, sacrificial_body, &arg);
    if (rc) {
        munmap(map, sizeof *map);
        return rc;
    }
    pid_t pid = c.pid;
    int status = 0;
    rc = ctxp_child_reap(&c, deadline, &status);     /* sleeps on the pidfd: woken at the exit */
    int64_t notice = c.reaped_ns;
    int64_t fault_ns = atomic_load(&map->fault_ns);
    int32_t bits = atomic_load(&map->bits);
    *signal = 0;
    rc = outcome(scenario, rc, status, pid, map, &bits, signal, &notice);
    *notice_ns = rc == 0 && notice > 0 ? notice - fault_ns : 0;
    *outcome_bits = bits;
    munmap(map, sizeof *map);
    return rc;
}
