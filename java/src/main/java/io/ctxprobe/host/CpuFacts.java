package io.ctxprobe.host;

import java.util.List;

/** The "cpu" section: identity from /proc/cpuinfo and CPUID, microarchitecture, flags of interest. */
final class CpuFacts {
    private CpuFacts() {
    }

    static final List<String> FLAGS_OF_INTEREST =
            List.of("pcid", "invpcid", "hypervisor", "constant_tsc", "nonstop_tsc", "pdpe1gb", "avx2", "avx512f");
    static final String MICROARCHITECTURE = "microarchitecture";
    static final String MODEL_NAME = "model name";

    static FactSection collect(FileText cpuinfoText, CpuInfoParser.CpuInfo info, CpuidSource cpuid,
            OshiSnapshot oshi) {
        SectionBuilder s = new SectionBuilder("cpu");
        String src = cpuinfoText.source();
        boolean readable = cpuinfoText.ok() && info.processors() > 0;
        String why = cpuinfoText.ok() ? "no processor block in " + HostPaths.CPUINFO : cpuinfoText.error();
        s.add(value("vendor", info.vendor(), src, readable, why));
        s.add(value(MODEL_NAME, info.modelName(), src, readable, why));
        String fms = info.family() == null || info.model() == null ? null
                : fms(info.family(), info.model(), info.stepping());
        s.add(value("family/model/stepping", fms, src, readable, why));

        int[] leaf0 = cpuid.leaf(0, 0);
        int[] leaf1 = cpuid.leaf(1, 0);
        String cpuidVendor = leaf0 == null ? null : CpuidDecoder.vendor(leaf0);
        s.add(leaf0 == null ? Fact.unavailable("vendor (cpuid)", CpuidSource.source(0), cpuid.missing(0))
                : Fact.of("vendor (cpuid)", cpuidVendor, CpuidSource.source(0)));
        int[] sig = leaf1 == null ? null : CpuidDecoder.signature(leaf1[CpuidDecoder.EAX]);
        s.add(sig == null ? Fact.unavailable("family/model/stepping (cpuid)", CpuidSource.source(1), cpuid.missing(1))
                : Fact.of("family/model/stepping (cpuid)", fms(sig[0], sig[1], sig[2]), CpuidSource.source(1)));
        int[] b2 = cpuid.leaf(0x80000002, 0);
        int[] b3 = cpuid.leaf(0x80000003, 0);
        int[] b4 = cpuid.leaf(0x80000004, 0);
        s.add(b2 == null || b3 == null || b4 == null
                ? Fact.unavailable("brand string (cpuid)", CpuidSource.source(0x80000002), cpuid.missing(0x80000002))
                : Fact.of("brand string (cpuid)", CpuidDecoder.brand(b2, b3, b4), CpuidSource.source(0x80000002)));

        // Arm: no CPUID; the kernel prints MIDR's implementer and part per CPU (ArmCores).
        List<ArmCores.CoreId> arm = ArmCores.parse(CpuInfoParser.parseBlocks(cpuinfoText.ok() ? cpuinfoText.lines() : List.of()));
        for (ArmCores.CoreId c : arm) {
            s.add("CPU implementer", c.implementerText(), src);
            s.add("CPU part", c.partText(), src);
        }

        // Decode from /proc/cpuinfo first (what the kernel saw), CPUID when cpuinfo lacks the numbers.
        if (!arm.isEmpty()) {
            s.add(MICROARCHITECTURE, ArmCores.describe(arm), "decoded from CPU implementer/part (" + src + ")");
        } else if (info.vendor() != null && info.family() != null && info.model() != null) {
            s.add(MICROARCHITECTURE, Microarchitecture.decode(info.vendor(), info.family(), info.model(),
                    info.stepping()), "decoded from vendor/family/model (" + src + ")");
        } else if (cpuidVendor != null && sig != null) {
            s.add(MICROARCHITECTURE, Microarchitecture.decode(cpuidVendor, sig[0], sig[1], sig[2]),
                    "decoded from vendor/family/model (cpuid:0x1)");
        } else {
            s.unavailable(MICROARCHITECTURE, src, "neither /proc/cpuinfo nor CPUID gave vendor, family and model");
        }
        s.add(oshi.available() && oshi.microarchitecture() != null
                ? Fact.of("microarchitecture (oshi)", oshi.microarchitecture(), "oshi")
                : Fact.unavailable("microarchitecture (oshi)", "oshi",
                        oshi.available() ? "OSHI gave none" : oshi.unavailableReason()));

        for (String f : FLAGS_OF_INTEREST) {
            s.add(info.hasFlags() ? Fact.of("flag " + f, info.flag(f) ? "yes" : "no", src)
                    : Fact.unavailable("flag " + f, src, readable ? "no flags line" : why));
        }
        if (info.hasFlags()) {
            s.add("bugs", info.bugs().isEmpty() ? "(none listed)" : String.join(" ", info.bugs()), src);
        }
        return s.build();
    }

    static String fms(int family, int model, Integer stepping) {
        return String.format("%d (0x%x) / %d (0x%02x) / %s", family, family, model, model,
                stepping == null ? "?" : stepping.toString());
    }

    private static Fact value(String name, String v, String src, boolean readable, String why) {
        if (v != null) {
            return Fact.of(name, v, src);
        }
        return Fact.unavailable(name, src, readable ? "no '" + name + "' line" : why);
    }
}
