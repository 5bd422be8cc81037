/*
 * pingpong.c — what this measures: the cost of one kernel context switch, as two threads or two
 * processes bounce a token through a futex word or a pair of pipes, in the manner of the kernel
 * selftest tools/testing/selftests/powerpc/benchmarks/context_switch.c. Standalone: no libctxprobe.
 *
 * How to run:  build/pingpong thread|process futex|pipe CPU_A CPU_B [round_trips]
 *   thread:  two threads of this process (private futex);
 *   process: this process and a forked child, the word in a MAP_SHARED mapping (shared futex), or
 *            the pipes inherited across the fork;
 *   CPU_A == CPU_B: both sides on one CPU (a round trip is >= 2 context switches);
 *   otherwise cross-core (each wake-up is an IPI; the waiter may find the token already there).
 *   Invoked as `futex_pingpong CPU_A CPU_B [round_trips]` (the old name, a symlink) it runs
 *   `thread futex`.
 * Prints one line: <mode> <mech> <placement> ns_per_switch=<half a round trip, median over batches>
 * batches= ops= switches_per_round_trip=<what the kernel counted: getrusage(RUSAGE_THREAD), both
 * sides> cpus=<where each side ran>.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BATCHES 21
#define WARMUP_BATCHES 2

/* Everything both sides see: one MAP_SHARED mapping, so it works across fork too. */
struct shared {
    _Alignas(64) _Atomic uint32_t word;      /* futex: 1 = token at side 1, 0 = at side 0 */
    _Alignas(64) pthread_barrier_t start;    /* process-shared */
    int64_t samples[BATCHES];                /* side 0's batch times */
    int64_t switches[2];                     /* nvcsw + nivcsw per side over the measured window */
    int cpu_seen[2];
    int err[2];                              /* 0 or errno per side */
};

static struct shared *sh;
static int futex_flags;                      /* FUTEX_PRIVATE_FLAG for threads, 0 for processes */
static int pipe_fd[2][2];                    /* pipe_fd[s]: the pipe side s reads, the other writes */
static int64_t ops;                          /* round trips per batch */
static int cpu[2];

/* ---- mechanisms: how a side waits for the token and hands it over ---- */

struct mech {
    const char *name;
    int  (*init)(void);
    void (*wait)(int side);                  /* until the token is at `side` */
    void (*pass)(int side);                  /* hand the token to the other side */
};

static int futex_init(void)
{
    atomic_store(&sh->word, 0);
    return 0;
}

static void futex_wait(int side)
{
    uint32_t busy = side == 0 ? 1 : 0;
    while (atomic_load_explicit(&sh->word, memory_order_acquire) == busy)
        syscall(SYS_futex, &sh->word, FUTEX_WAIT | futex_flags, busy, NULL, NULL, 0);
}

static void futex_pass(int side)
{
    atomic_store_explicit(&sh->word, side == 0 ? 1u : 0u, memory_order_release);
    syscall(SYS_futex, &sh->word, FUTEX_WAKE | futex_flags, 1, NULL, NULL, 0);
}

static int pipe_init(void)
{
    for (int s = 0; s < 2; s++)
        if (pipe2(pipe_fd[s], O_CLOEXEC) != 0)
            return -1;
    return 0;
}

static void pipe_wait(int side)
{
    char c;
    while (read(pipe_fd[side][0], &c, 1) != 1 && errno == EINTR)
        ;
}

static void pipe_pass(int side)
{
    char c = 0;
    while (write(pipe_fd[1 - side][1], &c, 1) != 1 && errno == EINTR)
        ;
}

static const struct mech mechs[] = {
    { "futex", futex_init, futex_wait, futex_pass },
    { "pipe", pipe_init, pipe_wait, pipe_pass },
};
static const struct mech *m;

/* ---- the loop ---- */

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

static void round_trip(int side)
{
    if (side == 0) {
        m->pass(0);
        m->wait(0);
    } else {
        m->wait(1);
        m->pass(1);
    }
}

/* Same windows as libctxprobe's pingpong.c: side 1 closes its window after the tail wait. */
static void side_main(int side)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu[side], &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0)      /* each side pins itself */
        sh->err[side] = errno;
    pthread_barrier_wait(&sh->start);
    if (sh->err[0] || sh->err[1])
        return;
    for (int64_t i = 0; i < WARMUP_BATCHES * ops; i++)
        round_trip(side);
    int64_t sw0 = thread_switches();
    for (int b = 0; b < BATCHES; b++) {
        int64_t t0 = side == 0 ? now_ns() : 0;
        for (int64_t i = 0; i < ops; i++)
            round_trip(side);
        if (side == 0)
            sh->samples[b] = now_ns() - t0;
    }
    if (side == 0) {
        sh->switches[0] = thread_switches() - sw0;
        round_trip(0);                                 /* untimed tail */
    } else {
        m->wait(1);
        sh->switches[1] = thread_switches() - sw0;
        m->pass(1);
    }
    sh->cpu_seen[side] = sched_getcpu();
}

static void *thread_main(void *arg)
{
    side_main((int)(intptr_t)arg);
    return NULL;
}

/* Thread vs process: one spawn function and one join. */
struct side_handle { pthread_t thread; pid_t pid; };

static int spawn(int process, int side, struct side_handle *h)
{
    if (!process)
        return pthread_create(&h->thread, NULL, thread_main, (void *)(intptr_t)side);
    fflush(NULL);
    h->pid = fork();
    if (h->pid < 0)
        return errno;
    if (h->pid == 0) {
        side_main(side);
        _exit(0);
    }
    return 0;
}

static int join(int process, struct side_handle *h)
{
    if (!process)
        return pthread_join(h->thread, NULL);
    int st;
    if (waitpid(h->pid, &st, 0) != h->pid)
        return errno;
    return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : ECHILD;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int usage(const char *argv0)
{
    fprintf(stderr, "usage: %s thread|process futex|pipe CPU_A CPU_B [round_trips]\n", argv0);
    return 2;
}

int main(int argc, char **argv)
{
    const char *base = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
    const char *mode_arg = "thread", *mech_arg = "futex";
    char **rest = argv + 1;
    int nrest = argc - 1;
    if (strcmp(base, "futex_pingpong") != 0) {         /* the old name takes CPUs only */
        if (argc < 3)
            return usage(argv[0]);
        mode_arg = argv[1];
        mech_arg = argv[2];
        rest += 2;
        nrest -= 2;
    }
    if (nrest < 2)
        return usage(argv[0]);
    int process = strcmp(mode_arg, "process") == 0;
    if (!process && strcmp(mode_arg, "thread") != 0)
        return usage(argv[0]);
    for (size_t i = 0; i < sizeof mechs / sizeof mechs[0]; i++)
        if (strcmp(mech_arg, mechs[i].name) == 0)
            m = &mechs[i];
    if (!m)
        return usage(argv[0]);
    cpu[0] = atoi(rest[0]);
    cpu[1] = atoi(rest[1]);
    int64_t round_trips = nrest > 2 ? atoll(rest[2]) : 20000;
    ops = round_trips / BATCHES;
    if (ops < 1)
        ops = 1;

    sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (sh == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    futex_flags = process ? 0 : FUTEX_PRIVATE_FLAG;
    pthread_barrierattr_t ba;
    pthread_barrierattr_init(&ba);
    pthread_barrierattr_setpshared(&ba, PTHREAD_PROCESS_SHARED);
    pthread_barrier_init(&sh->start, &ba, 2);
    pthread_barrierattr_destroy(&ba);
    if (m->init() != 0) {
        perror(m->name);
        return 1;
    }

    struct side_handle h[2];
    for (int s = 0; s < 2; s++) {
        int rc = spawn(process, s, &h[s]);
        if (rc) {
            fprintf(stderr, "spawn side %d: %s\n", s, strerror(rc));
            return 1;
        }
    }
    int failed = 0;
    for (int s = 0; s < 2; s++)
        failed |= join(process, &h[s]) != 0;
    for (int s = 0; s < 2; s++)
        if (sh->err[s]) {
            fprintf(stderr, "side %d: pin to cpu %d: %s\n", s, cpu[s], strerror(sh->err[s]));
            failed = 1;
        }
    if (failed)
        return 1;

    qsort(sh->samples, BATCHES, sizeof sh->samples[0], cmp_i64);
    double ns_per_switch = (double)sh->samples[BATCHES / 2] / (2.0 * (double)ops);
    double per_rt = (double)(sh->switches[0] + sh->switches[1]) / (double)(BATCHES * ops);
    printf("%s %s %s ns_per_switch=%.1f batches=%d ops=%lld switches_per_round_trip=%.3f "
           "cpus=%d,%d\n", process ? "process" : "thread", m->name,
           cpu[0] == cpu[1] ? "same-core" : "cross-core", ns_per_switch, BATCHES, (long long)ops,
           per_rt, sh->cpu_seen[0], sh->cpu_seen[1]);
    pthread_barrier_destroy(&sh->start);
    munmap(sh, sizeof *sh);
    return 0;
}
