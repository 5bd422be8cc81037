package io.ctxprobe.linux;

import java.util.Locale;

/**
 * The CPU architectures ctxprobe's native library is built for, named as Linux and the GNU
 * toolchain name them, with the {@code os.arch} values a JVM reports for each.
 *
 * <p>Each has its own system call table ({@link SyscallTable}), its own assembly
 * ({@code native/src/*_<abi>.S}) and its own copy of libctxprobe.so and ctxprobe-helper in the core
 * jar, under {@code io/ctxprobe/native/<resourceDir>/}.
 */
public enum Arch {
    /** x86-64, System V ABI: {@code os.arch} amd64 (HotSpot) or x86_64. */
    X86_64("x86_64", "linux-x86_64", "x86_64-linux-gnu", "amd64", "x86_64"),
    /** AArch64 (arm64), AAPCS64: {@code os.arch} aarch64 (HotSpot) or arm64. */
    AARCH64("aarch64", "linux-aarch64", "aarch64-linux-gnu", "aarch64", "arm64");

    private final String unameMachine;
    private final String resourceDir;
    private final String gnuTriplet;
    private final String[] osArchNames;

    Arch(String unameMachine, String resourceDir, String gnuTriplet, String... osArchNames) {
        this.unameMachine = unameMachine;
        this.resourceDir = resourceDir;
        this.gnuTriplet = gnuTriplet;
        this.osArchNames = osArchNames;
    }

    /** As {@code uname -m} prints it. */
    public String unameMachine() {
        return unameMachine;
    }

    /** The folder under {@code io/ctxprobe/native/} that holds this architecture's native files. */
    public String resourceDir() {
        return resourceDir;
    }

    /** The GNU target triplet: Debian's cross tools are {@code <triplet>-gcc}, its headers {@code /usr/<triplet>/include}. */
    public String gnuTriplet() {
        return gnuTriplet;
    }

    /** The architecture for a JVM's {@code os.arch} value, or null when ctxprobe has no build for it. */
    public static Arch fromOsArch(String osArch) {
        String a = osArch == null ? "" : osArch.toLowerCase(Locale.ROOT);
        for (Arch arch : values()) {
            for (String name : arch.osArchNames) {
                if (name.equals(a)) {
                    return arch;
                }
            }
        }
        return null;
    }

    /** This JVM's architecture, or null when ctxprobe has no build for it. */
    public static Arch current() {
        return fromOsArch(System.getProperty("os.arch"));
    }
}
