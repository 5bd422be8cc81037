/*
 * create.c — process.create: create a process, let it run to its first instruction (or exec the
 * tiny program), let it exit, reap it. One loop for every kind, used twice: linked into
 * libctxprobe.so (called on the JVM's runner thread: a large parent) and into the small helper
 * executable src/helper/ctxprobe-helper.c (a small parent), so both measure the same code.
 *
 * Per operation: create, the child _exits at once (or execs the tiny program, which _exits at once),
 * the parent waitpid()s it and checks it exited with status 0. So one figure holds creation, the
 * child's first run, its teardown (exit_mmap of whatever it inherited) and the reap.
 *
 * Signals: all are blocked on the calling thread for the whole run (one sigprocmask before the first
 * batch, one after the last, both outside the timed batches). A child inherits the mask, so it never
 * runs a handler it inherited (in the JVM: HotSpot's); SIGKILL still ends it. An exec'd child keeps
 * the mask too: the tiny program only _exits.
 *
 * Children do nothing but _exit (vfork children only _exit / execve), so no PR_SET_PDEATHSIG: a
 * child cannot outlive the few instructions before its _exit, and a prctl would add a system call
 * to every figure. At most one child exists at a time: each is reaped before the next is created,
 * so an error leaves nothing behind once the current one is reaped.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ctxprobe/create.h"
#include "batch.h"

/* The tiny program's arguments and (empty) environment: prepared before any vfork, so the child
 * touches nothing of its own before execve. */
struct exec_target {
    const char *path;
    char *argv[3];
    char *envp[1];
};

static int kind_needs_exec(int32_t kind)
{
    return kind == CTXPROBE_CREATE_POSIX_SPAWN || kind == CTXPROBE_CREATE_FORK_EXEC ||
           kind == CTXPROBE_CREATE_VFORK_EXEC;
}

/* Waits for pid; 0 if it exited with status 0, -ECHILD-style -errno on a wait error, -EPROTO for a
 * child that died or exited non-zero (e.g. 127: the exec failed). */
static int reap(pid_t pid)
{
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            return -errno;
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -EPROTO;
}

/* One creation of `kind`; returns the child's pid or -errno. The child branches never return. */
static pid_t create_one(int32_t kind, const struct exec_target *t)
{
    pid_t pid;
    int rc;
    switch (kind) {
    case CTXPROBE_CREATE_FORK:
        pid = _Fork();                       /* the system call; no atfork handlers run */
        if (pid == 0)
            _exit(0);
        break;
    case CTXPROBE_CREATE_VFORK:
        pid = vfork();                       /* child borrows our memory until it _exits */
        if (pid == 0)
            _exit(0);
        break;
    case CTXPROBE_CREATE_CLONE:
        /* Raw clone, SIGCHLD only (no CLONE_VM): a fork without libc's wrapper; returns 0 in the
         * child like fork. */
        pid = (pid_t)syscall(SYS_clone, (unsigned long)SIGCHLD, 0UL, 0UL, 0UL, 0UL);
        if (pid == 0)
            _exit(0);
        break;
    case CTXPROBE_CREATE_POSIX_SPAWN:
        rc = posix_spawn(&pid, t->path, NULL, NULL, t->argv, t->envp);
        return rc == 0 ? pid : -rc;          /* posix_spawn returns the error number */
    case CTXPROBE_CREATE_FORK_EXEC:
        pid = _Fork();
        if (pid == 0) {
            execve(t->path, t->argv, t->envp);
            _exit(127);
        }
        break;
    case CTXPROBE_CREATE_VFORK_EXEC:
        pid = vfork();
        if (pid == 0) {
            execve(t->path, t->argv, t->envp);
            _exit(127);
        }
        break;
    default:
        return -EINVAL;
    }
    return pid < 0 ? -errno : pid;
}

int32_t ctxprobe_process_create_run(int32_t kind, const char *exec_path, int64_t warmup,
                                    int64_t batches, int64_t ops, int64_t *wall_ns, int64_t *cpu_ns)
{
    if (kind < CTXPROBE_CREATE_FORK || kind > CTXPROBE_CREATE_VFORK_EXEC)
        return -EINVAL;
    if (kind_needs_exec(kind) && (exec_path == NULL || exec_path[0] == '\0'))
        return -EINVAL;
    int rc = batch_args_check(warmup, batches, ops, wall_ns);
    if (rc)
        return rc;

    struct exec_target t = {
        .path = exec_path,
        .argv = { (char *)exec_path, (char *)"exit", NULL },
        .envp = { NULL },
    };
    sigset_t all, old;
    sigfillset(&all);
    sigprocmask(SIG_SETMASK, &all, &old);
    for (int64_t b = -warmup; b < batches && rc == 0; b++) {
        struct batch_edge e;
        batch_begin(&e, b, cpu_ns);
        for (int64_t i = 0; i < ops; i++) {
            pid_t pid = create_one(kind, &t);
            if (pid < 0) {
                rc = pid;
                break;
            }
            if ((rc = reap(pid)) != 0)       /* reaped (or gone) even when it failed */
                break;
        }
        batch_end(&e, b, wall_ns, cpu_ns);
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    return rc;
}
