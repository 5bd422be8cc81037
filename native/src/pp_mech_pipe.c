/*
 * pp_mech_pipe.c — mechanism pipe: one pipe per direction. Handing the token over is a 1-byte
 * write into the other side's pipe; waiting is a blocking 1-byte read from one's own.
 *
 * mfd[2*s] is the read end side s waits on, mfd[2*s+1] the write end the other side writes to
 * (O_NONBLOCK: at most a few bytes are ever queued, and the abort kick must never block).
 * Abort: the kick writes one byte into both pipes after the flag is set; a waiter checks the flag
 * after every read, so a blocked read returns and the side leaves with -ECANCELED.
 * The fds are O_CLOEXEC, created in _new2 and closed in _free (a forked child's copies close with
 * its exit).
 */
#define _GNU_SOURCE
#include <fcntl.h>

#include "pp_internal.h"

static void pipe_fini(struct ctxprobe_pingpong *pp)
{
    for (int i = 0; i < 4; i++) {
        if (pp->mfd[i] >= 0)
            close(pp->mfd[i]);
        pp->mfd[i] = -1;
    }
}

static int pipe_init(struct ctxprobe_pingpong *pp)
{
    for (int s = 0; s < 2; s++) {
        int p[2];
        if (pipe2(p, O_CLOEXEC) != 0) {
            int rc = -errno;
            pipe_fini(pp);
            return rc;
        }
        pp->mfd[2 * s] = p[0];
        pp->mfd[2 * s + 1] = p[1];
        if (fcntl(p[1], F_SETFL, O_NONBLOCK) != 0) {
            int rc = -errno;
            pipe_fini(pp);
            return rc;
        }
    }
    return 0;
}

static inline int read_byte(int fd)
{
    char c;
    for (;;) {
        ssize_t n = read(fd, &c, 1);
        if (n == 1)
            return 0;
        if (n == 0)
            return -EPIPE;
        if (errno != EINTR)
            return -errno;
    }
}

static inline int write_byte(int fd)
{
    const char c = 0;
    for (;;) {
        ssize_t n = write(fd, &c, 1);
        if (n == 1)
            return 0;
        if (n >= 0 || errno != EINTR)
            return n >= 0 ? -EIO : -errno;
    }
}

static int pipe_wait(struct ctxprobe_pingpong *pp, int side)
{
    int rc = read_byte(pp->mfd[2 * side]);
    if (rc)
        return rc;
    if (atomic_load_explicit(&pp->abort_flag, memory_order_seq_cst))
        return -ECANCELED;
    return 0;
}

static int pipe_wake(struct ctxprobe_pingpong *pp, int side)
{
    return write_byte(pp->mfd[2 * (1 - side) + 1]);
}

static void pipe_kick(struct ctxprobe_pingpong *pp)
{
    for (int s = 0; s < 2; s++)
        if (pp->mfd[2 * s + 1] >= 0)
            (void)write_byte(pp->mfd[2 * s + 1]);   /* EAGAIN: bytes already queued, enough */
}

/* One op: write a byte into side 0's pipe and read it back. */
static int pipe_solo(struct ctxprobe_pingpong *pp, int64_t ops)
{
    for (int64_t i = 0; i < ops; i++) {
        int rc = write_byte(pp->mfd[1]);
        if (rc == 0)
            rc = read_byte(pp->mfd[0]);
        if (rc)
            return rc;
    }
    return 0;
}

const struct pp_mech ctxp_mech_pipe = {
    .id = CTXPROBE_MECH_PIPE, .name = "pipe",
    .init = pipe_init, .wait = pipe_wait, .wake = pipe_wake,
    .kick = pipe_kick, .fini = pipe_fini, .solo = pipe_solo,
};
