/* test_tlb.c — tlb_*.c: each chase is one cycle through every line, each layout runs or fails
 * cleanly, nothing stays mapped, every event runs and the round-trip partner is joined or reaped. */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>

#include "ctxprobe.h"
#include "test.h"

void test_tlb(void)
{
    int maps0 = test_maps_lines(), threads0 = test_thread_count();
    static const int32_t layouts[] = { CTXPROBE_TLB_SPARSE_4K, CTXPROBE_TLB_PACKED,
                                       CTXPROBE_TLB_SPARSE_THP, CTXPROBE_TLB_SPARSE_HUGETLB };

    /* the chase is one cycle through all N lines, for several N (odd ones too) */
    static const int64_t sizes[] = { 2, 3, 8, 63, 64, 96, 1000, 4096 };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        for (int l = 0; l < 3; l++) {
            int64_t v = ctxprobe_tlb_reach_verify(layouts[l], sizes[i]);
            CHECK(v == sizes[i], "layout %d, %lld lines: verify %lld", layouts[l], (long long)sizes[i],
                  (long long)v);
        }
    }
    int64_t hv = ctxprobe_tlb_reach_verify(CTXPROBE_TLB_SPARSE_HUGETLB, 64);
    CHECK(hv == 64 || hv == -ENOMEM || hv == -EINVAL, "hugetlb verify: %lld", (long long)hv);

    /* every layout runs, or fails cleanly (hugetlbfs without reserved pages: -ENOMEM) */
    for (int l = 0; l < 4; l++) {
        int64_t wall[3] = { -1, -1, -1 }, huge = -2;
        int rc = ctxprobe_tlb_reach_run(layouts[l], 512, 1, 3, 10000, wall, &huge);
        if (layouts[l] == CTXPROBE_TLB_SPARSE_HUGETLB && rc != 0) {
            CHECK(rc == -ENOMEM || rc == -EINVAL, "hugetlb run: %d", rc);
            printf("tlb.reach hugetlb: %s (no huge pages reserved)\n", strerror(-rc));
            continue;
        }
        CHECK(rc == 0, "layout %d run: %d", layouts[l], rc);
        CHECK(wall[0] > 0 && wall[1] > 0 && wall[2] > 0, "layout %d batch times", layouts[l]);
        CHECK(huge >= -1, "layout %d huge_kib %lld", layouts[l], (long long)huge);
        if (layouts[l] == CTXPROBE_TLB_SPARSE_THP)
            printf("tlb.reach THP: AnonHugePages %lld KiB for 512 pages\n", (long long)huge);
    }
    int64_t w1[1];
    CHECK(ctxprobe_tlb_reach_run(99, 64, 0, 1, 10, w1, NULL) == -EINVAL, "bad layout");
    CHECK(ctxprobe_tlb_reach_run(CTXPROBE_TLB_PACKED, 1, 0, 1, 10, w1, NULL) == -EINVAL, "1 page");
    CHECK(ctxprobe_tlb_reach_run(CTXPROBE_TLB_PACKED, 64, 0, 0, 10, w1, NULL) == -EINVAL, "0 batches");

    /* a coarse look (printed, not asserted: timings are noisy here) */
    for (int64_t n = 64; n <= 8192; n *= 8) {
        int64_t s[3], p[3];
        ctxprobe_tlb_reach_run(CTXPROBE_TLB_SPARSE_4K, n, 1, 3, 200000, s, NULL);
        ctxprobe_tlb_reach_run(CTXPROBE_TLB_PACKED, n, 1, 3, 200000, p, NULL);
        printf("tlb.reach N=%lld: sparse %.2f ns/load, packed %.2f ns/load\n", (long long)n,
               s[1] / 2e5, p[1] / 2e5);
    }

    /* every event runs, sparse and packed; partners joined and children reaped */
    for (int32_t ev = CTXPROBE_TLBEV_NONE; ev <= CTXPROBE_TLBEV_PROCESS_ROUNDTRIP; ev++) {
        for (int packed = 0; packed <= 1; packed++) {
            int64_t wall[3] = { -1, -1, -1 };
            int rc = ctxprobe_tlb_switch_run(ev, packed, 256, 1, 3, 50, wall);
            CHECK(rc == 0, "event %d packed %d: %d", ev, packed, rc);
            CHECK(wall[0] > 0 && wall[2] > 0, "event %d packed %d: batch times", ev, packed);
        }
    }
    int status;
    CHECK(waitpid(-1, &status, WNOHANG) == -1 && errno == ECHILD, "no child left unreaped");
    CHECK(test_thread_count() == threads0, "partner threads joined: %d vs %d", test_thread_count(), threads0);
    CHECK(ctxprobe_tlb_switch_run(6, 0, 64, 0, 1, 1, w1) == -EINVAL, "bad event");
    CHECK(ctxprobe_tlb_switch_run(0, 0, 1, 0, 1, 1, w1) == -EINVAL, "1 page");

    int maps1 = test_maps_lines();
    CHECK(maps1 == maps0, "no mapping left: /proc/self/maps %d lines, %d before", maps1, maps0);
}
