package io.ctxprobe.host;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Pure decoding of CPUID answers ({eax, ebx, ecx, edx}). Field layouts: AMD64 APM vol. 3
 * appendix E (leaves 0x80000005/6), Intel SDM vol. 2A "CPUID" (leaves 1, 4, 7, 0x18, 0x40000000).
 */
final class CpuidDecoder {
    private CpuidDecoder() {
    }

    static final int EAX = 0, EBX = 1, ECX = 2, EDX = 3;

    /** One TLB as CPUID describes it. */
    record TlbInfo(String name, int entries, String ways) {
    }

    /** Leaf 0: "GenuineIntel", "AuthenticAMD" (ebx, edx, ecx). */
    static String vendor(int[] leaf0) {
        return ascii(leaf0[EBX], leaf0[EDX], leaf0[ECX]);
    }

    /** Leaf 1 eax: {display family, display model, stepping}, extended fields folded in as the SDM says. */
    static int[] signature(int eax) {
        int stepping = eax & 0xf;
        int model = (eax >>> 4) & 0xf;
        int family = (eax >>> 8) & 0xf;
        int extModel = (eax >>> 16) & 0xf;
        int extFamily = (eax >>> 20) & 0xff;
        int displayFamily = family == 0xf ? family + extFamily : family;
        int displayModel = family == 0x6 || family == 0xf ? (extModel << 4) | model : model;
        return new int[] {displayFamily, displayModel, stepping};
    }

    static boolean bit(int reg, int n) {
        return ((reg >>> n) & 1) != 0;
    }

    /** Leaf 1 ecx bit 31: the hypervisor-present bit. */
    static boolean hypervisorBit(int[] leaf1) {
        return bit(leaf1[ECX], 31);
    }

    /** Leaf 1 ecx bit 17. */
    static boolean pcid(int[] leaf1) {
        return bit(leaf1[ECX], 17);
    }

    /** Leaf 7 subleaf 0 ebx bit 10. */
    static boolean invpcid(int[] leaf7) {
        return bit(leaf7[EBX], 10);
    }

    /** Leaf 0x40000000: the 12-byte signature in ebx, ecx, edx, NULs kept as "\0". */
    static String hypervisorSignature(int[] leaf) {
        return ascii(leaf[EBX], leaf[ECX], leaf[EDX]).replace("\0", "\\0");
    }

    private static final Map<String, String> HYPERVISORS = Map.of(
            "KVMKVMKVM\\0\\0\\0", "KVM", "Microsoft Hv", "Hyper-V", "VMwareVMware", "VMware",
            "XenVMMXenVMM", "Xen", "bhyve bhyve ", "bhyve", "TCGTCGTCGTCG", "QEMU TCG",
            " lrpepyh  vr", "Parallels", "ACRNACRNACRN", "ACRN", "VBoxVBoxVBox", "VirtualBox");

    /** A known signature's common name, or null. */
    static String hypervisorName(String signature) {
        return HYPERVISORS.get(signature);
    }

    /** Leaves 0x80000002..4: the brand string, trimmed. */
    static String brand(int[] a, int[] b, int[] c) {
        return (ascii(a[EAX], a[EBX], a[ECX], a[EDX]) + ascii(b[EAX], b[EBX], b[ECX], b[EDX])
                + ascii(c[EAX], c[EBX], c[ECX], c[EDX])).replace("\0", "").trim();
    }

    /** AMD leaf 0x80000005: L1d (ecx) and L1i (edx). */
    static List<CacheInfo> amdL1Caches(int[] r) {
        return List.of(amdL1(r[ECX], "Data"), amdL1(r[EDX], "Instruction"));
    }

    private static CacheInfo amdL1(int reg, String type) {
        long kib = (reg >>> 24) & 0xff;
        return new CacheInfo(1, type, kib * 1024, amdL1Ways((reg >>> 16) & 0xff), reg & 0xff, null);
    }

    /** AMD leaf 0x80000005: L1 TLBs for 4K (ebx) and 2M/4M pages (eax). */
    static List<TlbInfo> amdL1Tlbs(int[] r) {
        return List.of(
                new TlbInfo("L1 dTLB 4K entries", (r[EBX] >>> 16) & 0xff, amdL1Ways((r[EBX] >>> 24) & 0xff)),
                new TlbInfo("L1 iTLB 4K entries", r[EBX] & 0xff, amdL1Ways((r[EBX] >>> 8) & 0xff)),
                new TlbInfo("L1 dTLB 2M entries", (r[EAX] >>> 16) & 0xff, amdL1Ways((r[EAX] >>> 24) & 0xff)),
                new TlbInfo("L1 iTLB 2M entries", r[EAX] & 0xff, amdL1Ways((r[EAX] >>> 8) & 0xff)));
    }

    private static String amdL1Ways(int v) {
        return v == 0xff ? "fully associative" : CacheInfo.waysText(v);
    }

    /** AMD leaf 0x80000006: L2 (ecx, size in KiB) and L3 (edx, size in 512 KiB units); absent when 0. */
    static List<CacheInfo> amdL2L3Caches(int[] r) {
        List<CacheInfo> out = new ArrayList<>();
        long l2kib = (r[ECX] >>> 16) & 0xffff;
        if (l2kib != 0) {
            out.add(new CacheInfo(2, "Unified", l2kib * 1024, amdWays((r[ECX] >>> 12) & 0xf), r[ECX] & 0xff, null));
        }
        long l3units = (r[EDX] >>> 18) & 0x3fff;
        if (l3units != 0) {
            out.add(new CacheInfo(3, "Unified", l3units * 512 * 1024, amdWays((r[EDX] >>> 12) & 0xf), r[EDX] & 0xff,
                    null));
        }
        return out;
    }

    /** AMD leaf 0x80000006: L2 TLBs (ebx 4K, eax 2M); a 0 entry count means absent. */
    static List<TlbInfo> amdL2Tlbs(int[] r) {
        List<TlbInfo> out = new ArrayList<>();
        addL2Tlb(out, "L2 dTLB 4K entries", r[EBX] >>> 16);
        addL2Tlb(out, "L2 iTLB 4K entries", r[EBX]);
        addL2Tlb(out, "L2 dTLB 2M entries", r[EAX] >>> 16);
        addL2Tlb(out, "L2 iTLB 2M entries", r[EAX]);
        return out;
    }

    private static void addL2Tlb(List<TlbInfo> out, String name, int half) {
        int entries = half & 0xfff;
        if (entries != 0) {
            out.add(new TlbInfo(name, entries, amdWays((half >>> 12) & 0xf)));
        }
    }

    /** The 4-bit associativity code of leaf 0x80000006. */
    static String amdWays(int code) {
        return switch (code) {
            case 0 -> "disabled";
            case 1 -> "direct mapped";
            case 2, 3, 4 -> code + "-way";
            case 5 -> "6-way";
            case 6 -> "8-way";
            case 8 -> "16-way";
            case 9 -> "ways in leaf 0x8000001D";
            case 0xa -> "32-way";
            case 0xb -> "48-way";
            case 0xc -> "64-way";
            case 0xd -> "96-way";
            case 0xe -> "128-way";
            case 0xf -> "fully associative";
            default -> "reserved code " + code;
        };
    }

    /** Intel leaf 4, one answer per subleaf until type 0. */
    static List<CacheInfo> intelLeaf4(List<int[]> subleaves) {
        List<CacheInfo> out = new ArrayList<>();
        for (int[] r : subleaves) {
            int type = r[EAX] & 0x1f;
            if (type == 0) {
                break;
            }
            int level = (r[EAX] >>> 5) & 0x7;
            long ways = ((r[EBX] >>> 22) & 0x3ff) + 1L;
            long partitions = ((r[EBX] >>> 12) & 0x3ff) + 1L;
            int line = (r[EBX] & 0xfff) + 1;
            long sets = (r[ECX] & 0xffffffffL) + 1;
            String typeName = type == 1 ? "Data" : type == 2 ? "Instruction" : "Unified";
            String w = bit(r[EAX], 9) ? "fully associative" : CacheInfo.waysText((int) ways);
            out.add(new CacheInfo(level, typeName, ways * partitions * line * sets, w, line, null));
        }
        return out;
    }

    /** Intel leaf 0x18 (deterministic address translation), subleaves 0..max; invalid ones skipped. */
    static List<TlbInfo> intelLeaf18(List<int[]> subleaves) {
        List<TlbInfo> out = new ArrayList<>();
        for (int[] r : subleaves) {
            int type = r[EDX] & 0x1f;
            if (type == 0) {
                continue;
            }
            int level = (r[EDX] >>> 5) & 0x7;
            String kind = switch (type) {
                case 1 -> "dTLB";
                case 2 -> "iTLB";
                case 3 -> "TLB";
                case 4 -> "load TLB";
                case 5 -> "store TLB";
                default -> "TLB type " + type;
            };
            List<String> pages = new ArrayList<>();
            String[] names = {"4K", "2M", "4M", "1G"};
            for (int i = 0; i < 4; i++) {
                if (bit(r[EBX], i)) {
                    pages.add(names[i]);
                }
            }
            int ways = (r[EBX] >>> 16) & 0xffff;
            int sets = r[ECX];
            String w = bit(r[EDX], 8) ? "fully associative" : CacheInfo.waysText(ways);
            out.add(new TlbInfo("L" + level + " " + kind + " " + String.join("/", pages) + " entries", ways * sets, w));
        }
        return out;
    }

    private static String ascii(int... regs) {
        byte[] b = new byte[regs.length * 4];
        for (int i = 0; i < regs.length; i++) {
            for (int j = 0; j < 4; j++) {
                b[i * 4 + j] = (byte) (regs[i] >>> (8 * j));
            }
        }
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
