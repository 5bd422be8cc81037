/*
 * tlb_chase.c — the working sets of tlb.reach and tlb.switch: N cache lines in one random cycle
 * (Sattolo's shuffle: every permutation it makes is a single cycle), spread one line per 4 KiB page
 * (sparse) or contiguous (packed), on 4 KiB pages, transparent huge pages or hugetlbfs pages.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "ctxprobe/tlb.h"
#include "tlb_chase.h"

static uint64_t xorshift(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}

/* Address of line i (before shuffling) for a layout. */
static inline char *line_at(char *base, int32_t layout, int64_t i)
{
    if (layout == CTXPROBE_TLB_PACKED)
        return base + i * TLB_LINE;
    /* one line per page; line i mod 64 within it: consecutive pages use every cache set */
    return base + i * TLB_PAGE + (i % (TLB_PAGE / TLB_LINE)) * TLB_LINE;
}

int tlb_chase_build(struct tlb_chase *c, int32_t layout, int64_t lines)
{
    memset(c, 0, sizeof(*c));
    if (lines < 2 || lines > (1 << 24))
        return -EINVAL;
    size_t len = layout == CTXPROBE_TLB_PACKED ? (size_t)lines * TLB_LINE : (size_t)lines * TLB_PAGE;
    len = (len + TLB_PAGE - 1) & ~(size_t)(TLB_PAGE - 1);
    char *base;

    switch (layout) {
    case CTXPROBE_TLB_SPARSE_4K:
    case CTXPROBE_TLB_PACKED:
        c->map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (c->map == MAP_FAILED)
            return c->map = NULL, -ENOMEM;
        c->map_len = len;
        madvise(c->map, len, MADV_NOHUGEPAGE);      /* before the first touch */
        base = c->map;
        break;
    case CTXPROBE_TLB_SPARSE_THP: {
        /* a 2 MiB aligned region of whole huge pages inside a larger mapping */
        size_t hlen = (len + TLB_HUGE - 1) & ~(size_t)(TLB_HUGE - 1);
        c->map = mmap(NULL, hlen + TLB_HUGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (c->map == MAP_FAILED)
            return c->map = NULL, -ENOMEM;
        c->map_len = hlen + TLB_HUGE;
        base = (char *)(((uintptr_t)c->map + TLB_HUGE - 1) & ~(uintptr_t)(TLB_HUGE - 1));
        if (madvise(base, hlen, MADV_HUGEPAGE) != 0) {
            int e = errno;
            tlb_chase_free(c);
            return -e;
        }
        break;
    }
    case CTXPROBE_TLB_SPARSE_HUGETLB: {
        size_t hlen = (len + TLB_HUGE - 1) & ~(size_t)(TLB_HUGE - 1);
        /* MAP_HUGETLB reserves the huge pages now (no MAP_NORESERVE): no SIGBUS on first touch */
        c->map = mmap(NULL, hlen, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB,
                      -1, 0);
        if (c->map == MAP_FAILED) {
            int e = errno;
            c->map = NULL;
            return -e;
        }
        c->map_len = hlen;
        base = c->map;
        break;
    }
    default:
        return -EINVAL;
    }

    int64_t *order = malloc((size_t)lines * sizeof(*order));
    if (!order) {
        tlb_chase_free(c);
        return -ENOMEM;
    }
    for (int64_t i = 0; i < lines; i++)
        order[i] = i;
    uint64_t seed = 0x9e3779b97f4a7c15ull ^ (uint64_t)lines;
    for (int64_t i = lines - 1; i > 0; i--) {           /* Sattolo: j < i, never j == i */
        int64_t j = (int64_t)(xorshift(&seed) % (uint64_t)i);
        int64_t t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    /* order[] is now a single cycle as a successor table: line i -> line order[i] */
    for (int64_t i = 0; i < lines; i++)
        *(void **)line_at(base, layout, i) = line_at(base, layout, order[i]);
    free(order);
    c->head = (void **)line_at(base, layout, 0);
    c->lines = lines;
    c->layout = layout;
    return 0;
}

void tlb_chase_free(struct tlb_chase *c)
{
    if (c->map)
        munmap(c->map, c->map_len);
    memset(c, 0, sizeof(*c));
}

int64_t tlb_chase_huge_kib(const struct tlb_chase *c)
{
    FILE *f = fopen("/proc/self/smaps", "re");
    if (!f)
        return -1;
    char line[256];
    uintptr_t lo = (uintptr_t)c->map, hi = lo + c->map_len;
    int inside = 0;
    int64_t kib = -1, total = 0;
    while (fgets(line, sizeof line, f)) {
        unsigned long a, b;
        long v;
        char *dash = strchr(line, '-'), *space = strchr(line, ' ');
        if (dash && space && dash < space && sscanf(line, "%lx-%lx", &a, &b) == 2) {
            inside = a < hi && b > lo;      /* a VMA overlapping our mapping */
            continue;
        }
        if (!inside)
            continue;
        if (c->layout == CTXPROBE_TLB_SPARSE_HUGETLB) {
            if (sscanf(line, "Private_Hugetlb: %ld kB", &v) == 1 ||
                sscanf(line, "Shared_Hugetlb: %ld kB", &v) == 1)
                total += v, kib = total;
        } else if (sscanf(line, "AnonHugePages: %ld kB", &v) == 1) {
            total += v, kib = total;
        }
    }
    fclose(f);
    return kib;
}
