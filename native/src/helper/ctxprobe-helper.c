/*
 * ctxprobe-helper.c — the small native parent (and the tiny program) for process.create.
 * Not part of libctxprobe.so: built on its own as build/ctxprobe-helper, statically where the
 * static libc is installed (fewer mappings: the smallest parent), linking the very create.c the
 * library runs, so the JVM-side and helper-side figures come from the same loop.
 *
 *   ctxprobe-helper exit
 *       the tiny program: _exit(0) at once (exec'd by the exec kinds of process.create)
 *   ctxprobe-helper create <kind> <touch_mib> <warmup> <batches> <ops> <parent_pid> <deadline_ms>
 *       touches <touch_mib> MiB of private anonymous memory (4 KiB pages: MADV_NOHUGEPAGE, so a
 *       fork copies one page-table entry per 4 KiB), then runs ctxprobe_process_create_run(kind)
 *       (kind: a CTXPROBE_CREATE_* number; the exec kinds exec this program in `exit` mode) one
 *       batch at a time and prints one line per measured batch "wall_ns=<n> cpu_ns=<n>", then
 *       "done". Exit status 0; 2 for bad arguments; 1 with "error=<-errno> <message>" on stderr;
 *       3 with "stopped: <why>" on stderr when its parent is gone or its deadline passed.
 *
 * It never outlives the JVM that started it: the first thing `create` does is
 * PR_SET_PDEATHSIG(SIGKILL) (before ctxprobe_process_create_run blocks every signal: SIGKILL cannot
 * be blocked, and the kernel sends it the moment the starting thread exits), then a check that
 * getppid() is still <parent_pid>, the pid the JVM passed (a parent that died before the prctl
 * left this process to init, and no death signal would ever come). Between batches it checks the
 * parent again and its deadline, <deadline_ms> after its start, and stops on its own when either
 * fails. It inherits the CPU affinity of whoever started it (the runner thread pins before).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "ctxprobe.h"

static int parse_i64(const char *s, int64_t min, int64_t max, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

static int usage(void)
{
    fputs("usage: ctxprobe-helper exit\n"
          "       ctxprobe-helper create <kind> <touch_mib> <warmup> <batches> <ops> <parent_pid> <deadline_ms>\n",
          stderr);
    return 2;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* NULL while the parent lives and the deadline is ahead; else why this helper must stop. */
static const char *must_stop(pid_t parent, int64_t deadline_ms)
{
    if (getppid() != parent)
        return "the parent that started it is gone";
    if (now_ms() > deadline_ms)
        return "its deadline passed";
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "exit") == 0)
        _exit(0);
    if (argc != 9 || strcmp(argv[1], "create") != 0)
        return usage();
    int64_t kind, mib, warmup, batches, ops, parent, limit_ms;
    if (parse_i64(argv[2], 1, 1000, &kind) || parse_i64(argv[3], 0, 1 << 20, &mib) ||
        parse_i64(argv[4], 0, 1000000, &warmup) || parse_i64(argv[5], 1, 1000000, &batches) ||
        parse_i64(argv[6], 1, INT64_MAX / 1000000, &ops) || parse_i64(argv[7], 2, INT32_MAX, &parent) ||
        parse_i64(argv[8], 1, 7 * 24 * 3600 * 1000LL, &limit_ms))
        return usage();
    int64_t deadline_ms = now_ms() + limit_ms;
    /* First, before anything can block: die with the starting thread, and make sure it still lives. */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) {
        fprintf(stderr, "error=%d prctl(PR_SET_PDEATHSIG): %s\n", -errno, strerror(errno));
        return 1;
    }
    const char *why = must_stop((pid_t)parent, deadline_ms);
    if (why) {
        fprintf(stderr, "stopped: %s (parent %" PRId64 ", getppid %d) before the first batch\n", why, parent,
                (int)getppid());
        return 3;
    }

    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) {
        fprintf(stderr, "error=%d readlink /proc/self/exe: %s\n", -errno, strerror(errno));
        return 1;
    }
    self[n] = '\0';

    if (mib > 0) {
        size_t len = (size_t)mib << 20;
        char *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (m == MAP_FAILED) {
            fprintf(stderr, "error=%d mmap %" PRId64 " MiB: %s\n", -errno, mib, strerror(errno));
            return 1;
        }
        madvise(m, len, MADV_NOHUGEPAGE);   /* best effort: 4 KiB pages, one PTE each */
        long page = sysconf(_SC_PAGESIZE);
        for (size_t off = 0; off < len; off += (size_t)page)
            m[off] = 1;                     /* fault every page in: present, private, dirty */
        /* kept mapped until exit: every fork below inherits it */
    }

    int64_t *wall = calloc((size_t)batches, sizeof *wall);
    int64_t *cpu = calloc((size_t)batches, sizeof *cpu);
    if (!wall || !cpu) {
        fputs("error=-12 out of memory\n", stderr);
        return 1;
    }
    /* One batch per call (the warm-up with the first), so the parent and the deadline are checked
     * between batches; each call's signal mask change lies outside its timed batch. */
    for (int64_t b = 0; b < batches; b++) {
        if (b > 0 && (why = must_stop((pid_t)parent, deadline_ms))) {
            fprintf(stderr, "stopped: %s after %" PRId64 " of %" PRId64 " batches\n", why, b, batches);
            return 3;
        }
        int32_t rc = ctxprobe_process_create_run((int32_t)kind, self, b == 0 ? warmup : 0, 1, ops, wall + b,
                                                 cpu + b);
        if (rc != 0) {
            fprintf(stderr, "error=%d ctxprobe_process_create_run: %s\n", rc, strerror(-rc));
            return 1;
        }
    }
    for (int64_t b = 0; b < batches; b++)
        printf("wall_ns=%" PRId64 " cpu_ns=%" PRId64 "\n", wall[b], cpu[b]);
    puts("done");
    return fflush(stdout) == 0 ? 0 : 1;
}
