package io.ctxprobe.host;

import io.ctxprobe.linux.Arch;

/**
 * CPUID through {@link NativeFacts}, asked once per leaf, with the maximum basic and extended
 * leaves checked first (a leaf above the maximum returns another leaf's data on Intel).
 */
final class CpuidSource {
    private final NativeFacts nativeFacts;
    private final String reason;
    private final int maxBasic;
    private final int maxExtended;

    CpuidSource(NativeFacts nativeFacts) {
        this(nativeFacts, Arch.current());
    }

    /** {@code arch}: the host's; CPUID exists on x86-64 only (elsewhere every CPUID fact says "x86 only"). */
    CpuidSource(NativeFacts nativeFacts, Arch arch) {
        this.nativeFacts = nativeFacts;
        String why = null;
        int basic = -1;
        int ext = -1;
        if (arch != Arch.X86_64) {
            this.reason = "x86 only: CPUID does not exist on " + (arch == null ? System.getProperty("os.arch") : arch.unameMachine());
            this.maxBasic = basic;
            this.maxExtended = ext;
            return;
        }
        try {
            basic = nativeFacts.cpuid(0, 0)[0];
            ext = nativeFacts.cpuid(0x80000000, 0)[0];
        } catch (UnsupportedOperationException e) {
            why = e.getMessage() == null ? "CPUID not supported" : e.getMessage();
        } catch (RuntimeException e) {
            why = "CPUID failed: " + e;
        }
        this.reason = why;
        this.maxBasic = basic;
        this.maxExtended = ext;
    }

    boolean available() {
        return reason == null;
    }

    /** Why CPUID gives nothing (null when it works). */
    String reason() {
        return reason;
    }

    /** The answer, or null when CPUID is unavailable or the leaf is beyond the maximum. */
    int[] leaf(int leaf, int subleaf) {
        if (reason != null) {
            return null;
        }
        boolean extended = Integer.compareUnsigned(leaf, 0x80000000) >= 0;
        boolean hypervisorRange = (leaf & 0xf0000000) == 0x40000000;
        if (!hypervisorRange && Integer.compareUnsigned(leaf, extended ? maxExtended : maxBasic) > 0) {
            return null;
        }
        try {
            return nativeFacts.cpuid(leaf, subleaf);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Why {@link #leaf} gave null for that leaf. */
    String missing(int leaf) {
        return reason != null ? reason : "CPUID leaf " + hex(leaf) + " beyond the maximum leaf";
    }

    static String source(int leaf) {
        return "cpuid:" + hex(leaf);
    }

    static String hex(int leaf) {
        return String.format("0x%x", leaf);
    }
}
