package io.ctxprobe.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;

/** The binding of native/include/ctxprobe/tlb.h: tlb.reach and tlb.switch. */
public final class NativeTlb {
    private NativeTlb() {}

    /** How the chase's lines lie in memory. */
    public enum Layout implements NativeCode {
        /** One line per 4 KiB page. */
        @CDefine("CTXPROBE_TLB_SPARSE_4K") SPARSE_4K(1),
        /** The same lines contiguous: the cache control. */
        @CDefine("CTXPROBE_TLB_PACKED") PACKED(2),
        /** SPARSE_4K's geometry on transparent huge pages (madvise). */
        @CDefine("CTXPROBE_TLB_SPARSE_THP") SPARSE_THP(3),
        /** SPARSE_4K's geometry on hugetlbfs 2 MiB pages (needs reserved huge pages). */
        @CDefine("CTXPROBE_TLB_SPARSE_HUGETLB") SPARSE_HUGETLB(4);

        private final int code;

        Layout(int code) {
            this.code = code;
        }

        @Override
        public int code() {
            return code;
        }
    }

    /** What runs between two timed passes of tlb.switch. */
    public enum Event implements NativeCode {
        @CDefine("CTXPROBE_TLBEV_NONE") NONE(0),
        @CDefine("CTXPROBE_TLBEV_NULL_SYSCALL") NULL_SYSCALL(1),
        @CDefine("CTXPROBE_TLBEV_FIBER_ASM") FIBER_ASM(2),
        @CDefine("CTXPROBE_TLBEV_FIBER_UCONTEXT") FIBER_UCONTEXT(3),
        @CDefine("CTXPROBE_TLBEV_THREAD_ROUNDTRIP") THREAD_ROUNDTRIP(4),
        @CDefine("CTXPROBE_TLBEV_PROCESS_ROUNDTRIP") PROCESS_ROUNDTRIP(5);

        private final int code;

        Event(int code) {
            this.code = code;
        }

        @Override
        public int code() {
            return code;
        }
    }

    /* int32_t ctxprobe_tlb_reach_run(int32_t layout, int64_t pages, int64_t warmup, int64_t batches,
     *                                int64_t ops, int64_t *wall_ns, int64_t *huge_kib); */
    private static final Downcall REACH_RUN = NativeCore.fn("ctxprobe_tlb_reach_run",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS));

    /* int64_t ctxprobe_tlb_reach_verify(int32_t layout, int64_t pages); */
    private static final Downcall REACH_VERIFY = NativeCore.fn("ctxprobe_tlb_reach_verify",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG));

    /* int32_t ctxprobe_tlb_switch_run(int32_t event, int32_t packed, int64_t pages, int64_t warmup,
     *                                 int64_t batches, int64_t passes, int64_t *wall_ns); */
    private static final Downcall SWITCH_RUN = NativeCore.fn("ctxprobe_tlb_switch_run",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS));

    /** tlb.reach's chase; 0 or a negative errno (callers decide: hugetlbfs's -ENOMEM is a skip). */
    public static int reachRun(Layout layout, long pages, long warmup, long batches, long ops, MemorySegment wall,
                               MemorySegment hugeKib) {
        NativeCore.checkSamples(batches, wall, MemorySegment.NULL);
        try {
            return (int) REACH_RUN.handle().invokeExact(layout.code(), pages, warmup, batches, ops, wall, hugeKib);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** The chase's cycle length (== pages when it is one cycle through every line), or a negative errno. */
    public static long reachVerify(Layout layout, long pages) {
        try {
            return (long) REACH_VERIFY.handle().invokeExact(layout.code(), pages);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** tlb.switch: per pass one event, then one timed pass; 0 or a negative errno. */
    public static int switchRun(Event event, boolean packed, long pages, long warmup, long batches, long passes,
                                MemorySegment wall) {
        NativeCore.checkSamples(batches, wall, MemorySegment.NULL);
        try {
            return (int) SWITCH_RUN.handle().invokeExact(event.code(), packed ? 1 : 0, pages, warmup, batches, passes,
                    wall);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }
}
