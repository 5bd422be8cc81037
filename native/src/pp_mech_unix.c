/*
 * pp_mech_unix.c — mechanism unix: one socketpair(AF_UNIX, SOCK_STREAM) between the sides (ipc.latency).
 * Handing the token over is a 1-byte send on one's own end (it arrives at the other side's end);
 * waiting is a blocking 1-byte recv on one's own end.
 *
 * mfd[s] is side s's end. Sends use MSG_DONTWAIT (at most a few bytes are ever queued, and the abort
 * kick must never block) and MSG_NOSIGNAL (a peer that is gone is -EPIPE, not a SIGPIPE into the
 * JVM); receives block. Abort: the kick sends one byte from both ends after the flag is set; a
 * waiter checks the flag after every receive, so a blocked recv returns and the side leaves with
 * -ECANCELED. The fds are SOCK_CLOEXEC, created in _new2 and closed in _free (a forked child's
 * copies close with its exit). Modelled on pp_mech_pipe.c.
 */
#define _GNU_SOURCE
#include <sys/socket.h>

#include "pp_internal.h"

static void unix_fini(struct ctxprobe_pingpong *pp)
{
    for (int i = 0; i < 2; i++) {
        if (pp->mfd[i] >= 0)
            close(pp->mfd[i]);
        pp->mfd[i] = -1;
    }
}

static int unix_init(struct ctxprobe_pingpong *pp)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        return -errno;
    pp->mfd[0] = sv[0];
    pp->mfd[1] = sv[1];
    return 0;
}

static inline int recv_byte(int fd)
{
    char c;
    for (;;) {
        ssize_t n = recv(fd, &c, 1, 0);
        if (n == 1)
            return 0;
        if (n == 0)
            return -EPIPE;
        if (errno != EINTR)
            return -errno;
    }
}

static inline int send_byte(int fd)
{
    const char c = 0;
    for (;;) {
        ssize_t n = send(fd, &c, 1, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n == 1)
            return 0;
        if (n >= 0 || errno != EINTR)
            return n >= 0 ? -EIO : -errno;
    }
}

static int unix_wait(struct ctxprobe_pingpong *pp, int side)
{
    int rc = recv_byte(pp->mfd[side]);
    if (rc)
        return rc;
    if (atomic_load_explicit(&pp->abort_flag, memory_order_seq_cst))
        return -ECANCELED;
    return 0;
}

static int unix_wake(struct ctxprobe_pingpong *pp, int side)
{
    return send_byte(pp->mfd[side]);      /* arrives at the other side's end */
}

static void unix_kick(struct ctxprobe_pingpong *pp)
{
    for (int s = 0; s < 2; s++)
        if (pp->mfd[s] >= 0)
            (void)send_byte(pp->mfd[s]);   /* EAGAIN: bytes already queued, enough */
}

/* One op: send a byte from side 0's end and receive it on side 1's end. */
static int unix_solo(struct ctxprobe_pingpong *pp, int64_t ops)
{
    for (int64_t i = 0; i < ops; i++) {
        int rc = send_byte(pp->mfd[0]);
        if (rc == 0)
            rc = recv_byte(pp->mfd[1]);
        if (rc)
            return rc;
    }
    return 0;
}

const struct pp_mech ctxp_mech_unix = {
    .id = CTXPROBE_MECH_UNIX, .name = "unix",
    .init = unix_init, .wait = unix_wait, .wake = unix_wake,
    .kick = unix_kick, .fini = unix_fini, .solo = unix_solo,
};
