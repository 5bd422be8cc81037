/*
 * child.h — internal (hidden symbols, not part of the ABI): the lifecycle of a child process that a
 * probe forks from a JVM thread (child.c). Every forking probe uses it: pingpong.c (process mode,
 * and through it tlb.switch), footprint.c, ipc.c, isolation.c.
 *
 *   ctxp_child_fork   the prelude: all signals blocked across the fork (the child keeps them
 *                     blocked: the handlers it inherits are the JVM's; SIGKILL still ends it),
 *                     _Fork (or fork), PR_SET_PDEATHSIG(SIGKILL) and a getppid check in the child,
 *                     then the body, whose return value is the exit status (_exit);
 *   ctxp_child_reap   wait until a deadline (on the pidfd where there is one), SIGKILL after it;
 *   ctxp_child_kill   kill on abort: SIGKILL and reap;
 *   ctxp_child_watch  the partner watch: a thread that sleeps on the child's pidfd and calls back
 *                     the moment the child ends (not reaped: waitid WNOWAIT), so a side waiting on
 *                     a dead partner is aborted at once instead of at the caller's deadline.
 */
#ifndef CTXPROBE_CHILD_H
#define CTXPROBE_CHILD_H

#include <pthread.h>
#include <stdint.h>
#include <sys/types.h>

#include "fiber_switch.h"   /* CTXP_HIDDEN */

/* ctxp_child_fork flags */
#define CTXP_CHILD_PIDFD     1  /* open a pidfd: reap sleeps on it, a watch can start */
#define CTXP_CHILD_LIBC_FORK 2  /* glibc fork() instead of _Fork(): the child will call
                                   pthread_create or malloc (fork resets their locks)  */

/* Exit status of a child whose prelude failed (PDEATHSIG refused, or the parent already gone). */
#define CTXP_CHILD_EXIT_ORPHAN 2

/* ctxp_child_reap deadline meaning "no deadline": a blocking waitpid. */
#define CTXP_NO_DEADLINE INT64_MAX

/* How a child ended, as the watch or the reap saw it. */
struct ctxp_child_end {
    int32_t ended;       /* 0 while it runs */
    int32_t signal;      /* the signal that killed it, 0 if it exited */
    int32_t exit_code;   /* its exit status, -1 if killed */
};

struct ctxp_child {
    pid_t   pid;         /* 0: none (never forked, or reaped) */
    int     pidfd;       /* -1: none */
    int64_t reaped_ns;   /* CLOCK_MONOTONIC right after the reaping waitpid returned */
};

/* Forks a child that runs body(arg) and _exits with its return value (never returns into the
 * caller). Parent: 0 with c filled, or -errno. */
CTXP_HIDDEN int ctxp_child_fork(struct ctxp_child *c, int flags, int (*body)(void *arg), void *arg);

/* Waits for the child until deadline_ns (CLOCK_MONOTONIC; CTXP_NO_DEADLINE: blocking), then SIGKILL
 * and reaps. 0 (it ended by itself), -ETIMEDOUT (killed at the deadline), -ECHILD (no child), or the
 * -errno of waitpid (reaped elsewhere). *status (may be NULL) is the wait status when it was reaped
 * here. The pidfd is closed and c->pid cleared in every case but -ECHILD. */
CTXP_HIDDEN int ctxp_child_reap(struct ctxp_child *c, int64_t deadline_ns, int *status);

/* 0 for a child that exited 0, -EPIPE for any other wait status. */
CTXP_HIDDEN int ctxp_child_status_ok(int status);

/* SIGKILL, then reap (blocking); nothing if there is no child (pid 0: a zeroed struct is safe).
 * For teardown paths. */
CTXP_HIDDEN void ctxp_child_kill(struct ctxp_child *c);

/* The partner watch: one thread per watched child (all signals blocked, named "ctxp-watch"). */
struct ctxp_watch {
    pthread_t thread;
    int       running;
    int       stop_fd;                     /* eventfd: stop asks the thread to leave */
    int       pidfd;                       /* the child's (borrowed, not closed here) */
    pid_t     pid;
    void    (*on_end)(void *arg, const struct ctxp_child_end *end);
    void     *arg;
    struct ctxp_child_end end;             /* filled before on_end runs */
};

/* Starts watching c (forked with CTXP_CHILD_PIDFD). on_end runs once, on the watch thread, as soon
 * as the child has ended (it is not reaped: ctxp_child_reap still does that). 0 or -errno (-ENOSYS:
 * no pidfd on this kernel; the caller's deadline is then the only guard). */
CTXP_HIDDEN int ctxp_child_watch(struct ctxp_watch *w, const struct ctxp_child *c,
                                 void (*on_end)(void *arg, const struct ctxp_child_end *end),
                                 void *arg);
/* Stops and joins the watch thread (before reaping the child); nothing if it is not running. */
CTXP_HIDDEN void ctxp_child_unwatch(struct ctxp_watch *w);

#endif /* CTXPROBE_CHILD_H */
