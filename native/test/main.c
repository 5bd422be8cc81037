/* main.c — runs every group of the one table below; the last line is "N passed, M failed"; exit
 * status 1 on any failure. A group is a function in its own file (declared in test.h): adding one
 * is a line here, and a group missing at link time is a link error, never a silent skip. */
#include "test.h"

int test_passed, test_failed;

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
};

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++) {
        int failed = test_failed;
        groups[i].run();
        if (test_failed != failed)
            fprintf(stderr, "group %s: %d failed\n", groups[i].name, test_failed - failed);
    }
    printf("%d passed, %d failed\n", test_passed, test_failed);
    return test_failed ? 1 : 0;
}
