/*
 * create.c — what this measures: the cost of creating a process or a thread, letting it run and
 * reaping / joining it, from a small plain-C parent (no libctxprobe), to cross-check
 * process.create (the /helper cases) and thread.create.
 *
 * How to run:  build/create fork|vfork|posix-spawn|fork-exec|pthread|clone-raw [ops] [cpu]
 *   ops: creations per batch (default 20); 21 measured batches after 2 warm-up ones;
 *   cpu: pinned with sched_setaffinity (default 0); children inherit the pin.
 *   The exec kinds exec this program as `create exit` (it _exits at once).
 * Prints one line: <kind> us_per_create=<median over batches> batches= ops= cpu=
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BATCHES 21
#define WARMUP 2

static char self[PATH_MAX];
static char *exec_argv[] = { self, (char *)"exit", NULL };
static char *exec_envp[] = { NULL };

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void die(const char *what)
{
    perror(what);
    exit(1);
}

static void reap(pid_t pid)
{
    int st;
    if (pid < 0)
        die("create");
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            die("waitpid");
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        fprintf(stderr, "child failed (status %d)\n", st);
        exit(1);
    }
}

static void *empty(void *arg) { return arg; }

/* Raw thread: clone with a child that only SYS_exits (inline asm: it shares our TLS), joined on the
 * CLONE_CHILD_CLEARTID word. */
static _Atomic int tid_word;
static char *clone_stack;

static void clone_raw_one(void)
{
    long ret;
    register long r10 __asm__("r10") = (long)&tid_word;
    register long r8 __asm__("r8") = 0;
    unsigned long flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |
                          CLONE_SYSVSEM | CLONE_CHILD_CLEARTID | CLONE_PARENT_SETTID;
    __asm__ volatile("syscall\n\t"
                     "testq %%rax, %%rax\n\t"
                     "jnz 1f\n\t"
                     "movl $60, %%eax\n\t"       /* child: SYS_exit(0), this thread only */
                     "xorl %%edi, %%edi\n\t"
                     "syscall\n\t"
                     "ud2\n"
                     "1:"
                     : "=a"(ret)
                     : "0"(SYS_clone), "D"(flags), "S"(clone_stack), "d"(&tid_word), "r"(r10), "r"(r8)
                     : "rcx", "r11", "memory");
    if (ret < 0) {
        errno = (int)-ret;
        die("clone");
    }
    int v;
    while ((v = atomic_load(&tid_word)) != 0)
        syscall(SYS_futex, &tid_word, FUTEX_WAIT, v, NULL, NULL, 0);
}

static void create_one(const char *kind)
{
    pid_t pid;
    /* _Fork (glibc 2.34+): the bare system call without atfork handlers, as libctxprobe and its
     * helper fork, so both sides measure the same thing. */
    if (!strcmp(kind, "fork")) {
        if ((pid = _Fork()) == 0)
            _exit(0);
        reap(pid);
    } else if (!strcmp(kind, "vfork")) {
        if ((pid = vfork()) == 0)
            _exit(0);
        reap(pid);
    } else if (!strcmp(kind, "posix-spawn")) {
        int rc = posix_spawn(&pid, self, NULL, NULL, exec_argv, exec_envp);
        if (rc) {
            errno = rc;
            die("posix_spawn");
        }
        reap(pid);
    } else if (!strcmp(kind, "fork-exec")) {
        if ((pid = _Fork()) == 0) {
            execve(self, exec_argv, exec_envp);
            _exit(127);
        }
        reap(pid);
    } else if (!strcmp(kind, "pthread")) {
        pthread_t t;
        if (pthread_create(&t, NULL, empty, NULL) || pthread_join(t, NULL))
            die("pthread");
    } else {
        clone_raw_one();
    }
}

static int cmp(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc == 2 && !strcmp(argv[1], "exit"))
        _exit(0);
    static const char *kinds[] = { "fork", "vfork", "posix-spawn", "fork-exec", "pthread", "clone-raw" };
    int ok = 0;
    for (size_t i = 0; argc >= 2 && i < sizeof kinds / sizeof kinds[0]; i++)
        ok |= !strcmp(argv[1], kinds[i]);
    if (!ok) {
        fprintf(stderr, "usage: %s fork|vfork|posix-spawn|fork-exec|pthread|clone-raw [ops] [cpu]\n", argv[0]);
        return 2;
    }
    const char *kind = argv[1];
    long ops = argc > 2 ? atol(argv[2]) : 20;
    int cpu = argc > 3 ? atoi(argv[3]) : 0;
    if (ops <= 0)
        return 2;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0)
        die("sched_setaffinity");
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        die("readlink");
    self[n] = '\0';
    void *st = mmap(NULL, 16384, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (st == MAP_FAILED)
        die("mmap");
    clone_stack = (char *)st + 16384;

    int64_t samples[BATCHES];
    for (int b = -WARMUP; b < BATCHES; b++) {
        int64_t t0 = now_ns();
        for (long i = 0; i < ops; i++)
            create_one(kind);
        int64_t t1 = now_ns();
        if (b >= 0)
            samples[b] = t1 - t0;
    }
    qsort(samples, BATCHES, sizeof samples[0], cmp);
    printf("%s us_per_create=%.3f batches=%d ops=%ld cpu=%d\n", kind,
           samples[BATCHES / 2] / 1000.0 / (double)ops, BATCHES, ops, cpu);
    return 0;
}
