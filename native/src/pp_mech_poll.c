/*
 * pp_mech_poll.c — the two polling mechanisms on the shared word (no futex):
 *   yield: look at the word, sched_yield() between looks (with both sides under SCHED_FIFO on one
 *          CPU, each yield is a switch to the other side);
 *   spin:  look at the word, a pause instruction between looks: no system call in the hot path, so
 *          no switch (cache-to-cache transfer of the word across CPUs; fiber migration).
 * Abort: the poll loops check the flag at every look, so the kick has nothing to do.
 */
#define _GNU_SOURCE
#include <sched.h>

#include "cpu_relax.h"
#include "pp_internal.h"

static int poll_init(struct ctxprobe_pingpong *pp)
{
    atomic_store(&pp->word, 0);
    return 0;
}

static int poll_wake(struct ctxprobe_pingpong *pp, int side)
{
    atomic_store_explicit(&pp->word, pp_busy(side), memory_order_release);
    return 0;
}

static void poll_kick(struct ctxprobe_pingpong *pp)
{
    (void)pp;   /* the flag, already set, is checked at every look */
}

static int yield_wait(struct ctxprobe_pingpong *pp, int side)
{
    const uint32_t busy = pp_busy(side);
    while (atomic_load_explicit(&pp->word, memory_order_acquire) == busy) {
        if (atomic_load_explicit(&pp->abort_flag, memory_order_relaxed))
            return -ECANCELED;
        sched_yield();
    }
    return 0;
}

static int spin_wait(struct ctxprobe_pingpong *pp, int side)
{
    const uint32_t busy = pp_busy(side);
    while (atomic_load_explicit(&pp->word, memory_order_acquire) == busy) {
        if (atomic_load_explicit(&pp->abort_flag, memory_order_relaxed))
            return -ECANCELED;
        ctxp_cpu_relax();
    }
    return 0;
}

/* One op: one sched_yield (the caller decides whether anything else is runnable). */
static int yield_solo(struct ctxprobe_pingpong *pp, int64_t ops)
{
    (void)pp;
    for (int64_t i = 0; i < ops; i++)
        if (sched_yield() != 0)
            return -errno;
    return 0;
}

/* One op: one look at the word and one pause, as in spin_wait's loop. */
static int spin_solo(struct ctxprobe_pingpong *pp, int64_t ops)
{
    for (int64_t i = 0; i < ops; i++) {
        uint32_t v = atomic_load_explicit(&pp->word, memory_order_acquire);
        __asm__ volatile("" : : "r"(v));     /* keep the load */
        ctxp_cpu_relax();
    }
    return 0;
}

const struct pp_mech ctxp_mech_yield = {
    .id = CTXPROBE_MECH_YIELD, .name = "yield",
    .init = poll_init, .wait = yield_wait, .wake = poll_wake,
    .kick = poll_kick, .fini = NULL, .solo = yield_solo,
};

const struct pp_mech ctxp_mech_spin = {
    .id = CTXPROBE_MECH_SPIN, .name = "spin",
    .init = poll_init, .wait = spin_wait, .wake = poll_wake,
    .kick = poll_kick, .fini = NULL, .solo = spin_solo,
};
