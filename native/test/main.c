/* main.c — runs every group; the last line is "N passed, M failed"; exit status 1 on any failure. */
#include "test.h"

int test_passed, test_failed;

/* Groups that live in their own files; a weak empty default keeps main.c untouched as groups arrive. */
__attribute__((weak)) void test_create(void) {}
__attribute__((weak)) void test_footprint(void) {}
__attribute__((weak)) void test_ipc(void) {}
__attribute__((weak)) void test_isolation(void) {}
__attribute__((weak)) void test_blocking(void) {}
__attribute__((weak)) void test_tlb(void) {}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    test_basic();
    test_fiber();
    test_pingpong();
    test_mech();
    test_create();
    test_footprint();
    test_ipc();
    test_isolation();
    test_blocking();
    test_tlb();
    printf("%d passed, %d failed\n", test_passed, test_failed);
    return test_failed ? 1 : 0;
}
