package io.ctxprobe.linux;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * sys/resource.h: getrusage — the kernel's own count of voluntary and involuntary context
 * switches, the fallback source of switch counts where perf events cannot be opened.
 *
 * <pre>
 * struct rusage (x86-64, 144 bytes)
 *   0  ru_utime  {tv_sec, tv_usec}     16  ru_stime {tv_sec, tv_usec}
 *  32  ru_maxrss (KiB)   40 ru_ixrss   48 ru_idrss   56 ru_isrss
 *  64  ru_minflt   72 ru_majflt   80 ru_nswap   88 ru_inblock   96 ru_oublock
 * 104  ru_msgsnd  112 ru_msgrcv  120 ru_nsignals  128 ru_nvcsw  136 ru_nivcsw
 * </pre>
 */
public final class Resource {
    private Resource() {}

    public static final int RUSAGE_SELF = 0;
    public static final int RUSAGE_THREAD = 1;
    public static final int RUSAGE_CHILDREN = -1;

    private static final StructLayout TIMEVAL = MemoryLayout.structLayout(
            JAVA_LONG.withName("tv_sec"), JAVA_LONG.withName("tv_usec"));

    static final StructLayout RUSAGE = MemoryLayout.structLayout(
            TIMEVAL.withName("ru_utime"), TIMEVAL.withName("ru_stime"),
            JAVA_LONG.withName("ru_maxrss"), JAVA_LONG.withName("ru_ixrss"),
            JAVA_LONG.withName("ru_idrss"), JAVA_LONG.withName("ru_isrss"),
            JAVA_LONG.withName("ru_minflt"), JAVA_LONG.withName("ru_majflt"),
            JAVA_LONG.withName("ru_nswap"), JAVA_LONG.withName("ru_inblock"),
            JAVA_LONG.withName("ru_oublock"), JAVA_LONG.withName("ru_msgsnd"),
            JAVA_LONG.withName("ru_msgrcv"), JAVA_LONG.withName("ru_nsignals"),
            JAVA_LONG.withName("ru_nvcsw"), JAVA_LONG.withName("ru_nivcsw"));

    private static final VarHandle UTIME_SEC = field("ru_utime", "tv_sec");
    private static final VarHandle UTIME_USEC = field("ru_utime", "tv_usec");
    private static final VarHandle STIME_SEC = field("ru_stime", "tv_sec");
    private static final VarHandle STIME_USEC = field("ru_stime", "tv_usec");
    private static final VarHandle MAXRSS = field("ru_maxrss");
    private static final VarHandle MINFLT = field("ru_minflt");
    private static final VarHandle MAJFLT = field("ru_majflt");
    private static final VarHandle NVCSW = field("ru_nvcsw");
    private static final VarHandle NIVCSW = field("ru_nivcsw");

    private static VarHandle field(String... path) {
        MemoryLayout.PathElement[] p = new MemoryLayout.PathElement[path.length];
        for (int i = 0; i < path.length; i++) {
            p[i] = groupElement(path[i]);
        }
        return RUSAGE.varHandle(p);
    }

    /** CPU times in ns (the kernel reports µs), max RSS in KiB, faults and switches as counted. */
    public record Rusage(long userNs, long systemNs, long maxRssKb, long minorFaults, long majorFaults,
                         long voluntarySwitches, long involuntarySwitches) {
        public long switches() {
            return voluntarySwitches + involuntarySwitches;
        }
    }

    /* int getrusage(int who, struct rusage *usage); */
    private static final Downcall GETRUSAGE = Libc.errno("getrusage",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));

    public static Rusage getrusage(int who) {
        MemorySegment ru = Libc.scratch().asSlice(0, RUSAGE);
        try {
            MemorySegment errno = Libc.errnoSlot();
            int rc = (int) GETRUSAGE.handle().invokeExact(errno, who, ru);
            Libc.check("getrusage", rc, errno);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
        return new Rusage(
                (long) UTIME_SEC.get(ru, 0L) * 1_000_000_000L + (long) UTIME_USEC.get(ru, 0L) * 1_000L,
                (long) STIME_SEC.get(ru, 0L) * 1_000_000_000L + (long) STIME_USEC.get(ru, 0L) * 1_000L,
                (long) MAXRSS.get(ru, 0L), (long) MINFLT.get(ru, 0L), (long) MAJFLT.get(ru, 0L),
                (long) NVCSW.get(ru, 0L), (long) NIVCSW.get(ru, 0L));
    }
}
