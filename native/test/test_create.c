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
#include <time.h>
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

/* Under an emulator: whether a child can exec the helper, a program of the emulated architecture.
 * qemu-user runs only the program it was started with; a child's execve of another AArch64
 * binary goes to the host kernel, which runs it only through a binfmt_misc entry. */
static int helper_execs(const char *helper)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        execl(helper, helper, "exit", (char *)NULL);
        _exit(127);
    }
    int status = 0;
    return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static int execs(int32_t kind)
{
    return kind == CTXPROBE_CREATE_POSIX_SPAWN || kind == CTXPROBE_CREATE_FORK_EXEC ||
           kind == CTXPROBE_CREATE_VFORK_EXEC;
}

static void process_kinds(const char *helper, int can_exec)
{
    static const int32_t kinds[] = { CTXPROBE_CREATE_FORK, CTXPROBE_CREATE_VFORK,
                                     CTXPROBE_CREATE_CLONE, CTXPROBE_CREATE_POSIX_SPAWN,
                                     CTXPROBE_CREATE_FORK_EXEC, CTXPROBE_CREATE_VFORK_EXEC };
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        if (!can_exec && execs(kinds[k])) {
            SKIP("process kind %d (it execs the helper): %s cannot exec another program of the emulated"
                 " architecture here (no binfmt_misc entry)", kinds[k], test_emulator);
            continue;
        }
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
    if (test_emulator)   /* glibc's posix_spawn learns the exec error through CLONE_VM|CLONE_VFORK */
        SKIP("posix_spawn of a missing program: %s runs CLONE_VFORK as a plain fork, so posix_spawn"
             " cannot see its child's exec error", test_emulator);
    else
        CHECK(ctxprobe_process_create_run(CTXPROBE_CREATE_POSIX_SPAWN, "/nonexistent/ctxprobe-helper", 0,
                                          B, 1, wall, NULL) == -ENOENT);
    CHECK(test_no_child_left(), "failed execs reaped");
    CHECK(ctxprobe_process_create_run(CTXPROBE_CREATE_FORK_EXEC, NULL, 0, B, 1, wall, NULL) == -EINVAL);
    CHECK(ctxprobe_process_create_run(0, NULL, 0, B, 1, wall, NULL) == -EINVAL);
    CHECK(ctxprobe_process_create_run(CTXPROBE_CREATE_PTHREAD, NULL, 0, B, 1, wall, NULL) == -EINVAL);
    CHECK(ctxprobe_process_create_run(CTXPROBE_CREATE_FORK, NULL, 0, 0, 1, wall, NULL) == -EINVAL);
}

/* The helper's own protocol: `exit` exits 0, `create` prints B batch lines and "done". */
static void helper_protocol(const char *runner, const char *helper)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "%s%s exit", runner, helper);
    CHECK(system(cmd) == 0, "helper exit mode");
    /* exec: the shell becomes the helper (or its emulator), so its parent is this process, the pid it is given */
    snprintf(cmd, sizeof cmd, "exec %s%s create %d 1 0 %d 2 %d 60000", runner, helper, CTXPROBE_CREATE_FORK, B,
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
        snprintf(cmd, sizeof cmd, "exec %s%s create %s 2>/dev/null", runner, helper, args);
        int st = system(cmd);
        CHECK(WIFEXITED(st) && WEXITSTATUS(st) == rows[i].status, "helper with %s: status %d, want %d",
              rows[i].why, WIFEXITED(st) ? WEXITSTATUS(st) : -1, rows[i].status);
    }
}

/* The task count; under an emulator, once it reaches `want` (for up to 2 s): qemu-user wakes a
 * CLONE_CHILD_CLEARTID joiner before the thread's host thread has exited, so a joined thread lingers
 * in /proc/self/task for a moment there. On hardware the count is read once. */
static int settled_thread_count(int want)
{
    int n = test_thread_count();
    for (int i = 0; test_emulator && n != want && i < 200; i++) {
        nanosleep(&(struct timespec){ 0, 10 * 1000 * 1000 }, NULL);
        n = test_thread_count();
    }
    return n;
}

/* The task count before the runs; under an emulator, once it has held still for 50 ms (for up to
 * 2 s), since a thread of an earlier group may still be leaving (see above). */
static int baseline_thread_count(void)
{
    int n = test_thread_count();
    for (int same = 0, i = 0; test_emulator && same < 5 && i < 200; i++) {
        nanosleep(&(struct timespec){ 0, 10 * 1000 * 1000 }, NULL);
        int m = test_thread_count();
        same = m == n ? same + 1 : 0;
        n = m;
    }
    return n;
}

void test_create(void)
{
    const char *helper = getenv("CTXPROBE_HELPER");
    int maps0 = test_maps_lines(), tasks0 = baseline_thread_count();

    if (helper) {
        int can_exec = !test_emulator || helper_execs(helper);
        process_kinds(helper, can_exec);
        if (can_exec) {
            helper_protocol("", helper);
        } else {   /* the helper's own protocol still runs: started through the emulator by name */
            char runner[256];
            snprintf(runner, sizeof runner, "%s ", test_emulator);
            helper_protocol(runner, helper);
        }
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
        int tasks = settled_thread_count(tasks0);
        CHECK(tasks == tasks0, "thread kind %d: every thread joined (%d tasks, %d before)", tkinds[k], tasks,
              tasks0);
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
