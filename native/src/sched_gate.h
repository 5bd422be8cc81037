/*
 * sched_gate.h — internal: what sched_slice.c and sched_wakeup.c share: the monotonic clock, a
 * shared (process-safe) futex gate, pinning, the thread's switch counts, and a thread started
 * with every signal blocked (the JVM's handlers must never run on a measuring thread).
 */
#ifndef CTXPROBE_SCHED_GATE_H
#define CTXPROBE_SCHED_GATE_H

#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static inline int64_t sg_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static inline int sg_aborted(const int32_t *abort)
{
    return abort && __atomic_load_n(abort, __ATOMIC_RELAXED) != 0;
}

/* Shared futexes (no FUTEX_PRIVATE_FLAG): the gate also works across fork in a MAP_SHARED page. */
static inline long sg_futex_wait(int32_t *word, int32_t expected, int64_t timeout_ns)
{
    struct timespec ts = { timeout_ns / 1000000000, timeout_ns % 1000000000 };
    return syscall(SYS_futex, word, FUTEX_WAIT, expected, timeout_ns >= 0 ? &ts : NULL, NULL, 0);
}

static inline void sg_futex_wake_all(int32_t *word)
{
    syscall(SYS_futex, word, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}

/* Waits until *word >= want or deadline_ns passes: 0 or -ETIMEDOUT. */
static inline int sg_wait_at_least(int32_t *word, int32_t want, int64_t deadline_ns)
{
    int32_t v;
    while ((v = __atomic_load_n(word, __ATOMIC_ACQUIRE)) < want) {
        int64_t left = deadline_ns - sg_now_ns();
        if (left <= 0)
            return -ETIMEDOUT;
        sg_futex_wait(word, v, left < 100000000 ? left : 100000000);
    }
    return 0;
}

static inline void sg_add_and_wake(int32_t *word, int32_t delta)
{
    __atomic_add_fetch(word, delta, __ATOMIC_RELEASE);
    sg_futex_wake_all(word);
}

static inline void sg_store_and_wake(int32_t *word, int32_t value)
{
    __atomic_store_n(word, value, __ATOMIC_RELEASE);
    sg_futex_wake_all(word);
}

/* Pins the calling thread (the process when it has one thread). 0 or -errno. */
static inline int sg_pin(int cpu)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return sched_setaffinity(0, sizeof set, &set) == 0 ? 0 : -errno;
}

/* SCHED_OTHER with a nice value (per thread on Linux: setpriority on the tid), or SCHED_RR /
 * SCHED_FIFO priority 1. EACCES (a nice below the current one) reads as -EPERM. */
static inline int sg_set_policy(int policy, int nice)
{
    if (policy == SCHED_OTHER) {
        if (setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), nice) != 0)
            return errno == EACCES ? -EPERM : -errno;
        return 0;
    }
    struct sched_param p = { .sched_priority = 1 };
    return sched_setscheduler(0, policy, &p) == 0 ? 0 : -errno;
}

/* The calling thread's {voluntary, involuntary} switches so far. */
static inline void sg_switches(int64_t out[2])
{
    struct rusage ru;
    if (getrusage(RUSAGE_THREAD, &ru) == 0) {
        out[0] = ru.ru_nvcsw;
        out[1] = ru.ru_nivcsw;
    } else {
        out[0] = out[1] = -1;
    }
}

/* pthread_create with every signal blocked in the new thread, named `name`. 0 or -errno. */
static inline int sg_thread_start(pthread_t *t, void *(*fn)(void *), void *arg, const char *name)
{
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int rc = pthread_create(t, NULL, fn, arg);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc == 0)
        pthread_setname_np(*t, name);
    return -rc;
}

#endif /* CTXPROBE_SCHED_GATE_H */
