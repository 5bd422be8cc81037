/* test_tlb_ctl.c — tlb_switch.c's control: an abort from another thread ends a round-trip run
 * within one event, a killed partner process fails it with -EPIPE at once (the watch, not a
 * deadline) and the control says by which signal and after how many round trips; nothing is left. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ctxprobe.h"
#include "test.h"

#define LONG_BATCHES 1000
#define LONG_PASSES  100000              /* minutes of round trips: only an abort or a death ends it */

struct long_run {
    ctxprobe_tlb_ctl *ctl;
    int32_t event;
    int32_t rc;
    int64_t wall[LONG_BATCHES];
};

static void *long_run_main(void *arg)
{
    struct long_run *r = arg;
    r->rc = ctxprobe_tlb_switch_run_ctl(r->ctl, r->event, 0, 64, 0, LONG_BATCHES, LONG_PASSES, r->wall);
    return NULL;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The pid of this process's child whose comm is `name`, waiting up to 5 s for it; 0 if none. */
static pid_t child_named(const char *name)
{
    for (int tries = 0; tries < 5000; tries++) {
        DIR *d = opendir("/proc");
        struct dirent *e;
        pid_t found = 0;
        while (d && (e = readdir(d)) && !found) {
            char path[300], stat[512];
            if (e->d_name[0] < '1' || e->d_name[0] > '9')
                continue;
            snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
            FILE *f = fopen(path, "r");
            if (!f)
                continue;
            size_t n = fread(stat, 1, sizeof stat - 1, f);
            fclose(f);
            stat[n] = '\0';
            char *open = strchr(stat, '('), *close = strrchr(stat, ')');
            int ppid;
            if (open && close && sscanf(close + 2, "%*c %d", &ppid) == 1 && ppid == getpid() &&
                (size_t)(close - open - 1) == strlen(name) && strncmp(open + 1, name, strlen(name)) == 0)
                found = atoi(e->d_name);
        }
        if (d)
            closedir(d);
        if (found)
            return found;
        usleep(1000);
    }
    return 0;
}

/* An abort from another thread ends a long round-trip run within one event, thread or process. */
static void abort_mid_run(int32_t event)
{
    struct long_run *r = calloc(1, sizeof *r);
    r->ctl = ctxprobe_tlb_ctl_new();
    r->event = event;
    pthread_t t;
    CHECK(pthread_create(&t, NULL, long_run_main, r) == 0);
    usleep(200000);
    double t0 = now_s();
    ctxprobe_tlb_ctl_abort(r->ctl);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += 2;
    CHECK(pthread_timedjoin_np(t, NULL, &ts) == 0, "event %d: the run returned after the abort", event);
    CHECK(r->rc == -ECANCELED, "event %d: rc %d", event, r->rc);
    printf("tlb.switch event %d: aborted run returned %.1f ms after the abort\n", event, (now_s() - t0) * 1e3);
    CHECK(ctxprobe_tlb_ctl_round_trips(r->ctl) > 0, "event %d: partner answered before the abort", event);
    int64_t w[1];
    CHECK(ctxprobe_tlb_switch_run_ctl(r->ctl, event, 0, 64, 0, 1, 1, w) == -ECANCELED,
          "event %d: a run with an aborted control ends at once", event);
    ctxprobe_tlb_ctl_free(r->ctl);
    free(r);
}

/* The forked partner killed mid-run: -EPIPE at once, signal and round trips on the control. */
static void partner_killed(void)
{
    struct long_run *r = calloc(1, sizeof *r);
    r->ctl = ctxprobe_tlb_ctl_new();
    r->event = CTXPROBE_TLBEV_PROCESS_ROUNDTRIP;
    pthread_t t;
    CHECK(pthread_create(&t, NULL, long_run_main, r) == 0);
    pid_t pid = child_named("ctxp-tlb-echo");
    CHECK(pid > 0, "the partner is this process's child named ctxp-tlb-echo");
    usleep(100000);
    double t0 = now_s();
    if (pid > 0)
        kill(pid, SIGKILL);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += 2;
    int joined = pthread_timedjoin_np(t, NULL, &ts) == 0;
    CHECK(joined, "the run returned within 2 s of the partner's death");
    if (!joined) {
        ctxprobe_tlb_ctl_abort(r->ctl);
        pthread_join(t, NULL);
    }
    double ms = (now_s() - t0) * 1e3;
    CHECK(r->rc == -EPIPE, "rc %d", r->rc);
    int32_t sig = -1, code = -2;
    CHECK(ctxprobe_tlb_ctl_partner_end(r->ctl, &sig, &code) == 0 && sig == SIGKILL && code == -1,
          "partner end: signal %d, exit code %d", sig, code);
    int64_t n = ctxprobe_tlb_ctl_round_trips(r->ctl);
    CHECK(n > 0, "round trips %lld", (long long)n);
    printf("tlb.switch: partner killed by signal %d after %lld round trips, noticed in %.1f ms\n", sig,
           (long long)n, ms);
    ctxprobe_tlb_ctl_free(r->ctl);
    free(r);
}

void test_tlb_ctl(void)
{
    int threads0 = test_thread_count();
    abort_mid_run(CTXPROBE_TLBEV_THREAD_ROUNDTRIP);
    abort_mid_run(CTXPROBE_TLBEV_PROCESS_ROUNDTRIP);
    partner_killed();

    /* a normal run: the partner exited 0 when stopped; no partner: no data */
    ctxprobe_tlb_ctl *ctl = ctxprobe_tlb_ctl_new();
    int64_t w[2];
    int32_t sig = -1, code = -2;
    CHECK(ctxprobe_tlb_switch_run_ctl(ctl, CTXPROBE_TLBEV_PROCESS_ROUNDTRIP, 0, 64, 1, 2, 10, w) == 0);
    CHECK(ctxprobe_tlb_ctl_partner_end(ctl, &sig, &code) == 0 && sig == 0 && code == 0,
          "stopped partner: signal %d, exit %d", sig, code);
    /* 3 batches x 10 passes; the stop itself may count as one more (the abort moves the token) */
    int64_t n = ctxprobe_tlb_ctl_round_trips(ctl);
    CHECK(n == 30 || n == 31, "3 batches x 10 passes: %lld", (long long)n);
    CHECK(ctxprobe_tlb_switch_run_ctl(ctl, CTXPROBE_TLBEV_NULL_SYSCALL, 0, 64, 0, 2, 10, w) == 0);
    CHECK(ctxprobe_tlb_ctl_partner_end(ctl, &sig, &code) == -ENODATA);
    CHECK(ctxprobe_tlb_ctl_round_trips(ctl) == -ENODATA);
    CHECK(ctxprobe_tlb_ctl_partner_end(ctl, NULL, &code) == -EINVAL);
    ctxprobe_tlb_ctl_free(ctl);
    ctxprobe_tlb_ctl_free(NULL);
    ctxprobe_tlb_ctl_abort(NULL);

    CHECK(test_no_child_left());
    CHECK(test_thread_count() == threads0, "threads %d -> %d", threads0, test_thread_count());
}
