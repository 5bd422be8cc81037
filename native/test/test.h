/* test.h — a tiny assertion kit for the libctxprobe C tests (no framework). */
#ifndef CTXPROBE_TEST_H
#define CTXPROBE_TEST_H

#include <stdio.h>

extern int test_passed, test_failed;

/* Records one check; prints the failing expression and location, keeps going. */
#define CHECK(cond, ...)                                                                  \
    do {                                                                                  \
        if (cond) {                                                                       \
            test_passed++;                                                                \
        } else {                                                                          \
            test_failed++;                                                                \
            fprintf(stderr, "FAIL %s:%d: %s:", __FILE__, __LINE__, #cond);              \
            fprintf(stderr, " " __VA_ARGS__);                                             \
            fputc('\n', stderr);                                                          \
        }                                                                                 \
    } while (0)

/* A check that cannot hold where the tests run (under an emulator): counted and printed with its
 * reason, never silently dropped. */
extern int test_skipped;
#define SKIP(...)                                                                         \
    do {                                                                                  \
        test_skipped++;                                                                   \
        fprintf(stderr, "SKIP %s:%d:", __FILE__, __LINE__);                               \
        fprintf(stderr, " " __VA_ARGS__);                                                 \
        fputc('\n', stderr);                                                              \
    } while (0)

/* main.c: the emulator the tests run under (CTXPROBE_TEST_EMULATOR, e.g. "qemu-aarch64"), or NULL
 * on real hardware. Under one, the groups' printed figures are the emulator's and are not shown. */
extern const char *test_emulator;

/* util.c: what leak checks count (see there). */
int test_open_fds(void);
int test_thread_count(void);
int test_maps_lines(void);
int test_no_child_left(void);
int test_allowed_cpus(int out[2]);
int test_threads_named(const char *prefix);   /* threads whose comm starts with prefix */

void test_basic(void);
void test_fiber(void);
void test_pingpong(void);
void test_mech(void);
void test_create(void);
void test_footprint(void);
void test_ipc(void);
void test_isolation(void);
void test_blocking(void);
void test_tlb(void);
void test_tlb_ctl(void);
void test_sched(void);

/* Shared by the fiber and ping-pong tests: median per switch of the hand-written FPU switch. */
extern double test_asm_ns_per_switch;

#endif
