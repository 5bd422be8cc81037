package io.ctxprobe.host;

/**
 * Microarchitecture names from vendor, family and model. Ranges follow the Linux kernel
 * (arch/x86/kernel/cpu/amd.c's Zen feature ranges, arch/x86/include/asm/intel-family.h).
 * A model not listed is "unknown": never a guess from the nearest neighbour.
 */
final class Microarchitecture {
    private Microarchitecture() {
    }

    static final String UNKNOWN = "unknown";

    static String decode(String vendor, Integer family, Integer model, Integer stepping) {
        if (vendor == null || family == null || model == null) {
            return UNKNOWN;
        }
        return switch (vendor) {
            case "AuthenticAMD" -> amd(family, model);
            case "GenuineIntel" -> family == 6 ? intel6(model, stepping) : UNKNOWN;
            default -> UNKNOWN;
        };
    }

    private static String amd(int family, int m) {
        return switch (family) {
            case 0x17 -> {
                if (m == 0x08 || m == 0x18) {
                    yield "Zen+";
                }
                if (in(m, 0x00, 0x2f) || in(m, 0x50, 0x5f)) {
                    yield "Zen";
                }
                if (in(m, 0x30, 0x4f) || in(m, 0x60, 0x7f) || in(m, 0x90, 0x91) || in(m, 0xa0, 0xaf)) {
                    yield "Zen 2";
                }
                yield UNKNOWN;
            }
            case 0x19 -> {
                if (in(m, 0x40, 0x4f)) {
                    yield "Zen 3+";
                }
                if (in(m, 0x00, 0x0f) || in(m, 0x20, 0x5f)) {
                    yield "Zen 3";
                }
                if (in(m, 0x10, 0x1f) || in(m, 0x60, 0xaf)) {
                    yield "Zen 4";
                }
                yield UNKNOWN;
            }
            case 0x1a -> {
                if (in(m, 0x00, 0x2f) || in(m, 0x40, 0x4f) || in(m, 0x60, 0x7f)) {
                    yield "Zen 5";
                }
                if (in(m, 0x50, 0x5f) || in(m, 0x80, 0xaf) || in(m, 0xc0, 0xcf)) {
                    yield "Zen 6";
                }
                yield UNKNOWN;
            }
            default -> UNKNOWN;
        };
    }

    private static String intel6(int m, Integer stepping) {
        return switch (m) {
            case 0x2a -> "Sandy Bridge";
            case 0x2d -> "Sandy Bridge-EP";
            case 0x3a -> "Ivy Bridge";
            case 0x3e -> "Ivy Bridge-EP";
            case 0x3c, 0x45, 0x46 -> "Haswell";
            case 0x3f -> "Haswell-X";
            case 0x3d, 0x47 -> "Broadwell";
            case 0x4f, 0x56 -> "Broadwell-X";
            case 0x4e, 0x5e -> "Skylake";
            // One model number, three server generations told apart by stepping.
            case 0x55 -> stepping == null ? "Skylake-X/Cascade Lake/Cooper Lake"
                    : stepping >= 10 ? "Cooper Lake" : stepping >= 5 ? "Cascade Lake" : "Skylake-SP";
            case 0x8e, 0x9e -> "Kaby Lake/Coffee Lake";
            case 0xa5, 0xa6 -> "Comet Lake";
            case 0x66 -> "Cannon Lake";
            case 0x7d, 0x7e -> "Ice Lake";
            case 0x6a, 0x6c -> "Ice Lake-SP";
            case 0x8c, 0x8d -> "Tiger Lake";
            case 0xa7 -> "Rocket Lake";
            case 0x8f -> "Sapphire Rapids";
            case 0xcf -> "Emerald Rapids";
            case 0xad, 0xae -> "Granite Rapids";
            case 0xaf -> "Sierra Forest";
            case 0x97, 0x9a -> "Alder Lake";
            case 0xbe -> "Alder Lake-N";
            case 0xb7, 0xba, 0xbf -> "Raptor Lake";
            case 0xaa, 0xac -> "Meteor Lake";
            case 0xc5, 0xc6, 0xb5 -> "Arrow Lake";
            case 0xbd -> "Lunar Lake";
            default -> UNKNOWN;
        };
    }

    private static boolean in(int m, int lo, int hi) {
        return m >= lo && m <= hi;
    }
}
