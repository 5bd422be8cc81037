/*
 * futex_pingpong.c — what this measures: the cost of one kernel thread switch, as two threads
 * bounce a token through one private futex word, in the manner of the kernel selftest
 * tools/testing/selftests/powerpc/benchmarks/context_switch.c. Standalone: no libctxprobe.
 *
 * How to run:  build/futex_pingpong CPU_A CPU_B [round_trips]
 *   CPU_A == CPU_B: both threads on one CPU (a round trip is >= 2 context switches);
 *   otherwise cross-core (each wake-up is an IPI; the waiter may find the word already changed).
 * Prints one line: ns per switch (half a round trip), the median over batches, and the switches per
 * round trip the kernel counted (getrusage(RUSAGE_THREAD), both threads).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define BATCHES 21
#define WARMUP_BATCHES 2

static _Atomic uint32_t word;            /* 1: token at side 1, 0: token at side 0 */
static int64_t ops;                      /* round trips per batch */
static int64_t samples[BATCHES];
static int64_t switches[2];              /* nvcsw + nivcsw per side over the measured window */
static int cpu_seen[2];
static pthread_barrier_t start;

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int64_t thread_switches(void)
{
    struct rusage ru;
    getrusage(RUSAGE_THREAD, &ru);
    return ru.ru_nvcsw + ru.ru_nivcsw;
}

static void token_wait(int side)          /* until the token is at `side` */
{
    uint32_t busy = side == 0 ? 1 : 0;
    while (atomic_load_explicit(&word, memory_order_acquire) == busy)
        syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, busy, NULL, NULL, 0);
}

static void token_pass(int side)          /* hand the token to the other side */
{
    atomic_store_explicit(&word, side == 0 ? 1u : 0u, memory_order_release);
    syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void round_trip(int side)
{
    if (side == 0) {
        token_pass(0);
        token_wait(0);
    } else {
        token_wait(1);
        token_pass(1);
    }
}

/* Same windows as libctxprobe's pingpong.c: side 1 closes its window after the tail wait. */
static void *side_main(void *arg)
{
    int side = (int)(intptr_t)arg;
    pthread_barrier_wait(&start);
    for (int64_t i = 0; i < WARMUP_BATCHES * ops; i++)
        round_trip(side);
    int64_t sw0 = thread_switches();
    for (int b = 0; b < BATCHES; b++) {
        int64_t t0 = side == 0 ? now_ns() : 0;
        for (int64_t i = 0; i < ops; i++)
            round_trip(side);
        if (side == 0)
            samples[b] = now_ns() - t0;
    }
    if (side == 0) {
        switches[0] = thread_switches() - sw0;
        round_trip(0);                                 /* untimed tail */
    } else {
        token_wait(1);
        switches[1] = thread_switches() - sw0;
        token_pass(1);
    }
    cpu_seen[side] = sched_getcpu();
    return NULL;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s CPU_A CPU_B [round_trips]\n", argv[0]);
        return 2;
    }
    int cpu[2] = { atoi(argv[1]), atoi(argv[2]) };
    int64_t round_trips = argc > 3 ? atoll(argv[3]) : 20000;
    ops = round_trips / BATCHES;
    if (ops < 1)
        ops = 1;

    pthread_barrier_init(&start, NULL, 2);
    pthread_t t[2];
    for (int s = 0; s < 2; s++) {
        pthread_attr_t attr;
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(cpu[s], &set);
        pthread_attr_init(&attr);
        pthread_attr_setaffinity_np(&attr, sizeof set, &set);
        int rc = pthread_create(&t[s], &attr, side_main, (void *)(intptr_t)s);
        pthread_attr_destroy(&attr);
        if (rc) {
            fprintf(stderr, "pthread_create (cpu %d): %s\n", cpu[s], strerror(rc));
            return 1;
        }
    }
    for (int s = 0; s < 2; s++)
        pthread_join(t[s], NULL);

    qsort(samples, BATCHES, sizeof samples[0], cmp_i64);
    double ns_per_switch = (double)samples[BATCHES / 2] / (2.0 * (double)ops);
    double per_rt = (double)(switches[0] + switches[1]) / (double)(BATCHES * ops);
    printf("futex %s ns_per_switch=%.1f batches=%d ops=%lld switches_per_round_trip=%.3f "
           "cpus=%d,%d\n", cpu[0] == cpu[1] ? "same-core" : "cross-core", ns_per_switch, BATCHES,
           (long long)ops, per_rt, cpu_seen[0], cpu_seen[1]);
    return 0;
}
