/* main.c — runs every group of the one table below; the last line is "N passed, M failed"; exit
 * status 1 on any failure. A group is a function in its own file (declared in test.h): adding one
 * is a line here, and a group missing at link time is a link error, never a silent skip.
 * Under an emulator (CTXPROBE_TEST_EMULATOR set, as `make native-check-aarch64` does) the groups'
 * own output — timings, bandwidths, ratios — is the emulator's, not a measurement: it goes to
 * /dev/null, and each group reports its counts instead; the last line adds the skipped checks. */
#include <stdlib.h>
#include <unistd.h>

#include "test.h"

int test_passed, test_failed, test_skipped;
const char *test_emulator;

static const struct {
    const char *name;
    void (*run)(void);
} groups[] = {
    { "basic",     test_basic },
    { "fiber",     test_fiber },      /* before pingpong: sets test_asm_ns_per_switch */
    { "pingpong",  test_pingpong },
    { "mech",      test_mech },
    { "create",    test_create },
    { "footprint", test_footprint },
    { "ipc",       test_ipc },
    { "isolation", test_isolation },
    { "blocking",  test_blocking },
    { "tlb",       test_tlb },
    { "tlb_ctl",   test_tlb_ctl },
    { "sched",     test_sched },
};

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    FILE *report = stdout;
    const char *emu = getenv("CTXPROBE_TEST_EMULATOR");
    if (emu && *emu) {
        test_emulator = emu;
        int fd = dup(STDOUT_FILENO);
        report = fd < 0 ? NULL : fdopen(fd, "w");
        if (!report || !freopen("/dev/null", "w", stdout)) {
            perror("ctxprobe_test: hiding the emulator's figures");
            return 2;
        }
        setvbuf(report, NULL, _IOLBF, 0);
        fprintf(report, "under %s: figures are the emulator's, not measurements; not printed\n", emu);
    }
    for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++) {
        int passed = test_passed, failed = test_failed, skipped = test_skipped;
        groups[i].run();
        if (test_failed != failed)
            fprintf(stderr, "group %s: %d failed\n", groups[i].name, test_failed - failed);
        if (test_emulator)
            fprintf(report, "group %-9s %4d passed, %d failed, %d skipped\n", groups[i].name,
                    test_passed - passed, test_failed - failed, test_skipped - skipped);
    }
    if (test_skipped)
        fprintf(report, "%d passed, %d failed, %d skipped (reasons above)\n", test_passed, test_failed,
                test_skipped);
    else
        fprintf(report, "%d passed, %d failed\n", test_passed, test_failed);
    return test_failed ? 1 : 0;
}
