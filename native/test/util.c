/* util.c — what several test groups ask of the process: its open fds, threads, mappings, children
 * and allowed CPUs. One definition each, so every leak check counts the same way. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "test.h"

/* Entries of a /proc directory, "." and ".." excluded; -1 if it cannot be read. */
static int proc_entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    if (!d)
        return -1;
    while ((e = readdir(d)))
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

int test_open_fds(void)
{
    return proc_entries("/proc/self/fd");
}

int test_thread_count(void)
{
    return proc_entries("/proc/self/task");
}

int test_maps_lines(void)
{
    FILE *f = fopen("/proc/self/maps", "re");
    int n = 0, c;
    if (!f)
        return -1;
    while ((c = fgetc(f)) != EOF)
        n += c == '\n';
    fclose(f);
    return n;
}

int test_no_child_left(void)
{
    return waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD;
}

int test_allowed_cpus(int out[2])
{
    cpu_set_t set;
    int n = 0;
    if (sched_getaffinity(0, sizeof set, &set) != 0)
        return 0;
    for (int c = 0; c < CPU_SETSIZE && n < 2; c++)
        if (CPU_ISSET(c, &set))
            out[n++] = c;
    return n;
}

int test_threads_named(const char *prefix)
{
    DIR *d = opendir("/proc/self/task");
    struct dirent *e;
    int n = 0;
    size_t len = strlen(prefix);
    if (!d)
        return -1;
    while ((e = readdir(d)) != NULL) {
        char path[300], comm[32] = {0};
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "/proc/self/task/%s/comm", e->d_name);
        FILE *f = fopen(path, "re");
        if (f) {
            if (fgets(comm, sizeof comm, f) && strncmp(comm, prefix, len) == 0)
                n++;
            fclose(f);
        }
    }
    closedir(d);
    return n;
}
