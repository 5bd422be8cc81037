/*
 * tlb_reach.c — tlb.reach: a dependent pointer chase over N lines laid out one per page (sparse) or
 * contiguous (packed). Sparse minus packed at the same N is what the TLB adds; the N where it steps
 * up is a TLB level's reach. No system call and no clock read inside a batch.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "ctxprobe/tlb.h"
#include "batch.h"
#include "tlb_chase.h"

int32_t ctxprobe_tlb_reach_run(int32_t layout, int64_t pages, int64_t warmup, int64_t batches,
                               int64_t ops, int64_t *wall_ns, int64_t *huge_kib)
{
    int rc = batch_args_check(warmup, batches, ops, wall_ns);
    if (rc)
        return rc;
    struct tlb_chase c;
    rc = tlb_chase_build(&c, layout, pages);
    if (rc)
        return rc;
    if (huge_kib)
        *huge_kib = layout == CTXPROBE_TLB_PACKED || layout == CTXPROBE_TLB_SPARSE_4K
                        ? 0 : tlb_chase_huge_kib(&c);

    void **p = tlb_chase_walk(c.head, c.lines);           /* one full cycle: caches and TLB warm */
    for (int64_t b = -warmup; b < batches; b++) {
        struct batch_edge e;
        batch_begin(&e, b, NULL);
        p = tlb_chase_walk(p, ops);
        batch_end(&e, b, wall_ns, NULL);
    }
    __asm__ volatile("" : : "r"(p));
    tlb_chase_free(&c);
    return 0;
}

int64_t ctxprobe_tlb_reach_verify(int32_t layout, int64_t pages)
{
    struct tlb_chase c;
    int rc = tlb_chase_build(&c, layout, pages);
    if (rc)
        return rc;
    uint8_t *seen = calloc((size_t)pages, 1);
    if (!seen) {
        tlb_chase_free(&c);
        return -ENOMEM;
    }
    int sparse = layout != CTXPROBE_TLB_PACKED;
    char *lo = (char *)c.head;                 /* line 0 is the lowest line of every layout */
    int64_t steps = 0, result;
    void **p = c.head;
    do {
        int64_t off = (char *)p - lo;
        int64_t idx = sparse ? off / TLB_PAGE : off / TLB_LINE;
        if (off < 0 || idx >= pages || seen[idx]) {
            result = -EFAULT;                  /* outside the set, or a line visited twice */
            goto out;
        }
        if (sparse && off % TLB_PAGE != (idx % (TLB_PAGE / TLB_LINE)) * TLB_LINE) {
            result = -EXDEV;                   /* not the one line this page should hold */
            goto out;
        }
        seen[idx] = 1;
        steps++;
        p = (void **)*p;
    } while (p != c.head && steps <= pages);
    result = p == c.head && steps == pages ? steps : -EFAULT;
out:
    free(seen);
    tlb_chase_free(&c);
    return result;
}
