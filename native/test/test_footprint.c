/* test_footprint.c — the idle set (footprint.c) driven the way FootprintProbe drives it: every kind
 * is created, reports ready, exists where the kernel shows it, is released and reaped, and nothing
 * of it is left (no child, no ctxp-idle thread, no mapping). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ctxprobe.h"
#include "test.h"

#define N 20

/* glibc keeps joined thread stacks mapped in its stack cache (tunable glibc.pthread.stack_cache_size,
 * 40 MiB by default) for the next pthread_create: those mappings are glibc's, not the set's. At most
 * 40 MiB / (default stack size) stacks, two VMAs each (stack and guard), may stay after a join. */
static int glibc_stack_cache_vmas(void)
{
    pthread_attr_t a;
    size_t size = 0;
    if (pthread_getattr_default_np(&a) == 0) {
        pthread_attr_getstacksize(&a, &size);
        pthread_attr_destroy(&a);
    }
    if (size == 0)
        size = 8u << 20;
    return 2 * (int)((40u << 20) / size + 1);
}

/* A tid that has exited may linger in /proc/self/task for a moment after its join. */
static int idle_threads_after_join(void)
{
    int n = test_threads_named("ctxp-idle");
    for (int i = 0; i < 200 && n > 0; i++) {
        usleep(1000);
        n = test_threads_named("ctxp-idle");
    }
    return n;
}

static void test_kind(int32_t kind, int64_t touch, const char *name)
{
    int maps0 = test_maps_lines();
    ctxprobe_footprint *s = ctxprobe_footprint_new(kind, N, touch);
    CHECK(s != NULL, "%s: new", name);
    if (!s)
        return;
    CHECK(ctxprobe_footprint_start(s) == N, "%s: start", name);
    CHECK(ctxprobe_footprint_count(s) == N, "%s: count", name);
    CHECK(ctxprobe_footprint_wait_ready(s, 10000) == 0, "%s: wait_ready", name);
    CHECK(ctxprobe_footprint_ready(s) == N, "%s: ready %d", name, ctxprobe_footprint_ready(s));
    CHECK(ctxprobe_footprint_start(s) == -EBUSY, "%s: started twice", name);
    CHECK(ctxprobe_footprint_id(s, N) == -EINVAL, "%s: id out of range", name);

    int alive = 0;
    for (int i = 0; i < N; i++) {
        int id = ctxprobe_footprint_id(s, i);
        if (kind == CTXPROBE_FOOTPRINT_PROCESS)
            alive += id > 0 && kill(id, 0) == 0;
        else if (kind == CTXPROBE_FOOTPRINT_THREAD)
            alive += id > 0;
        else
            alive += id == 0;
    }
    CHECK(alive == N, "%s: %d of %d units identified", name, alive, N);
    if (kind == CTXPROBE_FOOTPRINT_THREAD)
        CHECK(test_threads_named("ctxp-idle") == N, "%s: %d ctxp-idle threads", name, test_threads_named("ctxp-idle"));
    if (kind == CTXPROBE_FOOTPRINT_FIBER)   /* a stack and its guard page: at least one new VMA each */
        CHECK(test_maps_lines() >= maps0 + N, "%s: maps %d -> %d", name, maps0, test_maps_lines());

    CHECK(ctxprobe_footprint_reap(s, 10000) == 0, "%s: reap", name);
    CHECK(ctxprobe_footprint_reap(s, 10000) == 0, "%s: reap again is a no-op", name);
    errno = 0;
    CHECK(waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD, "%s: a child is left", name);
    CHECK(idle_threads_after_join() == 0, "%s: ctxp-idle threads left", name);
    ctxprobe_footprint_free(s);
    /* Everything mapped for the set (its control page, the fiber stacks) is gone. malloc may keep
     * or return its own arena pages, which are not the set's: they show in VmRSS, not as new VMAs
     * for a calloc this small. */
    if (kind == CTXPROBE_FOOTPRINT_THREAD)
        CHECK(test_maps_lines() <= maps0 + glibc_stack_cache_vmas(), "%s: maps %d before, %d after (glibc's"
              " stack cache: up to %d)", name, maps0, test_maps_lines(), glibc_stack_cache_vmas());
    else
        CHECK(test_maps_lines() == maps0, "%s: maps %d before, %d after", name, maps0, test_maps_lines());
}

/* free without release or reap: it must still kill, reap, join and unmap everything. */
static void test_free_tears_down(int32_t kind, const char *name)
{
    int maps0 = test_maps_lines();
    ctxprobe_footprint *s = ctxprobe_footprint_new(kind, 5, 0);
    CHECK(s != NULL && ctxprobe_footprint_start(s) == 5, "%s: start", name);
    CHECK(ctxprobe_footprint_wait_ready(s, 10000) == 0, "%s: wait_ready", name);
    ctxprobe_footprint_free(s);
    errno = 0;
    CHECK(waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD, "%s: a child is left after free", name);
    CHECK(idle_threads_after_join() == 0, "%s: threads left after free", name);
    CHECK(test_maps_lines() <= maps0 + (kind == CTXPROBE_FOOTPRINT_THREAD ? glibc_stack_cache_vmas() : 0),
          "%s: maps %d before, %d after free", name, maps0, test_maps_lines());
}

void test_footprint(void)
{
    CHECK(ctxprobe_footprint_new(0, N, 0) == NULL, "unknown kind");
    CHECK(ctxprobe_footprint_new(CTXPROBE_FOOTPRINT_THREAD, 0, 0) == NULL, "n = 0");
    CHECK(ctxprobe_footprint_new(CTXPROBE_FOOTPRINT_THREAD, N, 4096) == NULL, "touch on a thread");
    CHECK(ctxprobe_footprint_new(CTXPROBE_FOOTPRINT_FIBER, N, CTXPROBE_FOOTPRINT_FIBER_STACK) == NULL, "touch too deep");
    CHECK(ctxprobe_footprint_start(NULL) == -EINVAL, "start NULL");
    CHECK(ctxprobe_footprint_wait_ready(NULL, 1) == -EINVAL, "wait NULL");
    ctxprobe_footprint_free(NULL);

    test_kind(CTXPROBE_FOOTPRINT_PROCESS, 0, "process");
    test_kind(CTXPROBE_FOOTPRINT_THREAD, 0, "thread");
    test_kind(CTXPROBE_FOOTPRINT_FIBER, 0, "fiber");
    test_kind(CTXPROBE_FOOTPRINT_FIBER, 16 * 1024, "fiber-touched");
    test_free_tears_down(CTXPROBE_FOOTPRINT_PROCESS, "process/free");
    test_free_tears_down(CTXPROBE_FOOTPRINT_THREAD, "thread/free");
    test_free_tears_down(CTXPROBE_FOOTPRINT_FIBER, "fiber/free");
}
