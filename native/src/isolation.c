/*
 * isolation.c — isolation: what a fault takes down. Each repetition forks a sacrificial process
 * from the calling thread; inside it, one of two tasks (grandchild processes, pthreads, or fibers on
 * one thread) stores through a NULL pointer. The caller (the JVM) only ever waits and reaps.
 *
 * The sacrificial process: PR_SET_PDEATHSIG(SIGKILL) (+ getppid check), core dumps off
 * (RLIMIT_CORE 0 and PR_SET_DUMPABLE 0, inherited by its grandchildren: no core file anywhere),
 * SIGSEGV reset to SIG_DFL and unblocked (the handler it inherited is the JVM's, which must never
 * run here). It is forked with glibc's fork(), not _Fork(): the thread scenario calls
 * pthread_create in the child, which needs the malloc and thread-stack bookkeeping that fork()
 * resets in a child of a multi-threaded process; all signals stay blocked across it.
 *
 * Timing: the faulting task writes CLOCK_MONOTONIC into the shared mapping right before its store;
 * the noticer reads CLOCK_MONOTONIC right after waitpid returns (the sacrificial process for a
 * grandchild; the caller, woken by a pidfd where the kernel has one, for the whole process).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <poll.h>
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

#include "ctxprobe.h"
#include "batch.h"
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

static pid_t fork_grandchild(int faulter)
{
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0 || getppid() != parent)
        _exit(2);
    if (faulter)
        fault();
    sibling_announce();
    for (;;)
        pause();                         /* all signals but SIGSEGV blocked: SIGKILL ends it */
}

static _Noreturn void scenario_child_process(void)
{
    pid_t sibling = fork_grandchild(0);
    if (sibling < 0)
        setup_failed(-errno);
    if (wait_sibling() != 0) {
        kill(sibling, SIGKILL);
        waitpid(sibling, NULL, 0);
        setup_failed(-ETIMEDOUT);
    }
    int32_t bits = CTXPROBE_ISO_SIBLING_RAN;
    pid_t faulter = fork_grandchild(1);
    if (faulter < 0) {
        int err = -errno;
        kill(sibling, SIGKILL);
        waitpid(sibling, NULL, 0);
        setup_failed(err);
    }
    int status = 0;
    while (waitpid(faulter, &status, 0) < 0 && errno == EINTR)
        ;
    int64_t notice = batch_clock_ns(CLOCK_MONOTONIC);
    if (WIFSIGNALED(status)) {
        bits |= CTXPROBE_ISO_FAULTER_KILLED;
        atomic_store(&sh->signal, WTERMSIG(status));
    }
    /* Alive: the process exists (kill 0) and has not exited (a zombie would pass kill 0). */
    if (kill(sibling, 0) == 0 && waitpid(sibling, NULL, WNOHANG) == 0)
        bits |= CTXPROBE_ISO_SIBLING_SURVIVED;
    bits |= CTXPROBE_ISO_PARENT_SURVIVED;    /* this very code runs after the fault */
    atomic_store(&sh->notice_ns, notice);
    atomic_store(&sh->bits, bits);
    kill(sibling, SIGKILL);
    while (waitpid(sibling, NULL, 0) < 0 && errno == EINTR)
        ;
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

static _Noreturn void sacrificial_main(int32_t scenario, pid_t parent)
{
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0 || getppid() != parent)
        _exit(2);
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
}

/* Waits for pid to exit, at most until deadline (then SIGKILL). Sleeps on a pidfd where the kernel
 * has pidfd_open (5.3+), so the wake-up follows the exit at once; otherwise polls. 0 or -ETIMEDOUT;
 * *status and *notice (CLOCK_MONOTONIC right after the reap) are set either way. */
static int wait_child(pid_t pid, int64_t deadline, int *status, int64_t *notice)
{
    int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
    int rc = 0;
    for (;;) {
        pid_t r = waitpid(pid, status, WNOHANG);
        if (r == pid)
            break;
        if (r < 0 && errno != EINTR) {
            rc = -errno;
            break;
        }
        int64_t left = deadline - batch_clock_ns(CLOCK_MONOTONIC);
        if (r == 0 && left <= 0) {
            kill(pid, SIGKILL);
            while (waitpid(pid, status, 0) < 0 && errno == EINTR)
                ;
            rc = -ETIMEDOUT;
            break;
        }
        if (pfd >= 0) {
            struct pollfd p = { .fd = pfd, .events = POLLIN };
            int ms = left / 1000000 > 1000 ? 1000 : (int)(left / 1000000) + 1;
            poll(&p, 1, ms);
        } else {
            struct timespec ts = { 0, 200000 };
            nanosleep(&ts, NULL);
        }
    }
    *notice = batch_clock_ns(CLOCK_MONOTONIC);
    if (pfd >= 0)
        close(pfd);
    return rc;
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

    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        sh = map;
        sacrificial_main(scenario, parent);
    }
    int err = errno;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (pid < 0) {
        munmap(map, sizeof *map);
        return -err;
    }

    int status = 0;
    int64_t notice = 0;
    int rc = wait_child(pid, deadline, &status, &notice);
    int32_t bits = atomic_load(&map->bits);
    int64_t fault_ns = atomic_load(&map->fault_ns);
    *signal = 0;
    if (rc == 0) {
        if (WIFSIGNALED(status)) {
            bits |= CTXPROBE_ISO_PROCESS_KILLED;
            if (scenario != CTXPROBE_ISO_CHILD_PROCESS) {
                bits |= CTXPROBE_ISO_FAULTER_KILLED;
                *signal = WTERMSIG(status);
            }
        } else if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
            rc = atomic_load(&map->error) ? atomic_load(&map->error) : -EPROTO;
        }
    }
    if (rc == 0 && fault_ns == 0)
        rc = -EPROTO;                    /* the process ended before the fault */
    if (rc == 0) {
        if (scenario == CTXPROBE_ISO_CHILD_PROCESS) {
            *signal = atomic_load(&map->signal);
            notice = atomic_load(&map->notice_ns);
            if (!(bits & CTXPROBE_ISO_PROCESS_KILLED) && notice == 0)
                rc = -EPROTO;
        } else if (!(bits & CTXPROBE_ISO_PROCESS_KILLED)) {
            rc = -EPROTO;
        }
        /* The sibling thread after the process died: gone with it (tgkill finds no such task). */
        int32_t tid = atomic_load(&map->sibling_tid);
        if (scenario == CTXPROBE_ISO_THREAD && tid > 0 && syscall(SYS_tgkill, pid, tid, 0) == 0)
            bits |= CTXPROBE_ISO_SIBLING_SURVIVED;
    }
    *notice_ns = rc == 0 && notice > 0 ? notice - fault_ns : 0;
    *outcome_bits = bits;
    munmap(map, sizeof *map);
    return rc;
}
