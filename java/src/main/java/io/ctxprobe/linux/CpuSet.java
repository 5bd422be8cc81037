package io.ctxprobe.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * An immutable set of logical CPU numbers, printed and parsed in the kernel's cpu-list syntax
 * ({@code "0-3,8,10-11"}, as in /sys/devices/system/cpu/online and taskset -c).
 *
 * <p>The kernel mask ({@code cpu_set_t}) is sized from the host, never a fixed 1024 bits: a host
 * with more possible CPUs makes sched_getaffinity fail with EINVAL on a small mask, so callers
 * start from {@link #initialMaskBits()} and double on EINVAL, as glibc's CPU_ALLOC users do.
 */
public final class CpuSet {
    private static final Path POSSIBLE = Path.of("/sys/devices/system/cpu/possible");

    private final BitSet bits;

    private CpuSet(BitSet bits) {
        this.bits = bits;
    }

    public static CpuSet of(int... cpus) {
        BitSet b = new BitSet();
        for (int c : cpus) {
            b.set(checkCpu(c));
        }
        return new CpuSet(b);
    }

    public static CpuSet of(Collection<Integer> cpus) {
        BitSet b = new BitSet();
        for (int c : cpus) {
            b.set(checkCpu(c));
        }
        return new CpuSet(b);
    }

    private static int checkCpu(int c) {
        if (c < 0) {
            throw new IllegalArgumentException("negative CPU number: " + c);
        }
        return c;
    }

    /**
     * Parses the kernel's cpu-list syntax: comma-separated numbers and ranges {@code a-b}
     * (the kernel's {@code a-b:stride/group} form is not accepted). An empty or blank string
     * is the empty set, as in an empty /sys/devices/system/cpu/isolated.
     */
    /** Beyond any kernel's NR_CPUS (8192 on x86-64 MAXSMP): refused before a huge bit set is built. */
    static final int MAX_PARSED_CPU = 1 << 16;

    public static CpuSet parse(String list) {
        BitSet b = new BitSet();
        String s = list.strip();
        if (s.isEmpty()) {
            return new CpuSet(b);
        }
        for (String part : s.split(",", -1)) {
            String p = part.strip();
            int dash = p.indexOf('-');
            try {
                int lo = Integer.parseInt(dash < 0 ? p : p.substring(0, dash));
                int hi = dash < 0 ? lo : Integer.parseInt(p.substring(dash + 1));
                if (lo < 0 || hi < lo) {
                    throw new IllegalArgumentException(
                            "bad CPU list '" + list + "': range '" + p + "' is empty or negative");
                }
                if (hi >= MAX_PARSED_CPU) {
                    throw new IllegalArgumentException("bad CPU list '" + list + "': CPU " + hi
                            + " is beyond any kernel's CPU count (at most " + (MAX_PARSED_CPU - 1) + ")");
                }
                int repeated = b.nextSetBit(lo);
                if (repeated >= 0 && repeated <= hi) {
                    // The kernel never writes a CPU twice; a person who did likely meant another CPU.
                    throw new IllegalArgumentException("bad CPU list '" + list + "': CPU " + repeated + " is named twice");
                }
                b.set(lo, hi + 1);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "bad CPU list '" + list + "': '" + p + "' is not a CPU number or range a-b");
            }
        }
        return new CpuSet(b);
    }

    /** The CPUs in ascending order. */
    public List<Integer> cpus() {
        List<Integer> out = new ArrayList<>(bits.cardinality());
        bits.stream().forEach(out::add);
        return Collections.unmodifiableList(out);
    }

    public boolean contains(int cpu) {
        return cpu >= 0 && bits.get(cpu);
    }

    public int size() {
        return bits.cardinality();
    }

    public boolean isEmpty() {
        return bits.isEmpty();
    }

    /** The lowest CPU; {@link java.util.NoSuchElementException} when empty. */
    public int first() {
        int f = bits.nextSetBit(0);
        if (f < 0) {
            throw new java.util.NoSuchElementException("empty CPU set");
        }
        return f;
    }

    /** The highest CPU number + 1 (0 when empty): the mask needs at least this many bits. */
    public int length() {
        return bits.length();
    }

    /** In cpu-list syntax, e.g. {@code "0-3,8"}; the empty set is {@code ""}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        int lo = bits.nextSetBit(0);
        while (lo >= 0) {
            int hi = bits.nextClearBit(lo) - 1;
            if (!sb.isEmpty()) {
                sb.append(',');
            }
            sb.append(lo);
            if (hi > lo) {
                sb.append('-').append(hi);
            }
            lo = bits.nextSetBit(hi + 1);
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CpuSet c && c.bits.equals(bits);
    }

    @Override
    public int hashCode() {
        return bits.hashCode();
    }

    // ---- kernel mask conversion (shared by the FFM and JNA bindings) -----------------------------

    /**
     * The cpu_set_t size to try first, in bits: the highest possible CPU + 1 from
     * /sys/devices/system/cpu/possible, rounded up to whole 64-bit words; 1024 bits (glibc's
     * CPU_SETSIZE) if that file cannot be read. Callers grow it on EINVAL.
     */
    public static int initialMaskBits() {
        try {
            CpuSet possible = parse(Files.readString(POSSIBLE));
            if (!possible.isEmpty()) {
                return roundToWords(possible.length());
            }
        } catch (IOException | IllegalArgumentException e) {
            // Unreadable or odd sysfs (containers): use glibc's default and let EINVAL grow it.
        }
        return 1024;
    }

    /** The kernel rejects masks that are not a whole number of longs (EINVAL). */
    public static int roundToWords(int nbits) {
        return Math.max(64, (nbits + 63) / 64 * 64);
    }

    /** The mask as little-endian 64-bit words ({@code bits} must be a multiple of 64). */
    public long[] toMaskWords(int nbits) {
        long[] words = new long[roundToWords(nbits) / 64];
        long[] mine = bits.toLongArray();
        System.arraycopy(mine, 0, words, 0, Math.min(mine.length, words.length));
        return words;
    }

    public static CpuSet fromMaskWords(long[] words) {
        return new CpuSet(BitSet.valueOf(words));
    }
}
