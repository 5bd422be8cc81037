/*
 * pp_mech_eventfd.c — mechanism eventfd: one eventfd per direction (counter semantics, blocking).
 * Handing the token over writes 1 into the other side's eventfd; waiting reads 8 bytes from one's
 * own (the read returns the counter and resets it to 0).
 *
 * mfd[s] is the eventfd side s waits on. Abort: the kick writes 1 into both after the flag is set;
 * a waiter checks the flag after every read. O_CLOEXEC, created in _new2, closed in _free.
 */
#define _GNU_SOURCE
#include <sys/eventfd.h>

#include "pp_internal.h"

static void efd_fini(struct ctxprobe_pingpong *pp)
{
    for (int s = 0; s < 2; s++) {
        if (pp->mfd[s] >= 0)
            close(pp->mfd[s]);
        pp->mfd[s] = -1;
    }
}

static int efd_init(struct ctxprobe_pingpong *pp)
{
    for (int s = 0; s < 2; s++) {
        pp->mfd[s] = eventfd(0, EFD_CLOEXEC);
        if (pp->mfd[s] < 0) {
            int rc = -errno;
            efd_fini(pp);
            return rc;
        }
    }
    return 0;
}

static inline int efd_read(int fd)
{
    uint64_t v;
    for (;;) {
        ssize_t n = read(fd, &v, sizeof v);
        if (n == (ssize_t)sizeof v)
            return 0;
        if (n >= 0 || errno != EINTR)
            return n >= 0 ? -EIO : -errno;
    }
}

static inline int efd_write(int fd)
{
    const uint64_t one = 1;
    for (;;) {
        ssize_t n = write(fd, &one, sizeof one);
        if (n == (ssize_t)sizeof one)
            return 0;
        if (n >= 0 || errno != EINTR)
            return n >= 0 ? -EIO : -errno;
    }
}

static int efd_wait(struct ctxprobe_pingpong *pp, int side)
{
    int rc = efd_read(pp->mfd[side]);
    if (rc)
        return rc;
    if (atomic_load_explicit(&pp->abort_flag, memory_order_seq_cst))
        return -ECANCELED;
    return 0;
}

static int efd_wake(struct ctxprobe_pingpong *pp, int side)
{
    return efd_write(pp->mfd[1 - side]);
}

static void efd_kick(struct ctxprobe_pingpong *pp)
{
    for (int s = 0; s < 2; s++)
        if (pp->mfd[s] >= 0)
            (void)efd_write(pp->mfd[s]);
}

/* One op: write 1 into side 0's eventfd and read it back. */
static int efd_solo(struct ctxprobe_pingpong *pp, int64_t ops)
{
    for (int64_t i = 0; i < ops; i++) {
        int rc = efd_write(pp->mfd[0]);
        if (rc == 0)
            rc = efd_read(pp->mfd[0]);
        if (rc)
            return rc;
    }
    return 0;
}

const struct pp_mech ctxp_mech_eventfd = {
    .id = CTXPROBE_MECH_EVENTFD, .name = "eventfd",
    .init = efd_init, .wait = efd_wait, .wake = efd_wake,
    .kick = efd_kick, .fini = efd_fini, .solo = efd_solo,
};
