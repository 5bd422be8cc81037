package io.ctxprobe.binding;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import io.ctxprobe.linux.CpuSet;
import io.ctxprobe.linux.Errno;
import io.ctxprobe.linux.LinuxException;
import io.ctxprobe.linux.Unistd;

/**
 * {@link Binding} over JNA direct mapping of libc: the same calls as FFM through another
 * crossing, so each can check the other. errno arrives as {@link LastErrorException} (JNA saves
 * it right after the call) and leaves as the same {@link LinuxException} FFM throws.
 */
final class JnaBinding implements Binding {
    /** SYS_gettid (this architecture's number): glibc before 2.30 exports no gettid, so the raw system call is used. */
    private static final long SYS_GETTID = Unistd.SYS_GETTID;

    private static volatile JnaBinding instance;

    static JnaBinding instance() {
        JnaBinding b = instance;
        if (b == null) {
            synchronized (JnaBinding.class) {
                b = instance;
                if (b == null) {
                    // Registered on first use only: JNA unpacks its own native stub when loaded.
                    Native.register(Libc.class, NativeLibrary.getInstance("c"));
                    b = new JnaBinding();
                    instance = b;
                }
            }
        }
        return b;
    }

    /** Direct-mapped libc functions; {@code throws LastErrorException} makes JNA capture errno. */
    static final class Libc {
        private Libc() {}

        /* long syscall(long number, ...);   direct mapping cannot express "...": the kernel reads
         * only the registers a call uses, so one fixed-arity declaration serves SYS_gettid. */
        static native long syscall(long number) throws LastErrorException;

        /* pid_t getppid(void);   no LastErrorException: it cannot fail, and errno capture costs. */
        static native int getppid();

        /* int sched_getcpu(void); */
        static native int sched_getcpu() throws LastErrorException;

        /* int sched_setaffinity(pid_t pid, size_t cpusetsize, const cpu_set_t *mask); */
        static native int sched_setaffinity(int pid, long cpusetsize, Pointer mask) throws LastErrorException;

        /* int sched_getaffinity(pid_t pid, size_t cpusetsize, cpu_set_t *mask); */
        static native int sched_getaffinity(int pid, long cpusetsize, Pointer mask) throws LastErrorException;

        /* int clock_gettime(clockid_t clockid, struct timespec *tp); */
        static native int clock_gettime(int clockid, Pointer tp) throws LastErrorException;
    }

    private JnaBinding() {}

    @Override
    public String name() {
        return "jna";
    }

    @Override
    public int gettid() {
        try {
            return (int) Libc.syscall(SYS_GETTID);
        } catch (LastErrorException e) {
            throw new LinuxException("gettid", e.getErrorCode());
        }
    }

    @Override
    public int getppid() {
        return Libc.getppid();
    }

    @Override
    public int currentCpu() {
        try {
            return Libc.sched_getcpu();
        } catch (LastErrorException e) {
            throw new LinuxException("sched_getcpu", e.getErrorCode());
        }
    }

    @Override
    public void setAffinity(int tid, CpuSet cpus) {
        int nbits = Math.max(CpuSet.initialMaskBits(), CpuSet.roundToWords(cpus.length()));
        long[] words = cpus.toMaskWords(nbits);
        Memory mask = new Memory(words.length * 8L);
        mask.write(0, words, 0, words.length);
        try {
            Libc.sched_setaffinity(tid, mask.size(), mask);
        } catch (LastErrorException e) {
            throw new LinuxException("sched_setaffinity", e.getErrorCode());
        } finally {
            mask.close();
        }
    }

    @Override
    public CpuSet getAffinity(int tid) {
        // As Sched.getAffinity: grow the mask on EINVAL until it covers the kernel's nr_cpu_ids.
        for (int nbits = CpuSet.initialMaskBits(); ; nbits *= 2) {
            try (Memory mask = new Memory(nbits / 8)) {
                mask.clear();
                Libc.sched_getaffinity(tid, mask.size(), mask);
                return CpuSet.fromMaskWords(mask.getLongArray(0, nbits / 64));
            } catch (LastErrorException e) {
                if (e.getErrorCode() != Errno.EINVAL || nbits >= (1 << 22)) {
                    throw new LinuxException("sched_getaffinity", e.getErrorCode());
                }
            }
        }
    }

    @Override
    public long clockNs(int clockId) {
        try (Memory ts = new Memory(16)) {
            Libc.clock_gettime(clockId, ts);
            return ts.getLong(0) * 1_000_000_000L + ts.getLong(8);
        } catch (LastErrorException e) {
            throw new LinuxException("clock_gettime", e.getErrorCode());
        }
    }

    @Override
    public String toString() {
        return name();
    }
}
