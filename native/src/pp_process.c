/*
 * pp_process.c — the ping-pong object's process mode (CTXPROBE_PP_PROCESS): a side forked through
 * child.c instead of a thread, its partner watch, its reap, and the perf counter fds it gets.
 *
 * The object and its samples are one MAP_SHARED mapping, futexes are shared. The forked child runs
 * the same side body as a thread, with all signals blocked (the parent's handlers are the JVM's),
 * only async-signal-safe calls, and leaves with _exit. Perf counter fds handed over with
 * _set_counter_fd exist only in the parent: go() passes them to a forked side over a socketpair
 * (SCM_RIGHTS), which the child reads once it sees go.
 *
 * The watch (child.c) notices the child's end the moment it happens: a child that died or failed
 * fails the object with -EPIPE, which wakes the side still waiting on it (untimed futex waits
 * included) instead of leaving it to the caller's deadline.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pp_internal.h"
#include "batch.h"

struct fork_arg {
    struct pp_side *s;
    int sock;
    int (*body)(struct pp_side *s, int sock);
};

/* In the child: async-signal-safe calls only. 0 for a completed or aborted run, 1 for a failure
 * of its own (recorded in the shared object first). */
static int child_body(void *arg)
{
    struct fork_arg *a = arg;
    int rc = a->body(a->s, a->sock);
    return rc == 0 || rc == -ECANCELED ? 0 : 1;
}

/* On the watch thread, the moment the child ended. */
static void on_child_end(void *arg, const struct ctxp_child_end *end)
{
    struct pp_side *s = arg;
    s->end.signal = end->signal;
    s->end.exit_code = end->exit_code;
    __atomic_store_n(&s->end.ended, 1, __ATOMIC_RELEASE);    /* _child_end may read it meanwhile */
    if (end->signal != 0 || end->exit_code != 0)
        pp_fail(s->pp, -EPIPE);      /* first error wins; wakes the side waiting on the dead one */
}

static void close_sock(struct pp_side *s)
{
    if (s->sock >= 0)
        close(s->sock);
    s->sock = -1;
}

int32_t pp_fork_side(struct ctxprobe_pingpong *pp, int32_t side,
                     int (*body)(struct pp_side *s, int sock))
{
    struct pp_side *s = &pp->side[side];
    if (s->forked || atomic_load(&s->tid) != 0)
        return -EBUSY;                                  /* this side already runs somewhere */
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
        return -errno;
    struct fork_arg a = { s, sv[1], body };
    int rc = ctxp_child_fork(&s->child, CTXP_CHILD_PIDFD, child_body, &a);
    close(sv[1]);
    if (rc) {
        close(sv[0]);
        return rc;
    }
    s->forked = 1;
    s->sock = sv[0];
    s->end = (struct ctxp_child_end){ 0, 0, 0 };
    rc = ctxp_child_watch(&s->watch, &s->child, on_child_end, s);
    if (rc && rc != -ENOSYS) {                          /* no pidfd: the deadline still guards */
        pp_release_child(s);
        return rc;
    }
    return s->child.pid;
}

int32_t ctxprobe_pingpong_fork(ctxprobe_pingpong *pp, int32_t side)
{
    if (!pp || (side != 0 && side != 1) || !(pp->flags & CTXPROBE_PP_PROCESS))
        return -EINVAL;
    return pp_fork_side(pp, side, pp_side_body);
}

int32_t ctxprobe_pingpong_reap(ctxprobe_pingpong *pp, int32_t side, int64_t timeout_ms)
{
    if (!pp || (side != 0 && side != 1) || timeout_ms < 0)
        return -EINVAL;
    struct pp_side *s = &pp->side[side];
    if (s->child.pid <= 0)
        return -ECHILD;
    ctxp_child_unwatch(&s->watch);
    int status = 0;
    int rc = ctxp_child_reap(&s->child, batch_clock_ns(CLOCK_MONOTONIC) + timeout_ms * 1000000,
                             &status);
    close_sock(s);
    if (rc != 0 && rc != -ETIMEDOUT)
        return rc;                                      /* reaped elsewhere: nothing to report */
    if (!s->end.ended)
        s->end = (struct ctxp_child_end){ 1, WIFSIGNALED(status) ? WTERMSIG(status) : 0,
                                          WIFEXITED(status) ? WEXITSTATUS(status) : -1 };
    if (rc == 0 && ctxp_child_status_ok(status) == 0)
        return 0;
    pp_fail(pp, -EPIPE);              /* records -EPIPE (first error wins), releases the other side */
    return rc == -ETIMEDOUT ? -ETIMEDOUT : -EPIPE;
}

int32_t ctxprobe_pingpong_child_end(ctxprobe_pingpong *pp, int32_t side, int32_t *signal,
                                    int32_t *exit_code)
{
    if (!pp || (side != 0 && side != 1) || !signal || !exit_code)
        return -EINVAL;
    struct pp_side *s = &pp->side[side];
    if (!s->forked || !__atomic_load_n(&s->end.ended, __ATOMIC_ACQUIRE))
        return -ENODATA;
    *signal = s->end.signal;
    *exit_code = s->end.exit_code;
    return 0;
}

void pp_release_child(struct pp_side *s)
{
    ctxp_child_unwatch(&s->watch);
    ctxp_child_kill(&s->child);
    close_sock(s);
}

/* A forked side's counter fds: the message go() sent (slot numbers as data, fds as SCM_RIGHTS).
 * Non-blocking: go() sends before it sets go, so the message is there or was never sent. */
void pp_recv_counter_fds(int sock, int32_t fds[CTXPROBE_COUNTER_SLOTS])
{
    int32_t slots[CTXPROBE_COUNTER_SLOTS];
    union {
        struct cmsghdr h;
        char buf[CMSG_SPACE(sizeof(int) * CTXPROBE_COUNTER_SLOTS)];
    } u;
    struct iovec iov = { slots, sizeof slots };
    struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
                         .msg_control = u.buf, .msg_controllen = sizeof u.buf };
    if (recvmsg(sock, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC) != (ssize_t)sizeof slots)
        return;
    struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
    if (!c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
        return;
    int got[CTXPROBE_COUNTER_SLOTS];
    size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    if (n > CTXPROBE_COUNTER_SLOTS)
        n = CTXPROBE_COUNTER_SLOTS;
    memcpy(got, CMSG_DATA(c), n * sizeof(int));
    for (size_t i = 0; i < n; i++) {
        if (slots[i] >= 0 && slots[i] < CTXPROBE_COUNTER_SLOTS && fds[slots[i]] < 0)
            fds[slots[i]] = got[i];
        else
            close(got[i]);
    }
}


/* A forked side's counter fds travel to the child as SCM_RIGHTS, slot numbers as data. A failed
 * send leaves that child without counters (its deltas read -1), as a failed read would. */
void pp_send_counter_fds(struct pp_side *s)
{
    int32_t slots[CTXPROBE_COUNTER_SLOTS];
    int fds[CTXPROBE_COUNTER_SLOTS];
    size_t n = 0;
    for (int k = 0; k < CTXPROBE_COUNTER_SLOTS; k++) {
        slots[k] = -1;
        if (s->counter_fd[k] >= 0) {
            fds[n] = s->counter_fd[k];
            slots[n++] = k;
        }
    }
    if (n == 0)
        return;
    union {
        struct cmsghdr h;
        char buf[CMSG_SPACE(sizeof(int) * CTXPROBE_COUNTER_SLOTS)];
    } u;
    memset(&u, 0, sizeof u);
    struct iovec iov = { slots, sizeof slots };
    struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
                         .msg_control = u.buf, .msg_controllen = CMSG_SPACE(n * sizeof(int)) };
    struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(n * sizeof(int));
    memcpy(CMSG_DATA(c), fds, n * sizeof(int));
    (void)sendmsg(s->sock, &mh, MSG_NOSIGNAL);
}

