package io.ctxprobe.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;

/**
 * The binding of native/include/ctxprobe.h and ctxprobe/core.h: the ABI version, the clocks, the
 * timer's cost, raw CPUID — and the rules every libctxprobe binding (the {@code Native*} classes of
 * this package, one per header) follows: a function that fails returns a negative errno, kept as an
 * int for the caller to decide ({@link #check} turns one into a {@link LinuxException}); sample
 * arrays are caller-owned native segments of {@code batches} int64 values, checked for size before
 * the call because C would write past a short one.
 */
public final class NativeCore {
    private NativeCore() {}

    /** CTXPROBE_ABI_VERSION: NativeLibrary refuses a library reporting another. */
    @CDefine("CTXPROBE_ABI_VERSION")
    public static final int ABI_VERSION = 6;

    static Downcall fn(String symbol, FunctionDescriptor fd) {
        return new Downcall(NativeLibrary::lookup, symbol, fd);
    }

    /** Throws {@link LinuxException} (errno = -rc) when {@code rc < 0}; returns rc otherwise. */
    public static int check(String call, int rc) {
        if (rc < 0) {
            throw new LinuxException(call, -rc);
        }
        return rc;
    }

    public static long check(String call, long rc) {
        if (rc < 0) {
            throw new LinuxException(call, (int) -rc);
        }
        return rc;
    }

    /** C writes {@code batches} int64s: a short segment would be a silent heap overrun. */
    static void checkSamples(long batches, MemorySegment wall, MemorySegment cpu) {
        long need = Math.multiplyExact(Math.max(batches, 0), 8L);
        if (wall.byteSize() < need || (!cpu.equals(MemorySegment.NULL) && cpu.byteSize() < need)) {
            throw new IllegalArgumentException("sample arrays must hold " + batches + " int64 values");
        }
    }

    /* int32_t ctxprobe_abi_version(void); */
    private static final Downcall ABI = fn("ctxprobe_abi_version", FunctionDescriptor.of(JAVA_INT));

    public static int abiVersion() {
        try {
            return (int) ABI.handle().invokeExact();
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /* int64_t ctxprobe_now_ns(void); */
    private static final Downcall NOW_NS = fn("ctxprobe_now_ns", FunctionDescriptor.of(JAVA_LONG));

    /** CLOCK_MONOTONIC in ns. */
    public static long nowNs() {
        try {
            return (long) NOW_NS.handle().invokeExact();
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /* int64_t ctxprobe_thread_cpu_ns(void); */
    private static final Downcall THREAD_CPU_NS = fn("ctxprobe_thread_cpu_ns", FunctionDescriptor.of(JAVA_LONG));

    /** CLOCK_THREAD_CPUTIME_ID of the calling thread in ns. */
    public static long threadCpuNs() {
        try {
            return (long) THREAD_CPU_NS.handle().invokeExact();
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /* int64_t ctxprobe_timer_cost_ps(int64_t reads); */
    private static final Downcall TIMER_COST_PS = fn("ctxprobe_timer_cost_ps",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG));

    /** Median cost of one now_ns read in ps, or a negative errno. */
    public static long timerCostPs(long reads) {
        try {
            return (long) TIMER_COST_PS.handle().invokeExact(reads);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /* int32_t ctxprobe_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t *out); */
    private static final Downcall CPUID = fn("ctxprobe_cpuid",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));

    /** {eax, ebx, ecx, edx} of CPUID(leaf, subleaf). */
    public static int[] cpuid(int leaf, int subleaf) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_INT, 4);
            int rc = (int) CPUID.handle().invokeExact(leaf, subleaf, out);
            check("ctxprobe_cpuid", rc);
            return out.toArray(JAVA_INT);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }
}
