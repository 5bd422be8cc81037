/*
 * fiber_preempt.c — fiber.preempt: what preempting a user-level thread from user space costs,
 * against the same fibers yielding cooperatively, on the scheduler of preempt_sched.c.
 *
 * Two fibers on the calling thread each loop "read the switch count, stamp CLOCK_MONOTONIC". A
 * fiber that sees the switch count changed since its previous look was switched out and back in:
 * the other fiber's last stamp to its own first stamp is one gap (what a switch costs as the fibers
 * see it: for SIGNAL the timer interrupt, signal delivery, handler, switch and the sigreturn of the
 * resumed fiber; for YIELD the hand-written switch), and the other fiber's first to last stamp was
 * one turn (the slice achieved). The count is read before the clock, so a preemption between the
 * two reads only delays the detection by one iteration (about one clock read), never mixes stamps
 * from both sides of a switch. The first two switches start the fibers and are not recorded.
 */
#include "sched_gate.h"

#include <string.h>

#include "ctxprobe/sched.h"
#include "preempt_sched.h"

struct fp_run {
    int32_t mode;
    int64_t slice_ns, end_ns;
    const int32_t *abort;
    int64_t max;
    int64_t *gaps, *turns;
    int64_t ngaps, nturns;
    int64_t first_stamp;
    volatile int64_t last_stamp[PS_FIBERS];
    int64_t turn_start[PS_FIBERS];
};

static void fp_record(struct fp_run *r, int other, int64_t t)
{
    int64_t last = r->last_stamp[other];
    if (r->ngaps < r->max)
        r->gaps[r->ngaps++] = t - last;
    if (r->nturns < r->max)
        r->turns[r->nturns++] = last - r->turn_start[other];
}

static void fp_body(struct ps_sched *s, int me, void *arg)
{
    struct fp_run *r = arg;
    int other = 1 - me;
    int64_t seen = s->switches;
    r->turn_start[me] = sg_now_ns();
    if (me == 0)
        r->first_stamp = r->turn_start[me];
    for (uint32_t k = 0;; k++) {
        int64_t sw = s->switches;             /* before the clock: see the top of the file */
        int64_t t = sg_now_ns();
        if (sw != seen) {
            if (sw > 2)
                fp_record(r, other, t);
            r->turn_start[me] = t;
            seen = sw;
        }
        r->last_stamp[me] = t;
        if (t >= r->end_ns || ((k & 1023) == 0 && sg_aborted(r->abort)))
            return;                            /* ps_entry finishes the run */
        if (r->mode == CTXPROBE_PREEMPT_YIELD && t - r->turn_start[me] >= r->slice_ns)
            ps_yield(s);
    }
}

int32_t ctxprobe_sched_fiber_preempt_run(int32_t mode, int64_t slice_ns, int64_t duration_ns,
                                         int32_t max_samples, int64_t *gap_ns, int64_t *turn_ns,
                                         int64_t *out, const int32_t *abort)
{
    if ((mode != CTXPROBE_PREEMPT_SIGNAL && mode != CTXPROBE_PREEMPT_YIELD)
        || slice_ns < CTXPROBE_PREEMPT_MIN_SLICE_NS || duration_ns <= 0 || duration_ns > CTXPROBE_PREEMPT_MAX_NS
        || slice_ns > duration_ns || max_samples <= 0 || !gap_ns || !turn_ns || !out)
        return -EINVAL;
    struct fp_run r;
    memset(&r, 0, sizeof r);
    r.mode = mode;
    r.slice_ns = slice_ns;
    r.abort = abort;
    r.max = max_samples;
    r.gaps = gap_ns;
    r.turns = turn_ns;
    struct ps_sched s;
    int rc = ps_init(&s, fp_body, NULL, &r);
    if (rc)
        return rc;
    int64_t before[2], after[2];
    sg_switches(before);
    r.end_ns = sg_now_ns() + duration_ns;
    rc = ps_run(&s, mode == CTXPROBE_PREEMPT_SIGNAL ? slice_ns : 0);
    int64_t end = sg_now_ns();
    sg_switches(after);
    if (!rc) {
        out[CTXPROBE_PREEMPT_OUT_GAPS] = r.ngaps;
        out[CTXPROBE_PREEMPT_OUT_TURNS] = r.nturns;
        out[CTXPROBE_PREEMPT_OUT_SIGNALS] = s.signals;
        out[CTXPROBE_PREEMPT_OUT_SWITCHES] = s.switches;
        out[CTXPROBE_PREEMPT_OUT_ELAPSED_NS] = end - r.first_stamp;
        out[CTXPROBE_PREEMPT_OUT_SIGNO] = s.signo;
        out[CTXPROBE_PREEMPT_OUT_NVCSW] = after[0] - before[0];
        out[CTXPROBE_PREEMPT_OUT_NIVCSW] = after[1] - before[1];
    }
    ps_destroy(&s);
    return rc;
}
