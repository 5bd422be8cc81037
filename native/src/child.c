/*
 * child.c — the child lifecycle of every forking probe (see child.h): fork prelude, reap by
 * deadline, kill on abort, and the partner watch.
 *
 * The watch: a thread (not a SIGCHLD handler: the process's signal handlers are the JVM's) that
 * polls the child's pidfd together with an eventfd that stops it. A pidfd becomes readable when the
 * child ends; waitid(P_PIDFD, WNOWAIT) then reads how without reaping it, so the owner's reap (with
 * its own deadline and verdict) stays the one place that collects the child.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "batch.h"
#include "child.h"

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

int ctxp_child_fork(struct ctxp_child *c, int flags, int (*body)(void *arg), void *arg)
{
    c->pid = 0;
    c->pidfd = -1;
    c->reaped_ns = 0;
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pid_t parent = getpid();
    pid_t pid = (flags & CTXP_CHILD_LIBC_FORK) ? fork() : _Fork();   /* _Fork: no atfork handlers */
    if (pid == 0) {
        /* PDEATHSIG fires when the creating *thread* exits; getppid catches a parent that died
         * before it was armed. Async-signal-safe calls only from here on. */
        if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0 || getppid() != parent)
            _exit(CTXP_CHILD_EXIT_ORPHAN);
        _exit(body(arg));
    }
    int err = errno;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (pid < 0)
        return -err;
    c->pid = pid;
    if (flags & CTXP_CHILD_PIDFD)
        c->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);   /* -1 before Linux 5.3: naps instead */
    return 0;
}

static void close_pidfd(struct ctxp_child *c)
{
    if (c->pidfd >= 0)
        close(c->pidfd);
    c->pidfd = -1;
}

static void reaped(struct ctxp_child *c)
{
    c->reaped_ns = batch_clock_ns(CLOCK_MONOTONIC);
    c->pid = 0;
    close_pidfd(c);
}

static void kill_and_reap(struct ctxp_child *c, int *status)
{
    kill(c->pid, SIGKILL);
    while (waitpid(c->pid, status, 0) < 0 && errno == EINTR)
        ;
    reaped(c);
}

/* Sleeps until the child may have ended or `left_ns` passed: on the pidfd (woken by the exit at
 * once), else a nap that doubles from 20 us up to 5 ms. */
static void doze(const struct ctxp_child *c, int64_t left_ns, long *nap)
{
    if (c->pidfd >= 0) {
        struct pollfd p = { .fd = c->pidfd, .events = POLLIN };
        int64_t ms = left_ns / 1000000 + 1;
        poll(&p, 1, ms > 1000 ? 1000 : (int)ms);
        return;
    }
    struct timespec ts = { 0, *nap };
    nanosleep(&ts, NULL);
    if (*nap < 5000000)
        *nap *= 2;
}

int ctxp_child_reap(struct ctxp_child *c, int64_t deadline_ns, int *status)
{
    int st = 0;
    if (c->pid <= 0)
        return -ECHILD;
    if (deadline_ns == CTXP_NO_DEADLINE) {
        pid_t r;
        while ((r = waitpid(c->pid, &st, 0)) < 0 && errno == EINTR)
            ;
        int rc = r == c->pid ? 0 : -errno;
        reaped(c);
        if (status)
            *status = st;
        return rc;
    }
    long nap = 20000;
    for (;;) {
        pid_t r = waitpid(c->pid, &st, WNOHANG);
        if (r == c->pid)
            break;
        if (r < 0 && errno != EINTR) {
            int rc = -errno;
            reaped(c);
            return rc;
        }
        int64_t left = deadline_ns - batch_clock_ns(CLOCK_MONOTONIC);
        if (r == 0 && left <= 0) {
            kill_and_reap(c, &st);
            if (status)
                *status = st;
            return -ETIMEDOUT;
        }
        doze(c, left, &nap);
    }
    reaped(c);
    if (status)
        *status = st;
    return 0;
}

int ctxp_child_status_ok(int status)
{
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -EPIPE;
}

void ctxp_child_kill(struct ctxp_child *c)
{
    int st;
    if (c->pid > 0)
        kill_and_reap(c, &st);      /* closes the pidfd; a never-forked struct is not touched */
}

/* ---- the partner watch ---------------------------------------------------------------------- */

static void *watch_main(void *arg)
{
    struct ctxp_watch *w = arg;
    prctl(PR_SET_NAME, "ctxp-watch", 0, 0, 0);
    struct pollfd p[2] = { { .fd = w->pidfd, .events = POLLIN }, { .fd = w->stop_fd, .events = POLLIN } };
    for (;;) {
        if (poll(p, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            return NULL;
        }
        if (p[1].revents)
            return NULL;                                  /* stopped: the owner reaps */
        if (p[0].revents)
            break;
    }
    siginfo_t si = { 0 };
    if (waitid((idtype_t)P_PIDFD, (id_t)w->pidfd, &si, WEXITED | WNOWAIT) != 0 &&
        waitid(P_PID, (id_t)w->pid, &si, WEXITED | WNOWAIT) != 0)
        return NULL;
    w->end.ended = 1;
    w->end.signal = si.si_code == CLD_EXITED ? 0 : si.si_status;
    w->end.exit_code = si.si_code == CLD_EXITED ? si.si_status : -1;
    w->on_end(w->arg, &w->end);
    return NULL;
}

int ctxp_child_watch(struct ctxp_watch *w, const struct ctxp_child *c,
                     void (*on_end)(void *arg, const struct ctxp_child_end *end), void *arg)
{
    w->running = 0;
    w->end = (struct ctxp_child_end){ 0, 0, 0 };
    if (c->pid <= 0 || c->pidfd < 0)
        return c->pid <= 0 ? -ECHILD : -ENOSYS;
    w->stop_fd = eventfd(0, EFD_CLOEXEC);
    if (w->stop_fd < 0)
        return -errno;
    w->pidfd = c->pidfd;
    w->pid = c->pid;
    w->on_end = on_end;
    w->arg = arg;
    /* A thread the JVM does not know must never run its handlers: every signal blocked. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int rc = pthread_create(&w->thread, NULL, watch_main, w);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0) {
        close(w->stop_fd);
        return -rc;
    }
    w->running = 1;
    return 0;
}

void ctxp_child_unwatch(struct ctxp_watch *w)
{
    if (!w->running)
        return;
    uint64_t one = 1;
    while (write(w->stop_fd, &one, sizeof one) < 0 && errno == EINTR)
        ;
    pthread_join(w->thread, NULL);
    close(w->stop_fd);
    w->running = 0;
}
