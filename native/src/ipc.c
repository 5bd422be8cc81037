/*
 * ipc.c — ipc.bandwidth: a writer moves a fixed volume to a reader in fixed-size messages over one
 * channel, and the reader verifies every byte it got.
 *
 * Channels (ctxprobe.h CTXPROBE_IPC_*): two threads sharing a ring of message slots (private
 * futexes), or a forked writer process feeding a reader thread here over a pipe, a unix stream
 * socket, or the same ring in a MAP_SHARED mapping (shared futexes). The reader is always a thread
 * created here, so neither side runs on (or pins) the caller's thread; each side pins itself.
 *
 * The ring: SLOTS slots of msg bytes; head counts messages written, tail messages read (32-bit,
 * compared by difference, so they may wrap). A side that must wait spins briefly (only when the
 * two sides may run on different CPUs: on one CPU a spinner only burns the other side's slice),
 * then sleeps on the counter the other side moves (FUTEX_WAIT compares it atomically). The
 * "waiting" flags make the poster skip FUTEX_WAKE when nobody sleeps: waiter stores its flag then
 * re-reads the counter, poster moves the counter then reads the flag (all seq_cst), so at least
 * one of them sees the other (Dekker).
 *
 * Verification: the writer sends from one pattern buffer whose first and last word it stamps with
 * the message's sequence number (+1) before each send; the reader copies the message into its own
 * buffer and checks both stamps (catches lost, repeated, reordered and torn messages) and the sum
 * of the words between them (catches wrong bytes). A pipe or socket must then read end-of-file:
 * no extra bytes.
 *
 * Process mode: the child is forked from the calling thread through child.c (all signals blocked:
 * the handlers it inherits are the JVM's, and SIGPIPE blocked turns a closed reader into EPIPE;
 * PR_SET_PDEATHSIG(SIGKILL)), runs only this file's writer (memcpy, write, futex) and leaves with
 * _exit. A partner watch notices the writer's death at once and aborts the reader instead of
 * leaving it waiting.
 *
 * ctxprobe_ipc_bandwidth_run in steps, one function each: check the arguments, fill the pattern,
 * open the channel, start the writer, run the reader, finish the writer, give the verdict, close.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "ctxprobe/ipc.h"
#include "batch.h"
#include "child.h"
#include "cpu_relax.h"

#define SLOTS 4                          /* ring depth: 4 x 64 KiB stays within a typical L2 */
#define HDR_BYTES 4096                   /* the ring's counters, one page before the slots */
#define SPIN_LOOKS 2000                  /* looks before sleeping, when the sides may be on two CPUs */
#define STALL_NS (30LL * 1000000000)     /* no progress this long: give up (-ETIMEDOUT) */
#define REAP_MS 10000                    /* a writer still there this long after the reader: SIGKILL */
#define MSG_MIN 64
#define MSG_MAX (16LL << 20)

struct ring {
    _Alignas(64) _Atomic uint32_t head;            /* messages written */
    _Alignas(64) _Atomic uint32_t tail;            /* messages read */
    _Alignas(64) _Atomic uint32_t reader_waiting;
    _Atomic uint32_t writer_waiting;
    _Atomic int32_t  abort_flag;
    int32_t futex_private;                         /* FUTEX_PRIVATE_FLAG, or 0 when shared */
    int32_t spin;                                  /* looks before sleeping */
};

struct run {
    int32_t channel, cpu_writer, cpu_reader;
    size_t msg;                                    /* bytes per message */
    int64_t warmup, batches, per_batch;            /* per_batch: messages */
    int64_t *wall_ns;
    uint64_t *src;                                 /* the writer's pattern buffer */
    uint64_t pattern_sum;                          /* sum of the words between the stamps */
    struct ring *ring;                             /* ring channels */
    char *slots;
    int rfd, wfd;                                  /* fd channels: reader's and writer's ends */
    int32_t reader_rc, writer_rc;
    int process;                                   /* the writer is a forked child */
    pthread_t writer;                              /* the writer thread (SHM_THREADS) */
    struct ctxp_child child;                       /* the writer process */
    struct ctxp_watch watch;                       /* notices the writer process's end at once */
    void *ring_map;                                /* MAP_FAILED when there is no ring */
    size_t ring_len;
};

static long futex(struct ring *r, _Atomic uint32_t *w, int op, uint32_t val, const struct timespec *ts)
{
    return syscall(SYS_futex, (uint32_t *)w, op | r->futex_private, val, ts, NULL, 0);
}

static int pin(int32_t cpu)
{
    if (cpu < 0)
        return 0;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return sched_setaffinity(0, sizeof set, &set) == 0 ? 0 : -errno;
}

/* Waits while *w == busy. 0, -ECANCELED (abort), -ETIMEDOUT (stalled), or -errno. */
static int ring_wait(struct ring *r, _Atomic uint32_t *w, uint32_t busy, _Atomic uint32_t *waiting)
{
    for (int i = 0; i < r->spin; i++) {
        if (atomic_load_explicit(w, memory_order_acquire) != busy)
            return 0;
        ctxp_cpu_relax();
    }
    int64_t since = batch_clock_ns(CLOCK_MONOTONIC);
    const struct timespec slice = { 0, 100000000 };   /* re-check abort every 100 ms */
    while (atomic_load(w) == busy) {
        if (atomic_load(&r->abort_flag))
            return -ECANCELED;
        atomic_store(waiting, 1);
        if (atomic_load(w) == busy &&
            futex(r, w, FUTEX_WAIT, busy, &slice) < 0 && errno != EAGAIN && errno != EINTR &&
            errno != ETIMEDOUT) {
            int rc = -errno;
            atomic_store(waiting, 0);
            return rc;
        }
        atomic_store(waiting, 0);
        if (batch_clock_ns(CLOCK_MONOTONIC) - since > STALL_NS) {
            atomic_store(&r->abort_flag, 1);
            return -ETIMEDOUT;
        }
    }
    return 0;
}

static void ring_post(struct ring *r, _Atomic uint32_t *w, _Atomic uint32_t *waiting)
{
    atomic_fetch_add(w, 1);
    if (atomic_load(waiting))
        futex(r, w, FUTEX_WAKE, 1, NULL);
}

static void ring_abort(struct ring *r)
{
    atomic_store(&r->abort_flag, 1);
    futex(r, &r->head, FUTEX_WAKE, INT32_MAX, NULL);
    futex(r, &r->tail, FUTEX_WAKE, INT32_MAX, NULL);
}

static int write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* 0 with len bytes read; -EPIPE at end-of-file before that. */
static int read_full(int fd, void *buf, size_t len)
{
    char *p = buf;
    while (len > 0) {
        ssize_t n = read(fd, p, len);
        if (n == 0)
            return -EPIPE;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* The writer: async-signal-safe calls only (it is a forked child's whole life). */
static int writer_body(struct run *x)
{
    int rc = pin(x->cpu_writer);
    if (rc)
        return rc;
    size_t words = x->msg / 8;
    int64_t total = (x->warmup + x->batches) * x->per_batch;
    for (int64_t m = 0; m < total; m++) {
        x->src[0] = x->src[words - 1] = (uint64_t)m + 1;
        if (x->ring) {
            struct ring *r = x->ring;
            uint32_t head = atomic_load_explicit(&r->head, memory_order_relaxed);
            if ((rc = ring_wait(r, &r->tail, head - SLOTS, &r->writer_waiting)) != 0)
                return rc;
            memcpy(x->slots + (size_t)(head % SLOTS) * x->msg, x->src, x->msg);
            ring_post(r, &r->head, &r->reader_waiting);
        } else if ((rc = write_all(x->wfd, x->src, x->msg)) != 0) {
            return rc;
        }
    }
    return 0;
}

static void *writer_thread(void *arg)
{
    struct run *x = arg;
    x->writer_rc = writer_body(x);
    if (x->writer_rc && x->ring)
        ring_abort(x->ring);
    return NULL;
}

static int verify(const uint64_t *dst, size_t words, int64_t m, uint64_t pattern_sum)
{
    if (dst[0] != (uint64_t)m + 1 || dst[words - 1] != (uint64_t)m + 1)
        return -EBADMSG;
    uint64_t sum = 0;
    for (size_t i = 1; i + 1 < words; i++)
        sum += dst[i];
    return sum == pattern_sum ? 0 : -EBADMSG;
}

static int reader_body(struct run *x)
{
    int rc = pin(x->cpu_reader);
    if (rc)
        return rc;
    uint64_t *dst = mmap(NULL, x->msg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (dst == MAP_FAILED)
        return -errno;
    size_t words = x->msg / 8;
    int64_t m = 0;
    for (int64_t b = -x->warmup; b < x->batches && rc == 0; b++) {
        struct batch_edge e;
        batch_begin(&e, b, NULL);
        for (int64_t k = 0; k < x->per_batch && rc == 0; k++, m++) {
            if (x->ring) {
                struct ring *r = x->ring;
                uint32_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
                if ((rc = ring_wait(r, &r->head, tail, &r->reader_waiting)) != 0)
                    break;
                memcpy(dst, x->slots + (size_t)(tail % SLOTS) * x->msg, x->msg);
                ring_post(r, &r->tail, &r->writer_waiting);
            } else if ((rc = read_full(x->rfd, dst, x->msg)) != 0) {
                break;
            }
            rc = verify(dst, words, m, x->pattern_sum);
        }
        batch_end(&e, b, x->wall_ns, NULL);
    }
    if (rc == 0 && !x->ring) {           /* the writer closed its end: nothing may follow */
        char extra;
        ssize_t n;
        while ((n = read(x->rfd, &extra, 1)) < 0 && errno == EINTR)
            ;
        rc = n == 0 ? 0 : n > 0 ? -EBADMSG : -errno;
    }
    munmap(dst, x->msg);
    return rc;
}

static void *reader_thread(void *arg)
{
    struct run *x = arg;
    x->reader_rc = reader_body(x);
    if (x->reader_rc && x->ring)
        ring_abort(x->ring);
    return NULL;
}

/* In the child (child.c ran the prelude): the writer's side only. 0 or 1 (failed). */
static int writer_child(void *arg)
{
    struct run *x = arg;
    if (x->rfd >= 0)
        close(x->rfd);
    int rc = writer_body(x);
    if (x->wfd >= 0)
        close(x->wfd);
    if (rc && x->ring)
        ring_abort(x->ring);
    return rc == 0 ? 0 : 1;
}

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

/* On the watch thread, the moment the writer process ended: a writer that died or failed must
 * not leave the reader waiting. */
static void on_writer_end(void *arg, const struct ctxp_child_end *end)
{
    struct run *x = arg;
    if (end->signal == 0 && end->exit_code == 0)
        return;
    x->writer_rc = -EPIPE;
    if (x->ring)
        ring_abort(x->ring);
}

static int args_ok(int32_t channel, int64_t msg_bytes, int64_t warmup, int64_t batches,
                   int64_t bytes_per_batch, const int64_t *wall_ns)
{
    return channel >= CTXPROBE_IPC_SHM_THREADS && channel <= CTXPROBE_IPC_SHM_FUTEX &&
           msg_bytes >= MSG_MIN && msg_bytes <= MSG_MAX && msg_bytes % 8 == 0 &&
           bytes_per_batch >= msg_bytes && bytes_per_batch % msg_bytes == 0 &&
           batch_args_check(warmup, batches, bytes_per_batch, wall_ns) == 0 &&
           (warmup + batches) <= INT64_MAX / bytes_per_batch;
}

/* The writer's pattern buffer: every word between the stamps differs (xorshift); its sum is what
 * the reader checks. 0 or -errno. */
static int pattern_init(struct run *x)
{
    x->src = mmap(NULL, x->msg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (x->src == MAP_FAILED) {
        x->src = NULL;
        return -errno;
    }
    size_t words = x->msg / 8;
    uint64_t v = 0x9E3779B97F4A7C15ull;
    for (size_t i = 1; i + 1 < words; i++) {
        v ^= v << 13; v ^= v >> 7; v ^= v << 17;
        x->src[i] = v;
        x->pattern_sum += v;
    }
    return 0;
}

/* The ring (private for threads, MAP_SHARED for a child) or the pipe / socket pair. 0 or -errno. */
static int channel_open(struct run *x)
{
    if (x->channel == CTXPROBE_IPC_SHM_THREADS || x->channel == CTXPROBE_IPC_SHM_FUTEX) {
        x->ring_len = HDR_BYTES + SLOTS * x->msg;
        x->ring_map = mmap(NULL, x->ring_len, PROT_READ | PROT_WRITE,
                           (x->process ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS, -1, 0);
        if (x->ring_map == MAP_FAILED)
            return -errno;
        x->ring = x->ring_map;
        x->slots = (char *)x->ring_map + HDR_BYTES;
        x->ring->futex_private = x->process ? 0 : FUTEX_PRIVATE_FLAG;
        x->ring->spin = x->cpu_writer >= 0 && x->cpu_writer == x->cpu_reader ? 0 : SPIN_LOOKS;
        return 0;
    }
    int p[2];
    if (x->channel == CTXPROBE_IPC_PIPE ? pipe2(p, O_CLOEXEC)
                                        : socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, p))
        return -errno;
    x->rfd = p[0];
    x->wfd = p[1];
    return 0;
}

/* A writer thread, or a watched writer process (whose copy is then the only write end). */
static int writer_start(struct run *x)
{
    if (!x->process)
        return -pthread_create(&x->writer, NULL, writer_thread, x);
    int rc = ctxp_child_fork(&x->child, CTXP_CHILD_PIDFD, writer_child, x);
    if (rc)
        return rc;
    close_fd(&x->wfd);
    rc = ctxp_child_watch(&x->watch, &x->child, on_writer_end, x);
    return rc == -ENOSYS ? 0 : rc;                  /* no pidfd: the stall deadline still guards */
}

/* The reader thread, to its end. Closing the read end then gives a writer blocked on a full pipe
 * EPIPE. An unstarted reader aborts the writer. */
static int reader_run(struct run *x)
{
    pthread_t reader;
    int rc = -pthread_create(&reader, NULL, reader_thread, x);
    if (rc == 0) {
        pthread_join(reader, NULL);
        rc = x->reader_rc;
    } else if (x->ring) {
        ring_abort(x->ring);
    }
    close_fd(&x->rfd);
    return rc;
}

/* Joins the writer thread, or unwatches and reaps the writer process (SIGKILL after REAP_MS). */
static void writer_finish(struct run *x, int reader_rc)
{
    if (!x->process) {
        pthread_join(x->writer, NULL);
        return;
    }
    if (reader_rc && x->ring)
        ring_abort(x->ring);
    ctxp_child_unwatch(&x->watch);
    int status = 0;
    int rc = ctxp_child_reap(&x->child, batch_clock_ns(CLOCK_MONOTONIC) + (int64_t)REAP_MS * 1000000,
                             &status);
    if (rc == 0)
        rc = ctxp_child_status_ok(status);
    if (rc && !x->writer_rc)
        x->writer_rc = rc;
}

/* The reader's own verdict first (-EBADMSG means wrong bytes); then a writer that failed. */
static int verdict(int reader_rc, int writer_rc)
{
    if (reader_rc == 0 && writer_rc)
        return writer_rc == -ETIMEDOUT ? -ETIMEDOUT : -EPIPE;
    if ((reader_rc == -ECANCELED || reader_rc == -EPIPE) && writer_rc)
        return -EPIPE;
    return reader_rc;
}

static void channel_close(struct run *x)
{
    close_fd(&x->rfd);
    close_fd(&x->wfd);
    if (x->ring_map != MAP_FAILED)
        munmap(x->ring_map, x->ring_len);
    if (x->src)
        munmap(x->src, x->msg);
}

int32_t ctxprobe_ipc_bandwidth_run(int32_t channel, int32_t cpu_writer, int32_t cpu_reader,
                                   int64_t msg_bytes, int64_t warmup, int64_t batches,
                                   int64_t bytes_per_batch, int64_t *wall_ns)
{
    if (!args_ok(channel, msg_bytes, warmup, batches, bytes_per_batch, wall_ns))
        return -EINVAL;
    struct run x = {
        .channel = channel, .cpu_writer = cpu_writer, .cpu_reader = cpu_reader,
        .msg = (size_t)msg_bytes, .warmup = warmup, .batches = batches,
        .per_batch = bytes_per_batch / msg_bytes, .wall_ns = wall_ns, .rfd = -1, .wfd = -1,
        .process = channel != CTXPROBE_IPC_SHM_THREADS, .ring_map = MAP_FAILED,
    };
    int rc = pattern_init(&x);
    if (rc == 0)
        rc = channel_open(&x);
    if (rc == 0)
        rc = writer_start(&x);
    if (rc == 0) {
        rc = reader_run(&x);
        writer_finish(&x, rc);
        rc = verdict(rc, x.writer_rc);
    } else if (x.process) {
        ctxp_child_unwatch(&x.watch);
        ctxp_child_kill(&x.child);          /* a writer forked before the watch failed */
    }
    channel_close(&x);
    return rc;
}
