/*
 * blocking.c — blocking: what one blocking system call does to the other fibers of an M:1 scheduler.
 *
 * A tiny cooperative round-robin scheduler on the calling thread (the hand-written switch of
 * switch_*.S, stacks from fiber_stack.c): `workers` worker fibers each count one progress step and
 * yield; one blocker fiber reads one byte from a pipe. A feeder pthread makes the pipe readable at
 * run start + delay_ns. Two ways for the blocker to wait:
 *
 *   READ  — a plain blocking read(2). The kernel puts the *thread* to sleep: the scheduler, which is
 *           only code on that thread, cannot run another fiber until read returns.
 *   EPOLL — the fd is O_NONBLOCK: read returns EAGAIN, the blocker registers the fd with an epoll
 *           set, marks itself waiting and yields. The scheduler polls the set with timeout 0 once
 *           per cycle and resumes the blocker when the fd is readable. A worker's longest stall is
 *           then one scheduler cycle (plus whatever the kernel takes the thread away for), far
 *           below the delay.
 *
 * The measure is the workers' longest gap between consecutive progress steps (any worker): each
 * step reads CLOCK_MONOTONIC (vDSO), so the gap includes one clock read and one cycle.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>

#include "ctxprobe/blocking.h"
#include "fiber_switch.h"

#define BLOCK_STACK_SIZE  (64 * 1024)   /* usable bytes per fiber; a guard page lies below */
#define BLOCK_MAX_WORKERS 64
#define BLOCK_MAX_DELAY_NS (60LL * 1000000000LL)

struct bfiber {
    void *sp;                 /* saved stack pointer while suspended */
    int   waiting;            /* EPOLL mode: waits for its fd, the scheduler skips it */
    struct ctxp_stack stack;
};

struct bsched {
    int32_t mode;
    int32_t nworkers;
    void   *sched_sp;         /* the scheduler's (the calling thread's own) context */
    struct bfiber *cur;
    struct bfiber f[BLOCK_MAX_WORKERS + 1];   /* workers 0..n-1, the blocker at n */
    int     rfd;              /* pipe read end */
    int     epfd;             /* EPOLL mode, -1 otherwise */
    int     blocker_finished; /* the blocker got its byte or failed */
    int     error;            /* the blocker's negative errno, 0 */
    int64_t last_step;        /* CLOCK_MONOTONIC of the latest worker step (run start at first) */
    int64_t longest;          /* the longest gap between consecutive steps */
    int64_t steps;            /* worker steps */
};

struct feeder {
    int     wfd;              /* owned by the feeder: it closes it after writing */
    int64_t at_ns;            /* absolute CLOCK_MONOTONIC deadline */
    int     error;
};

static inline int64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static inline void fiber_yield(struct bsched *s)
{
    ctxprobe_fiber_jump(&s->cur->sp, s->sched_sp);
}

static inline void fiber_resume(struct bsched *s, struct bfiber *f)
{
    s->cur = f;
    ctxprobe_fiber_jump(&s->sched_sp, f->sp);
}

/* A worker: one step = one clock read, the gap since the previous step of any worker, one count. */
static void worker_body(void *arg)
{
    struct bsched *s = arg;
    for (;;) {
        int64_t now = mono_ns();
        int64_t gap = now - s->last_step;
        if (gap > s->longest)
            s->longest = gap;
        s->last_step = now;
        s->steps++;                 /* the one line that counts progress */
        fiber_yield(s);
    }
}

/* The blocker: one byte from the pipe, the way the mode says; then it only yields. */
static void blocker_body(void *arg)
{
    struct bsched *s = arg;
    struct bfiber *self = &s->f[s->nworkers];
    int registered = 0;
    for (;;) {
        char c;
        ssize_t n = read(s->rfd, &c, 1);
        if (n == 1)
            break;
        if (n == 0) {               /* the feeder closed without writing */
            s->error = -EPIPE;
            break;
        }
        if (errno == EINTR)         /* a signal to the (JVM) thread: the read is simply retried */
            continue;
        if (errno == EAGAIN && s->mode == CTXPROBE_BLOCKING_EPOLL) {
            if (!registered) {
                struct epoll_event ev = { .events = EPOLLIN, .data.u32 = (uint32_t)s->nworkers };
                if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, s->rfd, &ev) != 0) {
                    s->error = -errno;
                    break;
                }
                registered = 1;
            }
            self->waiting = 1;      /* the scheduler clears it when epoll says readable */
            fiber_yield(s);
            continue;
        }
        s->error = -errno;
        break;
    }
    s->blocker_finished = 1;
    for (;;)                        /* a fiber never returns; it is simply not resumed again */
        fiber_yield(s);
}

static void *feeder_main(void *arg)
{
    struct feeder *fd = arg;
    struct timespec at = { .tv_sec = fd->at_ns / 1000000000, .tv_nsec = fd->at_ns % 1000000000 };
    int rc;
    while ((rc = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, NULL)) == EINTR)
        ;
    if (rc == 0) {
        ssize_t n;
        while ((n = write(fd->wfd, "x", 1)) < 0 && errno == EINTR)
            ;
        if (n != 1)
            fd->error = n < 0 ? -errno : -EIO;
    } else {
        fd->error = -rc;
    }
    /* Closing also covers a failed write: the blocker then sees end of file instead of hanging. */
    close(fd->wfd);
    return NULL;
}

/* The feeder runs only this file's code: all signals blocked, so none of the JVM's handlers ever
 * runs on a thread the JVM does not know. The calling thread's mask is restored right after. */
static int start_feeder(pthread_t *t, struct feeder *fd)
{
    sigset_t all, old;
    sigfillset(&all);
    int rc = pthread_sigmask(SIG_SETMASK, &all, &old);
    if (rc)
        return -rc;
    rc = pthread_create(t, NULL, feeder_main, fd);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return -rc;
}

/* The pipe (non-blocking for EPOLL), the epoll set, and every fiber's stack and first frame.
 * 0 or -errno; what was made is released by sched_release. */
static int sched_setup(struct bsched *s, int32_t mode, int32_t workers, int *wfd)
{
    int pfd[2];
    if (pipe2(pfd, O_CLOEXEC | (mode == CTXPROBE_BLOCKING_EPOLL ? O_NONBLOCK : 0)) != 0)
        return -errno;
    s->rfd = pfd[0];
    *wfd = pfd[1];
    if (mode == CTXPROBE_BLOCKING_EPOLL) {
        s->epfd = epoll_create1(EPOLL_CLOEXEC);
        if (s->epfd < 0)
            return -errno;
    }
    for (int i = 0; i <= workers; i++) {
        int rc = ctxp_stack_alloc(&s->f[i].stack, BLOCK_STACK_SIZE);
        if (rc)
            return rc;
        s->f[i].sp = ctxprobe_fiber_make(s->f[i].stack.hi, i < workers ? worker_body : blocker_body, s);
    }
    return 0;
}

/* Round-robin until the blocker has its byte, then one more step of every worker. */
static void sched_loop(struct bsched *s, int32_t workers)
{
    struct bfiber *blocker = &s->f[workers];
    while (!s->blocker_finished) {
        int runnable = 0;
        for (int i = 0; i <= workers && !s->blocker_finished; i++) {
            if (s->f[i].waiting)
                continue;
            runnable++;
            fiber_resume(s, &s->f[i]);
        }
        if (blocker->waiting) {
            /* Poll without sleeping while any fiber can run; sleep in the kernel only when every
             * fiber waits on I/O (never with a worker present, kept for what the design means). */
            struct epoll_event ev;
            int n = epoll_wait(s->epfd, &ev, 1, runnable ? 0 : -1);
            if (n > 0)
                blocker->waiting = 0;
            else if (n < 0 && errno != EINTR) {
                s->error = -errno;
                break;
            }
        }
    }
    /* One more step of every worker closes the gap that the blocker's wait may have opened. */
    if (!s->error)
        for (int i = 0; i < workers; i++)
            fiber_resume(s, &s->f[i]);
}

/* Every fiber is left suspended in its loop; each holds nothing but its stack. */
static void sched_release(struct bsched *s, int32_t workers, int wfd)
{
    for (int i = 0; i <= workers; i++)
        ctxp_stack_free(&s->f[i].stack);
    if (s->epfd >= 0)
        close(s->epfd);
    if (wfd >= 0)
        close(wfd);
    if (s->rfd >= 0)
        close(s->rfd);
}

int32_t ctxprobe_blocking_fibers_run(int32_t mode, int32_t workers, int64_t delay_ns,
                                     int64_t *longest_stall_ns, int64_t *progress_steps,
                                     int64_t *elapsed_ns, int64_t *switches)
{
    if ((mode != CTXPROBE_BLOCKING_READ && mode != CTXPROBE_BLOCKING_EPOLL) || workers < 1 ||
        workers > BLOCK_MAX_WORKERS || delay_ns <= 0 || delay_ns > BLOCK_MAX_DELAY_NS ||
        !longest_stall_ns || !progress_steps || !elapsed_ns)
        return -EINVAL;
    struct bsched s;
    memset(&s, 0, sizeof s);
    s.mode = mode;
    s.nworkers = workers;
    s.rfd = -1;
    s.epfd = -1;
    int wfd = -1;
    struct rusage ru0, ru1;
    int rc = sched_setup(&s, mode, workers, &wfd);
    if (rc == 0 && switches && getrusage(RUSAGE_THREAD, &ru0) != 0)
        rc = -errno;
    if (rc) {
        sched_release(&s, workers, wfd);
        return rc;
    }
    int64_t t0 = mono_ns();
    s.last_step = t0;
    struct feeder feed = { .wfd = wfd, .at_ns = t0 + delay_ns, .error = 0 };
    pthread_t feeder_thread;
    if ((rc = start_feeder(&feeder_thread, &feed)) != 0) {
        sched_release(&s, workers, wfd);
        return rc;
    }
    wfd = -1;                       /* the feeder's now */
    sched_loop(&s, workers);
    pthread_join(feeder_thread, NULL);
    if (switches && getrusage(RUSAGE_THREAD, &ru1) == 0) {
        switches[0] = ru1.ru_nvcsw - ru0.ru_nvcsw;
        switches[1] = ru1.ru_nivcsw - ru0.ru_nivcsw;
    } else if (switches) {
        switches[0] = switches[1] = -1;
    }
    rc = s.error ? s.error : feed.error;
    if (!rc) {
        *longest_stall_ns = s.longest;
        *progress_steps = s.steps;
        *elapsed_ns = s.last_step - t0;
    }
    sched_release(&s, workers, wfd);
    return rc;
}
