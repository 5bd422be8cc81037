package io.ctxprobe.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.util.Optional;
import java.util.OptionalLong;

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

    /* ctxprobe_tlb_ctl *ctxprobe_tlb_ctl_new(void); */
    private static final Downcall CTL_NEW = NativeCore.fn("ctxprobe_tlb_ctl_new", FunctionDescriptor.of(ADDRESS));
    /* void ctxprobe_tlb_ctl_abort(ctxprobe_tlb_ctl *ctl); */
    private static final Downcall CTL_ABORT = NativeCore.fn("ctxprobe_tlb_ctl_abort", FunctionDescriptor.ofVoid(ADDRESS));
    /* int32_t ctxprobe_tlb_ctl_partner_end(ctxprobe_tlb_ctl *ctl, int32_t *signal, int32_t *exit_code); */
    private static final Downcall CTL_PARTNER_END = NativeCore.fn("ctxprobe_tlb_ctl_partner_end",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
    /* int64_t ctxprobe_tlb_ctl_round_trips(ctxprobe_tlb_ctl *ctl); */
    private static final Downcall CTL_ROUND_TRIPS = NativeCore.fn("ctxprobe_tlb_ctl_round_trips",
            FunctionDescriptor.of(JAVA_LONG, ADDRESS));
    /* void ctxprobe_tlb_ctl_free(ctxprobe_tlb_ctl *ctl); */
    private static final Downcall CTL_FREE = NativeCore.fn("ctxprobe_tlb_ctl_free", FunctionDescriptor.ofVoid(ADDRESS));
    /* int32_t ctxprobe_tlb_switch_run_ctl(ctxprobe_tlb_ctl *ctl, int32_t event, int32_t packed, int64_t pages,
     *                                     int64_t warmup, int64_t batches, int64_t passes, int64_t *wall_ns); */
    private static final Downcall SWITCH_RUN_CTL = NativeCore.fn("ctxprobe_tlb_switch_run_ctl",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS));

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

    /**
     * A tlb.switch run that another thread can stop ({@link #abort}: a deadline, Ctrl-C) and that says
     * afterwards how a round trip's partner ended. {@link #abort} and {@link #close} may race (the
     * Ctrl-C hook against the probe): both are synchronized, and an abort after close does nothing.
     */
    public static final class SwitchControl implements AutoCloseable {
        private MemorySegment handle;

        private SwitchControl(MemorySegment handle) {
            this.handle = handle;
        }

        public static SwitchControl create() {
            try {
                MemorySegment h = (MemorySegment) CTL_NEW.handle().invokeExact();
                if (h.equals(MemorySegment.NULL)) throw new OutOfMemoryError("ctxprobe_tlb_ctl_new returned NULL");
                return new SwitchControl(h);
            } catch (Throwable t) {
                throw Libc.rethrow(t);
            }
        }

        /** tlb.switch under this control: 0 or a negative errno (-ECANCELED after an abort, -EPIPE for a dead partner). */
        public int run(Event event, boolean packed, long pages, long warmup, long batches, long passes, MemorySegment wall) {
            NativeCore.checkSamples(batches, wall, MemorySegment.NULL);
            MemorySegment h = live();
            try {
                return (int) SWITCH_RUN_CTL.handle().invokeExact(h, event.code(), packed ? 1 : 0, pages, warmup, batches,
                        passes, wall);
            } catch (Throwable t) {
                throw Libc.rethrow(t);
            }
        }

        /** Makes a run under this control return -ECANCELED within one event; safe from any thread. */
        public synchronized void abort() {
            if (handle == null) return;
            try {
                CTL_ABORT.handle().invokeExact(handle);
            } catch (Throwable t) {
                throw Libc.rethrow(t);
            }
        }

        /** How the last run's forked partner ended; empty for an event without one. */
        public Optional<NativePingPong.ChildEnd> partnerEnd() {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment out = arena.allocate(JAVA_INT, 2);
                int rc = (int) CTL_PARTNER_END.handle().invokeExact(live(), out, out.asSlice(4));
                if (rc == -NativePingPong.ENODATA) return Optional.empty();
                NativeCore.check("ctxprobe_tlb_ctl_partner_end", rc);
                return Optional.of(new NativePingPong.ChildEnd(out.get(JAVA_INT, 0), out.get(JAVA_INT, 4)));
            } catch (Throwable t) {
                throw Libc.rethrow(t);
            }
        }

        /** Round trips the last run's partner answered; empty for an event without a partner. */
        public OptionalLong roundTrips() {
            try {
                long n = (long) CTL_ROUND_TRIPS.handle().invokeExact(live());
                if (n == -NativePingPong.ENODATA) return OptionalLong.empty();
                return OptionalLong.of(NativeCore.check("ctxprobe_tlb_ctl_round_trips", n));
            } catch (Throwable t) {
                throw Libc.rethrow(t);
            }
        }

        private synchronized MemorySegment live() {
            if (handle == null) throw new IllegalStateException("tlb.switch control already closed");
            return handle;
        }

        /** Frees the control; call once no run uses it. */
        @Override
        public synchronized void close() {
            if (handle == null) return;
            try {
                CTL_FREE.handle().invokeExact(handle);
            } catch (Throwable t) {
                throw Libc.rethrow(t);
            } finally {
                handle = null;
            }
        }
    }
}
