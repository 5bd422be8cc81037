/*
 * tlb_chase.c — what this measures: the data TLB's reach as a fine curve, independently of
 * libctxprobe: a dependent pointer chase through N cache lines, one line per 4 KiB page (sparse),
 * against the same N lines packed contiguously (the cache control), at every STEP pages from FROM
 * to TO. sparse - packed is what the TLB adds; where it steps up, a TLB level ran out. The chase is
 * one random cycle (Sattolo's shuffle, its own seed, not ctxprobe's), the line in page i is i mod 64
 * (every cache set used), the mapping asks for no huge pages (MADV_NOHUGEPAGE). The program prints
 * the curve; the step is located by the caller (bench TlbReachVsC applies ctxprobe's rule to it).
 *
 * How to run:  build/tlb_chase FROM TO STEP [cpu] [batches]
 *   e.g. build/tlb_chase 16 160 4 0
 * Prints one line per N (sparse and packed measured back to back at each N), ns per load of the
 * fastest batch and the median batch:
 *   pages=N sparse_min_ns=X packed_min_ns=Y sparse_median_ns=X' packed_median_ns=Y'
 * then  done points=K.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#define PAGE 4096
#define LINE 64
#define BATCH_NS 1500000.0    /* about 1.5 ms of chasing per batch */

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static char *line_at(char *base, int sparse, int64_t i)
{
    return sparse ? base + i * PAGE + (i % (PAGE / LINE)) * LINE : base + i * LINE;
}

/* Maps and links n lines into one random cycle; returns the head, *len the mapping's length. */
static void **build(int sparse, int64_t n, char **map, size_t *len)
{
    *len = (size_t)n * (sparse ? PAGE : LINE);
    *len = (*len + PAGE - 1) & ~(size_t)(PAGE - 1);
    *map = mmap(NULL, *len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (*map == MAP_FAILED) {
        perror("mmap");
        exit(1);
    }
    madvise(*map, *len, MADV_NOHUGEPAGE);
    int64_t *next = malloc((size_t)n * sizeof *next);
    if (!next) {
        perror("malloc");
        exit(1);
    }
    for (int64_t i = 0; i < n; i++)
        next[i] = i;
    uint64_t seed = 0x5eed0000u + (uint64_t)n;
    for (int64_t i = n - 1; i > 0; i--) {          /* Sattolo: j < i makes one single cycle */
        int64_t j = (int64_t)(splitmix(&seed) % (uint64_t)i);
        int64_t t = next[i];
        next[i] = next[j];
        next[j] = t;
    }
    for (int64_t i = 0; i < n; i++)
        *(void **)line_at(*map, sparse, i) = line_at(*map, sparse, next[i]);
    free(next);
    return (void **)line_at(*map, sparse, 0);
}

static void **walk(void **p, int64_t n)
{
    for (int64_t i = 0; i < n; i++) {
        p = (void **)*p;
        __asm__ volatile("" : "+r"(p));
    }
    return p;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

struct figure {
    double min, median;     /* ns per load: the fastest batch, the median batch */
};

/* ns per load over `batches` batches after one warm-up batch. */
static struct figure chase_ns(int sparse, int64_t n, int batches)
{
    char *map;
    size_t len;
    void **p = build(sparse, n, &map, &len);
    p = walk(p, n);                                  /* one full cycle: caches and TLB warm */
    int64_t pilot = n * 2 > 20000 ? n * 2 : 20000;
    int64_t t0 = now_ns();
    p = walk(p, pilot);
    double per = (double)(now_ns() - t0) / (double)pilot;
    int64_t ops = (int64_t)(BATCH_NS / (per > 0.1 ? per : 0.1));
    if (ops < 2 * n)
        ops = 2 * n;
    double ns[64];
    p = walk(p, ops);                                /* warm-up batch */
    for (int b = 0; b < batches; b++) {
        int64_t a = now_ns();
        p = walk(p, ops);
        ns[b] = (double)(now_ns() - a) / (double)ops;
    }
    __asm__ volatile("" : : "r"(p));
    munmap(map, len);
    qsort(ns, (size_t)batches, sizeof ns[0], cmp_double);
    struct figure f = {ns[0], batches % 2 ? ns[batches / 2] : (ns[batches / 2 - 1] + ns[batches / 2]) / 2};
    return f;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: %s FROM TO STEP [cpu] [batches]\n", argv[0]);
        return 2;
    }
    int64_t from = atoll(argv[1]), to = atoll(argv[2]), step = atoll(argv[3]);
    int batches = argc > 5 ? atoi(argv[5]) : 5;
    if (from < 2 || to < from || step < 1 || to > (1 << 22) || batches < 1 || batches > 64) {
        fprintf(stderr, "%s: need 2 <= FROM <= TO <= 4194304, STEP >= 1, 1 <= batches <= 64\n", argv[0]);
        return 2;
    }
    if (argc > 4) {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(atoi(argv[4]), &set);
        if (sched_setaffinity(0, sizeof set, &set) != 0) {
            perror("sched_setaffinity");
            return 1;
        }
    }
    int points = 0;
    for (int64_t n = from; n <= to; n += step, points++) {
        struct figure sparse = chase_ns(1, n, batches);
        struct figure packed = chase_ns(0, n, batches);
        printf("pages=%lld sparse_min_ns=%.3f packed_min_ns=%.3f sparse_median_ns=%.3f packed_median_ns=%.3f\n",
               (long long)n, sparse.min, packed.min, sparse.median, packed.median);
        fflush(stdout);
    }
    printf("done points=%d\n", points);
    return 0;
}
