package io.ctxprobe.host;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The "caches" section: each cache level as each source reports it (sysfs, OSHI, getconf, CPUID,
 * /proc/cpuinfo), TLB sizes from CPUID, and a flag on every value that cannot be right.
 */
final class CacheFacts {
    private CacheFacts() {
    }

    static final long MAX_L1 = 1L << 20;
    static final long MAX_L2 = 64L << 20;
    static final long MAX_L3 = 256L << 20;
    /** Zen-family cores have 1536 (Zen) to 4096 (Zen 5) L2 dTLB entries for 4K pages. */
    static final int MIN_ZEN_L2_DTLB = 1024;

    static FactSection collect(HostFiles files, CpuInfoParser.CpuInfo info, CpuidSource cpuid,
            ExternalSources ext) {
        List<Fact> facts = new ArrayList<>();
        Map<Fact, CacheInfo> sized = new LinkedHashMap<>();

        List<CacheInfo> sysfs = readSysfs(files);
        String sysSrc = HostFiles.source(HostPaths.CPU0_CACHE);
        if (sysfs == null) {
            facts.add(Fact.unavailable("caches (sysfs)", sysSrc, "no " + HostPaths.CPU0_CACHE + " (common in VMs)"));
        } else {
            addAll(facts, sized, sysfs, "sysfs", sysSrc);
        }

        OshiSnapshot oshi = ext.oshi();
        if (!oshi.available()) {
            facts.add(Fact.unavailable("caches (oshi)", "oshi", oshi.unavailableReason()));
        } else if (oshi.caches().isEmpty()) {
            facts.add(Fact.unavailable("caches (oshi)", "oshi", "OSHI reported no caches"));
        } else {
            addAll(facts, sized, oshi.caches(), "oshi", "oshi");
        }

        CommandOutput getconf = ext.getconf();
        List<CacheInfo> gc = getconf.ok() ? GetconfParser.caches(getconf.lines()) : List.of();
        if (!getconf.ok()) {
            facts.add(Fact.unavailable("caches (getconf)", "getconf", getconf.error()));
        } else if (gc.isEmpty()) {
            facts.add(Fact.unavailable("caches (getconf)", "getconf", "no LEVEL*_CACHE_SIZE values"));
        } else {
            addAll(facts, sized, gc, "getconf", "getconf");
        }

        addCpuid(facts, sized, info, cpuid);

        if (info.cacheSize() != null) {
            facts.add(Fact.of("cache size (cpuinfo)", info.cacheSize(), HostFiles.source(HostPaths.CPUINFO))
                    .withNumber(leadingNumber(info.cacheSize(), "KB", 1024), "B"));
        }
        if (info.tlbSize() != null) {
            facts.add(Fact.of("TLB size (cpuinfo)", info.tlbSize(), HostFiles.source(HostPaths.CPUINFO))
                    .withNumber(leadingNumber(info.tlbSize(), "4K pages", 1), "pages"));
        }
        return new FactSection("caches", flag(facts, sized));
    }

    /** Pure: "1024 KB" with suffix "KB" and scale 1024 is 1048576; null when the text is not "N suffix". */
    static Long leadingNumber(String text, String suffix, long scale) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)\\s*" + java.util.regex.Pattern.quote(suffix))
                .matcher(text.strip());
        return m.matches() ? Long.parseLong(m.group(1)) * scale : null;
    }

    private static void addAll(List<Fact> facts, Map<Fact, CacheInfo> sized, List<CacheInfo> caches, String tag,
            String source) {
        for (CacheInfo c : caches) {
            Fact f = Fact.of(c.label() + " (" + tag + ")", c.describe(), source).withNumber(c.sizeBytes(), "B");
            facts.add(f);
            if (c.sizeBytes() != null) {
                sized.put(f, c);
            }
        }
    }

    private static void addCpuid(List<Fact> facts, Map<Fact, CacheInfo> sized, CpuInfoParser.CpuInfo info,
            CpuidSource cpuid) {
        int[] leaf0 = cpuid.leaf(0, 0);
        if (leaf0 == null) {
            facts.add(Fact.unavailable("caches (cpuid)", "cpuid", cpuid.missing(0)));
            return;
        }
        String vendor = CpuidDecoder.vendor(leaf0);
        if (vendor.equals("AuthenticAMD") || vendor.equals("HygonGenuine")) {
            int[] l1 = cpuid.leaf(0x80000005, 0);
            int[] l2 = cpuid.leaf(0x80000006, 0);
            if (l1 != null) {
                addAll(facts, sized, CpuidDecoder.amdL1Caches(l1), "cpuid", CpuidSource.source(0x80000005));
                for (var t : CpuidDecoder.amdL1Tlbs(l1)) {
                    facts.add(tlb(t, CpuidSource.source(0x80000005)));
                }
            } else {
                facts.add(Fact.unavailable("L1 (cpuid)", CpuidSource.source(0x80000005), cpuid.missing(0x80000005)));
            }
            if (l2 != null) {
                addAll(facts, sized, CpuidDecoder.amdL2L3Caches(l2), "cpuid", CpuidSource.source(0x80000006));
                Integer family = info.family();
                for (var t : CpuidDecoder.amdL2Tlbs(l2)) {
                    Fact f = tlb(t, CpuidSource.source(0x80000006));
                    if (family != null && family >= 0x17 && t.name().equals("L2 dTLB 4K entries")
                            && t.entries() < MIN_ZEN_L2_DTLB) {
                        f = f.implausible("Zen-family cores have 1536-4096 L2 dTLB entries; a hypervisor's CPUID"
                                + " may report less than the hardware has");
                    }
                    facts.add(f);
                }
            } else {
                facts.add(Fact.unavailable("L2/L3 (cpuid)", CpuidSource.source(0x80000006), cpuid.missing(0x80000006)));
            }
        } else if (vendor.equals("GenuineIntel")) {
            List<int[]> leaf4 = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                int[] r = cpuid.leaf(4, i);
                if (r == null || (r[0] & 0x1f) == 0) {
                    break;
                }
                leaf4.add(r);
            }
            if (leaf4.isEmpty()) {
                facts.add(Fact.unavailable("caches (cpuid)", CpuidSource.source(4), "leaf 4 gave no cache"));
            } else {
                addAll(facts, sized, CpuidDecoder.intelLeaf4(leaf4), "cpuid", CpuidSource.source(4));
            }
            int[] l18 = cpuid.leaf(0x18, 0);
            if (l18 == null) {
                facts.add(Fact.unavailable("TLBs (cpuid)", CpuidSource.source(0x18),
                        cpuid.missing(0x18) + "; leaf 2 descriptors are not decoded"));
            } else {
                List<int[]> subs = new ArrayList<>();
                subs.add(l18);
                for (int i = 1; i <= Math.min(l18[0], 32); i++) {
                    int[] r = cpuid.leaf(0x18, i);
                    if (r != null) {
                        subs.add(r);
                    }
                }
                for (var t : CpuidDecoder.intelLeaf18(subs)) {
                    facts.add(tlb(t, CpuidSource.source(0x18)));
                }
            }
        } else {
            facts.add(Fact.unavailable("caches (cpuid)", "cpuid", "no decoder for vendor '" + vendor + "'"));
        }
    }

    private static Fact tlb(CpuidDecoder.TlbInfo t, String source) {
        return Fact.of(t.name() + " (cpuid)", t.entries() + (t.ways() == null ? "" : ", " + t.ways()), source)
                .withNumber(t.entries(), "entries");
    }

    /** Pure: flags sizes no real part has, then sizes on which sources disagree by more than 2x. */
    static List<Fact> flag(List<Fact> facts, Map<Fact, CacheInfo> sized) {
        Map<String, List<Map.Entry<Fact, CacheInfo>>> byLabel = new LinkedHashMap<>();
        sized.entrySet().forEach(e -> byLabel.computeIfAbsent(e.getValue().label(), k -> new ArrayList<>()).add(e));
        Map<Fact, String> why = new LinkedHashMap<>();
        for (var e : sized.entrySet()) {
            CacheInfo c = e.getValue();
            long max = c.level() == 1 ? MAX_L1 : c.level() == 2 ? MAX_L2 : MAX_L3;
            if (c.sizeBytes() > max) {
                why.put(e.getKey(), c.label() + " larger than " + Units.bytes(max) + " per package");
            }
        }
        for (var group : byLabel.values()) {
            long min = group.stream().mapToLong(e -> e.getValue().sizeBytes()).min().orElse(0);
            long max = group.stream().mapToLong(e -> e.getValue().sizeBytes()).max().orElse(0);
            if (min > 0 && max > 2 * min) {
                String all = String.join(", ", group.stream().map(e -> e.getKey().name() + " "
                        + Units.bytes(e.getValue().sizeBytes())).toList());
                for (var e : group) {
                    why.merge(e.getKey(), "sources disagree by more than 2x (" + all + ")", (a, b) -> a + "; " + b);
                }
            }
        }
        List<Fact> out = new ArrayList<>();
        for (Fact f : facts) {
            out.add(why.containsKey(f) ? f.implausible(why.get(f)) : f);
        }
        return out;
    }

    /** The sysfs cache entries of cpu0, or null when the directory is missing. */
    static List<CacheInfo> readSysfs(HostFiles files) {
        if (!files.exists(HostPaths.CPU0_CACHE)) {
            return null;
        }
        List<CacheInfo> out = new ArrayList<>();
        for (String idx : files.list(HostPaths.CPU0_CACHE)) {
            if (!idx.startsWith("index")) {
                continue;
            }
            String d = HostPaths.CPU0_CACHE + "/" + idx + "/";
            Integer level = CpuInfoParser.integer(files.read(d + "level").first());
            String type = files.read(d + "type").first();
            Long size = parseSysfsSize(files.read(d + "size").first());
            Integer ways = CpuInfoParser.integer(files.read(d + "ways_of_associativity").first());
            Integer line = CpuInfoParser.integer(files.read(d + "coherency_line_size").first());
            String shared = files.read(d + "shared_cpu_list").first();
            if (level != null && type != null) {
                out.add(new CacheInfo(level, type, size, ways == null ? null : CacheInfo.waysText(ways), line, shared));
            }
        }
        return out;
    }

    /** Pure: sysfs cache sizes "48K", "1024K", "32M" (or bare bytes) to bytes; null when malformed. */
    static Long parseSysfsSize(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        String t = s.trim();
        long mult = switch (Character.toUpperCase(t.charAt(t.length() - 1))) {
            case 'K' -> 1L << 10;
            case 'M' -> 1L << 20;
            case 'G' -> 1L << 30;
            default -> 1;
        };
        try {
            return Long.parseLong(mult == 1 ? t : t.substring(0, t.length() - 1)) * mult;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
