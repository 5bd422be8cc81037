/* test_create.c — create.c (process.create), thread_create.c + clone_*.S (thread.create),
 * fiber_create.c (fiber.create): every kind runs and fills its samples, every child is reaped,
 * every raw thread runs and is joined, nothing is left mapped, bad kinds are refused. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ctxprobe.h"
#include "test.h"

#define B 3

static int filled(const int64_t *v)
{
    for (int i = 0; i < B; i++)
        if (v[i] <= 0)
            return 0;
    return 1;
}

static void process_kinds(const char *helper)
{
    static const int32_t kinds[] = { CTXPROBE_CREATE_FORK, CTXPROBE_CREATE_VFORK,
                                     CTXPROBE_CREATE_CLONE, CTXPROBE_CREATE_POSIX_SPAWN,
                                     CTXPROBE_CREATE_FORK_EXEC, CTXPROBE_CREATE_VFORK_EXEC };
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        int64_t wall[B] = {0}, cpu[B] = {0};
        int rc = ctxprobe_process_create_run(kinds[k], helper, 1, B, 3, wall, cpu);
        CHECK(rc == 0, "process kind %d: rc %d", kinds[k], rc);
        CHECK(filled(wall) && filled(cpu), "process kind %d: samples filled", kinds[k]);
        CHECK(test_no_child_left(), "process kind %d: every child reaped", kinds[k]);
    }
    /* An exec that fails (the child _exits 127) is reported, and that child is reaped too. */
    int64_t wall[B];
    CHECK(ctxprobe_process_create_run(CTXPROBE_CREATE_FORK_EXEC, "/nonexistent/ctxprobe-helper", 0, B,
                                      1, wall, NULL) == -EPROTO);
    CHECK(ctxprobe_process_create_run(CTXPROBE_CREATE_POSIX_SPAWN, "/nonexistent/ctxprobe-helper", 0,
                                      B, 1, wall, NULL) == -ENOENT);
    CHECK(test_no_child_left(), "failed execs reaped");
    CHECK(ctxprobe_process_create_run(CTXPROBE_CREATE_FORK_EXEC, NULL, 0, B, 1, wall, NULL) == -EINVAL);
    CHECK(ctxprobe_process_create_run(0, NULL, 0, B, 1, wall, NULL) == -EINVAL);
    CHECK(ctxprobe_process_create_run(CTXPROBE_CREATE_PTHREAD, NULL, 0, B, 1, wall, NULL) == -EINVAL);
    CHECK(ctxprobe_process_create_run(CTXPROBE_CREATE_FORK, NULL, 0, 0, 1, wall, NULL) == -EINVAL);
}

/* The helper's own protocol: `exit` exits 0, `create` prints B batch lines and "done". */
static void helper_protocol(const char *helper)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "%s exit", helper);
    CHECK(system(cmd) == 0, "helper exit mode");
    /* exec: the shell becomes the helper, so its parent is this process, the pid it is given */
    snprintf(cmd, sizeof cmd, "exec %s create %d 1 0 %d 2 %d 60000", helper, CTXPROBE_CREATE_FORK, B,
             (int)getpid());
    FILE *p = popen(cmd, "r");
    char line[256];
    int batches = 0, done = 0;
    while (p && fgets(line, sizeof line, p)) {
        long long w, c;
        if (sscanf(line, "wall_ns=%lld cpu_ns=%lld", &w, &c) == 2 && w > 0)
            batches++;
        done |= strcmp(line, "done\n") == 0;
    }
    CHECK(p && pclose(p) == 0 && batches == B && done, "helper create: %d batch lines", batches);
    /* refusals and stops, each with its exit status: 1 error, 2 bad arguments, 3 parent gone or
     * deadline passed (pid 2 is never this test's own pid, so never the helper's parent) */
    static const struct {
        const char *args;      /* after "create"; %d is this process's pid where given */
        int status;
        const char *why;
    } rows[] = {
        { "99 0 0 1 1 %d 60000",           1, "an unknown kind (the loop's -EINVAL)" },
        { "1 0 0 1 1",                     2, "no parent pid and deadline" },
        { "1 0 0 1 1 %d 0",                2, "a deadline of 0 ms" },
        { "1 0 0 1 1 2 60000",             3, "a parent pid that is not its parent" },
        { "1 0 0 1000000 1000 %d 50",      3, "a deadline that passes between batches" },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char args[128];
        snprintf(args, sizeof args, rows[i].args, (int)getpid());
        snprintf(cmd, sizeof cmd, "exec %s create %s 2>/dev/null", helper, args);
        int st = system(cmd);
        CHECK(WIFEXITED(st) && WEXITSTATUS(st) == rows[i].status, "helper with %s: status %d, want %d",
              rows[i].why, WIFEXITED(st) ? WEXITSTATUS(st) : -1, rows[i].status);
    }
}

void test_create(void)
{
    const char *helper = getenv("CTXPROBE_HELPER");
    int maps0 = test_maps_lines(), tasks0 = test_thread_count();

    if (helper) {
        process_kinds(helper);
        helper_protocol(helper);
    } else {
        CHECK(0, "CTXPROBE_HELPER is not set: run through `make check`");
    }

    static const int32_t tkinds[] = { CTXPROBE_CREATE_PTHREAD, CTXPROBE_CREATE_CLONE_THREAD };
    for (size_t k = 0; k < 2; k++) {
        int64_t wall[B] = {0}, cpu[B] = {0};
        int rc = ctxprobe_thread_create_run(tkinds[k], 2, B, 50, wall, cpu);
        CHECK(rc == 0, "thread kind %d: rc %d (-EPROTO: a raw thread was joined without running)",
              tkinds[k], rc);
        CHECK(filled(wall) && filled(cpu), "thread kind %d: samples filled", tkinds[k]);
        CHECK(test_thread_count() == tasks0, "thread kind %d: every thread joined (%d tasks, %d before)", tkinds[k],
              test_thread_count(), tasks0);
    }
    int64_t wall[B];
    CHECK(ctxprobe_thread_create_run(CTXPROBE_CREATE_FORK, 0, B, 1, wall, NULL) == -EINVAL);

    static const int32_t fkinds[] = { CTXPROBE_CREATE_FIBER_FRESH, CTXPROBE_CREATE_FIBER_POOLED };
    for (size_t k = 0; k < 2; k++) {
        int64_t w[B] = {0}, c[B] = {0};
        int rc = ctxprobe_fiber_create_run(fkinds[k], 2, B, 200, w, c);
        CHECK(rc == 0, "fiber kind %d: rc %d", fkinds[k], rc);
        CHECK(filled(w) && filled(c), "fiber kind %d: samples filled", fkinds[k]);
    }
    CHECK(ctxprobe_fiber_create_run(CTXPROBE_CREATE_CLONE_THREAD, 0, B, 1, wall, NULL) == -EINVAL);

    /* Nothing mapped by the runs outlives them (stacks of raw threads, fibers; pthread's stack cache
     * keeps at most the stacks it had before: one thread at a time, so one cached stack plus guard). */
    int maps1 = test_maps_lines();
    CHECK(maps1 <= maps0 + 2, "maps: %d lines before, %d after", maps0, maps1);
    /* and a second round adds none at all (the pthread cache is already warm) */
    int64_t w2[B], c2[B];
    ctxprobe_thread_create_run(CTXPROBE_CREATE_PTHREAD, 0, B, 5, w2, c2);
    ctxprobe_thread_create_run(CTXPROBE_CREATE_CLONE_THREAD, 0, B, 5, w2, c2);
    ctxprobe_fiber_create_run(CTXPROBE_CREATE_FIBER_FRESH, 0, B, 5, w2, c2);
    ctxprobe_fiber_create_run(CTXPROBE_CREATE_FIBER_POOLED, 0, B, 5, w2, c2);
    CHECK(test_maps_lines() == maps1, "maps after a second round: %d, %d before", test_maps_lines(), maps1);
}
