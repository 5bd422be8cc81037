package io.ctxprobe.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;

/** sched.h: CPU affinity, the current CPU, yielding, scheduling policy, and glibc's clone. */
public final class Sched {
    private Sched() {}

    public static final int SCHED_OTHER = 0;
    public static final int SCHED_FIFO = 1;
    public static final int SCHED_RR = 2;
    public static final int SCHED_BATCH = 3;
    public static final int SCHED_IDLE = 5;

    public static final int CLONE_VM = 0x00000100;
    public static final int CLONE_FS = 0x00000200;
    public static final int CLONE_FILES = 0x00000400;
    public static final int CLONE_SIGHAND = 0x00000800;
    public static final int CLONE_VFORK = 0x00004000;
    public static final int CLONE_THREAD = 0x00010000;
    public static final int CLONE_SYSVSEM = 0x00040000;
    public static final int CLONE_SETTLS = 0x00080000;
    public static final int CLONE_PARENT_SETTID = 0x00100000;
    public static final int CLONE_CHILD_CLEARTID = 0x00200000;
    public static final int CLONE_CHILD_SETTID = 0x01000000;
    public static final int SIGCHLD = 17;

    /** A mask this large (2^22 CPUs) is past any kernel's NR_CPUS: stop growing there. */
    private static final int MAX_MASK_BITS = 1 << 22;

    /* int sched_setaffinity(pid_t pid, size_t cpusetsize, const cpu_set_t *mask); */
    private static final Downcall SCHED_SETAFFINITY = Libc.errno("sched_setaffinity",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS));

    /* int sched_getaffinity(pid_t pid, size_t cpusetsize, cpu_set_t *mask); */
    private static final Downcall SCHED_GETAFFINITY = Libc.errno("sched_getaffinity",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS));

    /* int sched_getcpu(void); */
    private static final Downcall SCHED_GETCPU = Libc.errno("sched_getcpu",
            FunctionDescriptor.of(JAVA_INT));

    /* int sched_yield(void); */
    private static final Downcall SCHED_YIELD = Libc.errno("sched_yield",
            FunctionDescriptor.of(JAVA_INT));

    /* int sched_setscheduler(pid_t pid, int policy, const struct sched_param *param); */
    private static final Downcall SCHED_SETSCHEDULER = Libc.errno("sched_setscheduler",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));

    /* int sched_getscheduler(pid_t pid); */
    private static final Downcall SCHED_GETSCHEDULER = Libc.errno("sched_getscheduler",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    /* int clone(int (*fn)(void *), void *stack, int flags, void *arg, ...
     *           /- pid_t *parent_tid, void *tls, pid_t *child_tid -/ );
     * Variadic from the 5th argument; the three optional ones are always passed. */
    private static final Downcall CLONE = Libc.errnoVariadic("clone",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS), 4);

    /** Pins thread {@code tid} (0 = the calling thread) to {@code cpus}. */
    public static void setAffinity(int tid, CpuSet cpus) {
        // The mask must hold every requested bit: a CPU beyond the host's range must reach the
        // kernel (and fail there with EINVAL), not be silently cut off here.
        int nbits = Math.max(CpuSet.initialMaskBits(), CpuSet.roundToWords(cpus.length()));
        long[] words = cpus.toMaskWords(nbits);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mask = arena.allocateFrom(JAVA_LONG, words);
            MemorySegment errno = Libc.errnoSlot();
            int rc = (int) SCHED_SETAFFINITY.handle().invokeExact(errno, tid, mask.byteSize(), mask);
            Libc.check("sched_setaffinity", rc, errno);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** The CPUs thread {@code tid} (0 = the calling thread) may run on. */
    public static CpuSet getAffinity(int tid) {
        return getAffinity(tid, CpuSet.initialMaskBits());
    }

    /**
     * As {@link #getAffinity(int)}, starting from a mask of {@code startBits} bits and doubling on
     * EINVAL (the kernel's answer to a mask smaller than its nr_cpu_ids).
     */
    public static CpuSet getAffinity(int tid, int startBits) {
        int nbits = CpuSet.roundToWords(startBits);
        while (true) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment mask = arena.allocate(nbits / 8, 8);
                MemorySegment errno = Libc.errnoSlot();
                int rc = (int) SCHED_GETAFFINITY.handle().invokeExact(errno, tid, mask.byteSize(), mask);
                if (rc == -1 && Libc.errnoOf(errno) == Errno.EINVAL && nbits < MAX_MASK_BITS) {
                    nbits *= 2;
                    continue;
                }
                Libc.check("sched_getaffinity", rc, errno);
                return CpuSet.fromMaskWords(mask.toArray(JAVA_LONG));
            } catch (Throwable t) {
                throw Libc.rethrow(t);
            }
        }
    }

    /** The CPU the calling thread is running on now (only stable on a pinned thread). */
    public static int getcpu() {
        try {
            MemorySegment errno = Libc.errnoSlot();
            int rc = (int) SCHED_GETCPU.handle().invokeExact(errno);
            return Libc.check("sched_getcpu", rc, errno);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    public static void yield() {
        try {
            MemorySegment errno = Libc.errnoSlot();
            int rc = (int) SCHED_YIELD.handle().invokeExact(errno);
            Libc.check("sched_yield", rc, errno);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** Sets {@code tid}'s policy and static priority; returns 0 (the C return value). */
    public static int setScheduler(int tid, int policy, int priority) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment param = arena.allocateFrom(JAVA_INT, priority); // struct sched_param
            MemorySegment errno = Libc.errnoSlot();
            int rc = (int) SCHED_SETSCHEDULER.handle().invokeExact(errno, tid, policy, param);
            return Libc.check("sched_setscheduler", rc, errno);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    public static int getScheduler(int tid) {
        try {
            MemorySegment errno = Libc.errnoSlot();
            int rc = (int) SCHED_GETSCHEDULER.handle().invokeExact(errno, tid);
            return Libc.check("sched_getscheduler", rc, errno);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /**
     * glibc's clone: runs the C function {@code fn(arg)} on {@code stackTop} in a new task and
     * returns its tid. {@code fn} must be native code that never enters the JVM (see TRAPS.md:
     * a CLONE_VM child shares the Java thread's TLS and signal handlers).
     */
    public static int clone(MemorySegment fn, MemorySegment stackTop, int flags, MemorySegment arg) {
        return clone(fn, stackTop, flags, arg, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL);
    }

    public static int clone(MemorySegment fn, MemorySegment stackTop, int flags, MemorySegment arg,
                            MemorySegment parentTid, MemorySegment tls, MemorySegment childTid) {
        try {
            MemorySegment errno = Libc.errnoSlot();
            int rc = (int) CLONE.handle().invokeExact(errno, fn, stackTop, flags, arg, parentTid, tls, childTid);
            return Libc.check("clone", rc, errno);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** The address of glibc's clone, e.g. to check the binding resolves without calling it. */
    public static MemorySegment cloneAddress() {
        return CLONE.address();
    }
}
