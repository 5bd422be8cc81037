/* test_ipc.c — ipc.latency's unix mechanism (thread and process mode on one CPU: >= 2 switches per
 * round trip, solo, abort) and ipc.bandwidth per channel (data verified, samples > 0, children
 * reaped, no fd left; bad arguments refused). Facts only, no timings. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ctxprobe.h"
#include "test.h"

/* One unix ping-pong on one CPU, driven as Java drives it; abort_ms > 0 aborts mid-run. */
static void unix_pingpong(int process, int cpu, int abort_ms)
{
    const char *what = process ? "unix process" : "unix thread";
    const int64_t batches = 5, ops = 300;
    int fds = test_open_fds();
    ctxprobe_pingpong *pp = ctxprobe_pingpong_new(CTXPROBE_MECH_UNIX,
                                                   process ? CTXPROBE_PP_PROCESS : 0, 1,
                                                   abort_ms ? 1000000 : batches, ops);
    CHECK(pp != NULL, "%s: new2", what);
    if (!pp)
        return;
    pthread_t t[2];
    int n = process ? 1 : 2;
    for (int i = 0; i < n; i++)
        CHECK(pthread_create(&t[i], NULL, ctxprobe_pingpong_main, ctxprobe_pingpong_side(pp, i)) == 0);
    if (process)
        CHECK(ctxprobe_pingpong_fork(pp, 1) > 0, "%s: fork", what);
    CHECK(ctxprobe_pingpong_wait_ready(pp, 5000) == 0, "%s: ready", what);
    for (int s = 0; s < 2; s++) {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(cpu, &set);
        CHECK(sched_setaffinity(ctxprobe_pingpong_tid(pp, s), sizeof set, &set) == 0);
    }
    ctxprobe_pingpong_go(pp);
    if (abort_ms) {
        struct timespec ts = { 0, abort_ms * 1000000L };
        nanosleep(&ts, NULL);
        ctxprobe_pingpong_abort(pp);
    }
    for (int i = 0; i < n; i++) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += 15;
        CHECK(pthread_timedjoin_np(t[i], NULL, &ts) == 0, "%s: join %d", what, i);
    }
    if (process)
        CHECK(ctxprobe_pingpong_reap(pp, 1, 10000) == 0, "%s: reap", what);
    int32_t err = ctxprobe_pingpong_error(pp);
    if (abort_ms) {
        CHECK(err == -ECANCELED, "%s abort: error %d", what, err);
    } else {
        CHECK(err == 0, "%s: error %d", what, err);
        int64_t sw = 0;
        for (int s = 0; s < 2; s++) {
            sw += ctxprobe_pingpong_rusage_delta(pp, s, 0) + ctxprobe_pingpong_rusage_delta(pp, s, 1);
            CHECK(ctxprobe_pingpong_cpu(pp, s, 0) == cpu && ctxprobe_pingpong_cpu(pp, s, 1) == cpu);
        }
        CHECK(sw >= 2 * batches * ops, "%s: %lld switches < 2 x %lld round trips", what,
              (long long)sw, (long long)(batches * ops));
        int64_t wall[5];
        CHECK(ctxprobe_pingpong_samples(pp, wall) == 0 && wall[0] > 0 && wall[4] > 0, "%s: samples", what);
        printf("pingpong unix    %-7s same-cpu %d: %9.1f ns/switch, %.3f switches per round trip\n",
               process ? "process" : "thread", cpu, (double)wall[2] / (2.0 * ops),
               (double)sw / (double)(batches * ops));
    }
    ctxprobe_pingpong_free(pp);
    CHECK(test_open_fds() == fds, "%s: fds %d -> %d", what, fds, test_open_fds());
    CHECK(test_no_child_left(), "%s: a child is left", what);
}

static void bandwidth(int32_t channel, const char *name, int cpu_w, int cpu_r)
{
    const int64_t msg = 64 * 1024, per_batch = 4 * msg * 8, batches = 4;
    int64_t wall[4] = { 0 };
    int fds = test_open_fds();
    int32_t rc = ctxprobe_ipc_bandwidth_run(channel, cpu_w, cpu_r, msg, 1, batches, per_batch, wall);
    CHECK(rc == 0, "bandwidth %s cpus %d,%d: rc %d", name, cpu_w, cpu_r, rc);
    for (int i = 0; i < batches; i++)
        CHECK(wall[i] > 0, "bandwidth %s: sample %d", name, i);
    CHECK(test_open_fds() == fds, "bandwidth %s: fds %d -> %d", name, fds, test_open_fds());
    CHECK(test_no_child_left(), "bandwidth %s: a child is left", name);
    if (rc == 0)
        printf("bandwidth %-13s cpus %d,%d: %8.0f MB/s (batch 1)\n", name, cpu_w, cpu_r,
               (double)per_batch * 1e3 / (double)wall[1]);
}

void test_ipc(void)
{
    int cpus[2];
    int n = test_allowed_cpus(cpus);
    CHECK(n >= 1);
    if (n < 1)
        return;
    unix_pingpong(0, cpus[0], 0);
    unix_pingpong(1, cpus[0], 0);
    unix_pingpong(1, cpus[0], 20);

    int64_t solo[3];
    CHECK(ctxprobe_mechanism_solo_run(CTXPROBE_MECH_UNIX, 1, 3, 100, solo, NULL) == 0, "unix solo");
    CHECK(solo[0] > 0 && solo[2] > 0, "unix solo samples");

    static const struct { int32_t id; const char *name; } ch[] = {
        { CTXPROBE_IPC_SHM_THREADS, "shared-memory" }, { CTXPROBE_IPC_PIPE, "pipe" },
        { CTXPROBE_IPC_UNIX, "unix-socket" }, { CTXPROBE_IPC_SHM_FUTEX, "shm-futex" },
    };
    for (int i = 0; i < 4; i++) {
        bandwidth(ch[i].id, ch[i].name, cpus[0], cpus[0]);
        if (n == 2)
            bandwidth(ch[i].id, ch[i].name, cpus[0], cpus[1]);
    }
    bandwidth(CTXPROBE_IPC_PIPE, "pipe unpinned", -1, -1);

    int64_t w[2];
    CHECK(ctxprobe_ipc_bandwidth_run(0, 0, 0, 65536, 0, 1, 65536, w) == -EINVAL, "bad channel");
    CHECK(ctxprobe_ipc_bandwidth_run(1, 0, 0, 65535, 0, 1, 65535, w) == -EINVAL, "odd message");
    CHECK(ctxprobe_ipc_bandwidth_run(1, 0, 0, 65536, 0, 1, 65536 + 8, w) == -EINVAL, "partial batch");
    CHECK(ctxprobe_ipc_bandwidth_run(1, 0, 0, 65536, 0, 1, 65536, NULL) == -EINVAL, "no samples");
}
