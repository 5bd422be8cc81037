/* test_basic.c — clock.c, cpuid.c, syscall_loop.c. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "ctxprobe.h"
#include "test.h"

void test_basic(void)
{
    CHECK(ctxprobe_abi_version() == CTXPROBE_ABI_VERSION);

    int64_t t0 = ctxprobe_now_ns(), t1 = ctxprobe_now_ns();
    CHECK(t0 > 0 && t1 >= t0, "t0=%lld t1=%lld", (long long)t0, (long long)t1);
    CHECK(ctxprobe_thread_cpu_ns() > 0);

    int64_t ps = ctxprobe_timer_cost_ps(2001);
    CHECK(ps > 0, "timer cost %lld ps", (long long)ps);
    CHECK(ctxprobe_timer_cost_ps(0) == -EINVAL);
    CHECK(ctxprobe_timer_cost_ps(-5) == -EINVAL);
    printf("timer: %.1f ns per CLOCK_MONOTONIC read (median)\n", ps / 1000.0);

    uint32_t r[4] = {0};
#if defined(__x86_64__)
    char vendor[13];
    CHECK(ctxprobe_cpuid(0, 0, r) == 0);
    memcpy(vendor, &r[1], 4);
    memcpy(vendor + 4, &r[3], 4);
    memcpy(vendor + 8, &r[2], 4);
    vendor[12] = 0;
    CHECK(r[0] >= 1 && vendor[0] != 0, "max leaf %u vendor '%s'", r[0], vendor);
    printf("cpuid: vendor %s, max leaf %u\n", vendor, r[0]);
#else
    /* No CPUID off x86: the call says so and leaves nothing behind. */
    r[0] = r[1] = r[2] = r[3] = 7;
    CHECK(ctxprobe_cpuid(0, 0, r) == -ENOSYS && !(r[0] | r[1] | r[2] | r[3]), "cpuid off x86");
#endif

    enum { B = 4, OPS = 200 };
    int64_t wall[B], cpu[B];
    memset(wall, 0, sizeof wall);
    memset(cpu, 0, sizeof cpu);
    CHECK(ctxprobe_syscall_null_run(1, B, OPS, wall, cpu) == 0);
    for (int i = 0; i < B; i++)
        CHECK(wall[i] > 0 && cpu[i] > 0, "batch %d wall %lld cpu %lld", i, (long long)wall[i],
              (long long)cpu[i]);
    CHECK(ctxprobe_syscall_null_run(0, B, OPS, wall, NULL) == 0);
    CHECK(ctxprobe_syscall_null_run(-1, B, OPS, wall, NULL) == -EINVAL);
    CHECK(ctxprobe_syscall_null_run(0, 0, OPS, wall, NULL) == -EINVAL);
    CHECK(ctxprobe_syscall_null_run(0, B, 0, wall, NULL) == -EINVAL);
    CHECK(ctxprobe_syscall_null_run(0, B, OPS, NULL, NULL) == -EINVAL);
    printf("syscall.null: %.1f ns per getppid (batch 0)\n", (double)wall[0] / OPS);
}
