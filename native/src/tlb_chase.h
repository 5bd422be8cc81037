/*
 * tlb_chase.h — internal to tlb_*.c: a working set laid out for a TLB pointer chase (tlb_chase.c).
 * Not part of the ABI.
 */
#ifndef CTXPROBE_TLB_CHASE_H
#define CTXPROBE_TLB_CHASE_H

#include <stddef.h>
#include <stdint.h>

#include "fiber_switch.h"   /* CTXP_HIDDEN */

#define TLB_PAGE   4096
#define TLB_LINE   64
#define TLB_HUGE   (2u << 20)

/* One mapping holding `lines` cache lines; each line's first word points to the next line of one
 * random cycle through all of them. */
struct tlb_chase {
    void   *map;       /* what munmap takes */
    size_t  map_len;
    void  **head;      /* the line the cycle starts from */
    int64_t lines;
    int32_t layout;
};

/* Maps (per layout), lays out and writes every line. 0 or -errno (-EINVAL, -ENOMEM). */
CTXP_HIDDEN int tlb_chase_build(struct tlb_chase *c, int32_t layout, int64_t lines);
/* Unmaps; safe on a zeroed or freed chase. */
CTXP_HIDDEN void tlb_chase_free(struct tlb_chase *c);
/* AnonHugePages (or, for hugetlbfs, the mapping's size) in KiB from /proc/self/smaps; -1 if unread. */
CTXP_HIDDEN int64_t tlb_chase_huge_kib(const struct tlb_chase *c);

/* `n` dependent loads from *p; returns where the chase stopped (keeps the loads alive). */
static inline void **tlb_chase_walk(void **p, int64_t n)
{
    for (int64_t i = 0; i < n; i++) {
        p = (void **)*p;
        __asm__ volatile("" : "+r"(p));
    }
    return p;
}

#endif /* CTXPROBE_TLB_CHASE_H */
