package io.ctxprobe.host;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Arm core names from /proc/cpuinfo's "CPU implementer" and "CPU part" (the MIDR_EL1 fields the
 * kernel prints on arm64). Codes follow the Linux kernel's arch/arm64/include/asm/cputype.h and
 * util-linux's lscpu-arm.c; a code not listed is "unknown", never a guess from a neighbour. A host
 * with more than one core type (big.LITTLE, DynamIQ) lists each, in the order cpuinfo shows them.
 */
final class ArmCores {
    private ArmCores() {
    }

    /** One core type: MIDR implementer and part, with the first such CPU's variant and revision. */
    record CoreId(int implementer, int part, Integer variant, Integer revision) {
        String implementerText() {
            String n = implementerName(implementer);
            return String.format("0x%02x", implementer) + (n == null ? "" : " (" + n + ")");
        }

        String partText() {
            return String.format("0x%03x", part) + " (" + coreName(implementer, part) + ")";
        }
    }

    /** The distinct core types of the blocks (CpuInfoParser.parseBlocks), in order; empty off Arm. */
    static List<CoreId> parse(List<Map<String, String>> blocks) {
        Set<List<Integer>> seen = new LinkedHashSet<>();
        List<CoreId> cores = new ArrayList<>();
        for (Map<String, String> b : blocks) {
            Integer impl = hex(b.get("CPU implementer"));
            Integer part = hex(b.get("CPU part"));
            if (impl != null && part != null && seen.add(List.of(impl, part))) {
                cores.add(new CoreId(impl, part, hex(b.get("CPU variant")), CpuInfoParser.integer(b.get("CPU revision"))));
            }
        }
        return cores;
    }

    /** "Neoverse-N1", or "Cortex-A55 + Cortex-A76" for mixed cores; {@link Microarchitecture#UNKNOWN} parts stay visible. */
    static String describe(List<CoreId> cores) {
        List<String> names = new ArrayList<>();
        for (CoreId c : cores) {
            names.add(coreName(c.implementer(), c.part()));
        }
        return String.join(" + ", names);
    }

    static String implementerName(int implementer) {
        return switch (implementer) {
            case 0x41 -> "Arm";
            case 0x42 -> "Broadcom";
            case 0x43 -> "Cavium";
            case 0x46 -> "Fujitsu";
            case 0x48 -> "HiSilicon";
            case 0x4e -> "NVIDIA";
            case 0x50 -> "Applied Micro";
            case 0x51 -> "Qualcomm";
            case 0x61 -> "Apple";
            case 0x6d -> "Microsoft";
            case 0xc0 -> "Ampere";
            default -> null;
        };
    }

    /** The core's name, or {@link Microarchitecture#UNKNOWN}. */
    static String coreName(int implementer, int part) {
        String n = switch (implementer) {
            case 0x41 -> arm(part);
            case 0x42 -> part == 0x516 ? "Vulcan (ThunderX2)" : null;
            case 0x43 -> switch (part) {
                case 0x0a1 -> "ThunderX";
                case 0x0af -> "ThunderX2";
                default -> null;
            };
            case 0x46 -> part == 0x001 ? "A64FX" : null;
            case 0x48 -> part == 0xd01 ? "TaiShan v110" : null;
            case 0x4e -> switch (part) {
                case 0x003 -> "Denver 2";
                case 0x004 -> "Carmel";
                default -> null;
            };
            case 0x51 -> part == 0xc00 ? "Falkor" : null;
            case 0x61 -> switch (part) {
                case 0x022 -> "M1 Icestorm";
                case 0x023 -> "M1 Firestorm";
                default -> null;
            };
            case 0xc0 -> switch (part) {
                case 0xac3 -> "Ampere-1";
                case 0xac4 -> "Ampere-1a";
                default -> null;
            };
            default -> null;
        };
        return n == null ? Microarchitecture.UNKNOWN : n;
    }

    private static String arm(int part) {
        return switch (part) {
            case 0xd03 -> "Cortex-A53";
            case 0xd04 -> "Cortex-A35";
            case 0xd05 -> "Cortex-A55";
            case 0xd07 -> "Cortex-A57";
            case 0xd08 -> "Cortex-A72";
            case 0xd09 -> "Cortex-A73";
            case 0xd0a -> "Cortex-A75";
            case 0xd0b -> "Cortex-A76";
            case 0xd0c -> "Neoverse-N1";
            case 0xd0d -> "Cortex-A77";
            case 0xd0e -> "Cortex-A76AE";
            case 0xd40 -> "Neoverse-V1";
            case 0xd41 -> "Cortex-A78";
            case 0xd44 -> "Cortex-X1";
            case 0xd46 -> "Cortex-A510";
            case 0xd47 -> "Cortex-A710";
            case 0xd48 -> "Cortex-X2";
            case 0xd49 -> "Neoverse-N2";
            case 0xd4a -> "Neoverse-E1";
            case 0xd4b -> "Cortex-A78C";
            case 0xd4d -> "Cortex-A715";
            case 0xd4e -> "Cortex-X3";
            case 0xd4f -> "Neoverse-V2";
            case 0xd80 -> "Cortex-A520";
            case 0xd81 -> "Cortex-A720";
            case 0xd82 -> "Cortex-X4";
            case 0xd84 -> "Neoverse-V3";
            case 0xd8e -> "Neoverse-N3";
            default -> null;
        };
    }

    /** "0x41" -> 65; null when absent or not a hex number. */
    static Integer hex(String s) {
        if (s == null) {
            return null;
        }
        String t = s.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            return t.startsWith("0x") ? Integer.parseInt(t.substring(2), 16) : Integer.parseInt(t);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
