/*
 * thread_create.c — thread.create: create a kernel thread, let it run, join it. Kinds:
 *   pthread:   pthread_create of an empty body + pthread_join (glibc: its stack cache, TLS setup,
 *              the clone, the thread's exit path, the join futex);
 *   clone-raw: the bare kernel cost: clone(CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|
 *              CLONE_THREAD|CLONE_SYSVSEM|CLONE_CHILD_CLEARTID|CLONE_PARENT_SETTID) on one mmap'd
 *              stack (reused: the previous thread is gone before the next starts), the child runs
 *              two instructions of assembly (clone_x86_64_sysv_elf_gas.S) and SYS_exits, the parent
 *              futex-waits on the CLONE_CHILD_CLEARTID word, as pthread_join does.
 * Every thread is joined before the next is created and before the run returns.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ctxprobe/create.h"
#include "batch.h"
#include "fiber_switch.h"

#define CLONE_STACK_SIZE (16 * 1024)   /* usable bytes; the child never touches it, but owns it */

CTXP_HIDDEN long ctxp_clone_thread(unsigned long flags, void *stack_top, int *parent_tid,
                                   int *child_tid, int *ran);

static const unsigned long raw_thread_flags =
    CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM |
    CLONE_CHILD_CLEARTID | CLONE_PARENT_SETTID;

static void *empty_body(void *arg)
{
    return arg;
}

/* Waits until the kernel has cleared *tid (the thread is gone). The wake for CLONE_CHILD_CLEARTID
 * is a shared futex wake, so the wait is not FUTEX_PRIVATE (glibc's join does the same). */
static int join_cleartid(_Atomic int *tid)
{
    for (;;) {
        int v = atomic_load(tid);
        if (v == 0)
            return 0;
        if (syscall(SYS_futex, (int *)tid, FUTEX_WAIT, v, NULL, NULL, 0) < 0 && errno != EAGAIN &&
            errno != EINTR)
            return -errno;
    }
}

static int clone_raw_one(void *stack_top, _Atomic int *tid, _Atomic int *ran)
{
    long r = ctxp_clone_thread(raw_thread_flags, stack_top, (int *)tid, (int *)tid, (int *)ran);
    if (r < 0)
        return (int)r;          /* -errno from the raw system call; no thread exists */
    return join_cleartid(tid);  /* PARENT_SETTID stored r in *tid before the child could run */
}

static int pthread_one(void)
{
    pthread_t t;
    int rc = pthread_create(&t, NULL, empty_body, NULL);
    if (rc)
        return -rc;
    rc = pthread_join(t, NULL);
    return -rc;
}

int32_t ctxprobe_thread_create_run(int32_t kind, int64_t warmup, int64_t batches, int64_t ops,
                                   int64_t *wall_ns, int64_t *cpu_ns)
{
    if (kind != CTXPROBE_CREATE_PTHREAD && kind != CTXPROBE_CREATE_CLONE_THREAD)
        return -EINVAL;
    int rc = batch_args_check(warmup, batches, ops, wall_ns);
    if (rc)
        return rc;

    struct ctxp_stack st = {0};
    if (kind == CTXPROBE_CREATE_CLONE_THREAD && (rc = ctxp_stack_alloc(&st, CLONE_STACK_SIZE)) != 0)
        return rc;
    _Atomic int tid = 0, ran = 0;
    int64_t created = 0;

    /* All signals blocked for the run (outside the timed batches): a raw clone child has the
     * caller's TLS and must never run a handler; the mask is inherited and kept by the child. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    for (int64_t b = -warmup; b < batches && rc == 0; b++) {
        struct batch_edge e;
        batch_begin(&e, b, cpu_ns);
        for (int64_t i = 0; i < ops; i++) {
            rc = kind == CTXPROBE_CREATE_PTHREAD ? pthread_one() : clone_raw_one(st.hi, &tid, &ran);
            if (rc)
                break;
            created++;
        }
        batch_end(&e, b, wall_ns, cpu_ns);
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    /* Every raw thread that was created has been joined (its tid word cleared), so it ran its
     * increment: a shortfall means the child path is broken. */
    if (rc == 0 && kind == CTXPROBE_CREATE_CLONE_THREAD && atomic_load(&ran) != created)
        rc = -EPROTO;
    ctxp_stack_free(&st);
    return rc;
}
