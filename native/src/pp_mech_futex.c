/*
 * pp_mech_futex.c — mechanism futex: FUTEX_WAIT / FUTEX_WAKE on one word (private futex for
 * threads, shared in process mode: pp_futex applies the flag).
 *
 * The token waits carry no timeout (a timed FUTEX_WAIT arms an hrtimer on every wait, a cost the
 * plain ping-pong does not pay). Abort: the kick moves the word to TOKEN_ABORT, a value neither side
 * waits on, and wakes every waiter; a side that writes 0 or 1 afterwards checks the flag before its
 * next sleep, and the kernel compares the word under the futex lock, so no side sleeps after abort.
 */
#define _GNU_SOURCE
#include "pp_internal.h"

static int futex_init(struct ctxprobe_pingpong *pp)
{
    atomic_store(&pp->word, 0);
    return 0;
}

static int futex_wait_token(struct ctxprobe_pingpong *pp, int side)
{
    return pp_wait_while(pp, &pp->word, pp_busy(side), NULL);
}

static int futex_wake_token(struct ctxprobe_pingpong *pp, int side)
{
    atomic_store_explicit(&pp->word, pp_busy(side), memory_order_release);
    if (pp_futex(pp, &pp->word, FUTEX_WAKE, 1, NULL) < 0)
        return -errno;
    return 0;
}

static void futex_kick(struct ctxprobe_pingpong *pp)
{
    atomic_store_explicit(&pp->word, TOKEN_ABORT, memory_order_seq_cst);
    pp_futex_wake_all(pp, &pp->word);
}

/* One op: a FUTEX_WAKE with no waiter, then a FUTEX_WAIT that finds the word changed (EAGAIN). */
static int futex_solo(struct ctxprobe_pingpong *pp, int64_t ops)
{
    uint32_t stale = atomic_load(&pp->word) + 1;
    for (int64_t i = 0; i < ops; i++) {
        if (pp_futex(pp, &pp->word, FUTEX_WAKE, 1, NULL) < 0)
            return -errno;
        if (pp_futex(pp, &pp->word, FUTEX_WAIT, stale, NULL) == 0)
            return -EPROTO;                  /* cannot happen: nobody changes the word */
        if (errno != EAGAIN)
            return -errno;
    }
    return 0;
}

const struct pp_mech ctxp_mech_futex = {
    .id = CTXPROBE_MECH_FUTEX, .name = "futex",
    .init = futex_init, .wait = futex_wait_token, .wake = futex_wake_token,
    .kick = futex_kick, .fini = NULL, .solo = futex_solo,
};
