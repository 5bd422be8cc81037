/* test_isolation.c — every isolation scenario, several times: a crashed child leaves its parent and
 * sibling alive; a crashed thread or fiber kills its whole process by SIGSEGV; the fault-to-notice
 * time is positive; no child, fd or core file is left. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ctxprobe.h"
#include "test.h"

static int core_files(void)
{
    DIR *d = opendir(".");
    int n = 0;
    struct dirent *e;
    if (!d)
        return -1;
    while ((e = readdir(d)) != NULL)
        n += strncmp(e->d_name, "core", 4) == 0 && (e->d_name[4] == 0 || e->d_name[4] == '.');
    closedir(d);
    return n;
}

void test_isolation(void)
{
    static const char *names[] = { "", "child-process", "thread", "fiber" };
    int fds = test_open_fds(), cores = core_files();
    for (int32_t sc = CTXPROBE_ISO_CHILD_PROCESS; sc <= CTXPROBE_ISO_FIBER; sc++) {
        for (int rep = 0; rep < 3; rep++) {
            int64_t ns = -1;
            int32_t bits = -1, sig = -1;
            int32_t rc = ctxprobe_isolation_run(sc, &ns, &bits, &sig);
            CHECK(rc == 0, "isolation %s: rc %d", names[sc], rc);
            CHECK(ns > 0, "isolation %s: notice %lld ns", names[sc], (long long)ns);
            CHECK(sig == SIGSEGV, "isolation %s: signal %d", names[sc], sig);
            CHECK(bits & CTXPROBE_ISO_SIBLING_RAN, "isolation %s: bits %#x", names[sc], bits);
            CHECK(bits & CTXPROBE_ISO_FAULTER_KILLED, "isolation %s: bits %#x", names[sc], bits);
            if (sc == CTXPROBE_ISO_CHILD_PROCESS) {
                CHECK(bits & CTXPROBE_ISO_PARENT_SURVIVED, "child-process: parent died, bits %#x", bits);
                CHECK(bits & CTXPROBE_ISO_SIBLING_SURVIVED, "child-process: sibling died, bits %#x", bits);
                CHECK(!(bits & CTXPROBE_ISO_PROCESS_KILLED), "child-process: bits %#x", bits);
            } else {
                CHECK(bits & CTXPROBE_ISO_PROCESS_KILLED, "%s: process lived, bits %#x", names[sc], bits);
                CHECK(!(bits & CTXPROBE_ISO_PARENT_SURVIVED), "%s: bits %#x", names[sc], bits);
                CHECK(!(bits & CTXPROBE_ISO_SIBLING_SURVIVED), "%s: sibling lived, bits %#x", names[sc], bits);
            }
            if (rep == 0 && rc == 0)
                printf("isolation %-13s: signal %d, notice %.1f us, bits %#x\n", names[sc], sig,
                       (double)ns / 1e3, bits);
        }
    }
    int64_t ns;
    int32_t bits, sig;
    CHECK(ctxprobe_isolation_run(0, &ns, &bits, &sig) == -EINVAL);
    CHECK(ctxprobe_isolation_run(1, NULL, &bits, &sig) == -EINVAL);
    CHECK(test_open_fds() == fds, "isolation: fds %d -> %d", fds, test_open_fds());
    CHECK(waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD, "isolation: a child is left");
    CHECK(core_files() == cores, "isolation: core files %d -> %d", cores, core_files());
}
