/* main.c — runs every group; the last line is "N passed, M failed"; exit status 1 on any failure. */
#include "test.h"

int test_passed, test_failed;

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    test_basic();
    test_fiber();
    test_pingpong();
    test_mech();
    printf("%d passed, %d failed\n", test_passed, test_failed);
    return test_failed ? 1 : 0;
}
