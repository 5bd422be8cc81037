package io.ctxprobe.binding;

import io.ctxprobe.linux.CpuSet;

/**
 * The few Linux calls probes make from Java, in two interchangeable implementations: FFM (the
 * primary) and JNA (a cross-check, and a crossing cost measured in its own right). Both throw
 * {@link io.ctxprobe.linux.LinuxException} on failure.
 */
public interface Binding {
    /** "ffm" or "jna". */
    String name();

    int gettid();

    /** sched_getcpu: only meaningful on a pinned thread. */
    int currentCpu();

    /** tid 0 = the calling thread. */
    void setAffinity(int tid, CpuSet cpus);

    CpuSet getAffinity(int tid);

    /** clock_gettime in ns. */
    long clockNs(int clockId);

    /**
     * getppid: a system call no libc caches, bound without errno capture (it cannot fail), so one
     * call measures the binding's bare crossing plus a null kernel entry (syscall.null).
     */
    int getppid();

    static Binding named(String name) {
        return switch (name) {
            case "ffm" -> ffm();
            case "jna" -> jna();
            default -> throw new IllegalArgumentException("unknown binding '" + name + "': expected ffm or jna");
        };
    }

    static Binding ffm() {
        return FfmBinding.INSTANCE;
    }

    static Binding jna() {
        return JnaBinding.instance();
    }
}
