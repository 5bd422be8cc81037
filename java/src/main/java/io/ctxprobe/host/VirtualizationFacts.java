package io.ctxprobe.host;

import java.util.List;

/** The "virtualization" section: hypervisor flag and CPUID signature, /sys/hypervisor, DMI, dmesg, OSHI. */
final class VirtualizationFacts {
    private VirtualizationFacts() {
    }

    static final String HYPERVISOR = "hypervisor";
    static final String VENDOR = "hypervisor vendor";

    static FactSection collect(HostFiles files, CpuInfoParser.CpuInfo info, CpuidSource cpuid, ExternalSources ext) {
        SectionBuilder s = new SectionBuilder("virtualization");
        String cpuinfoSrc = HostFiles.source(HostPaths.CPUINFO);
        int[] leaf1 = cpuid.leaf(1, 0);
        Boolean bit = leaf1 == null ? null : CpuidDecoder.hypervisorBit(leaf1);
        Boolean flag = info.hasFlags() ? info.flag("hypervisor") : null;
        Boolean present = flag != null ? flag : bit;
        s.add(present == null ? Fact.unavailable(HYPERVISOR, cpuinfoSrc, "no flags line and no CPUID")
                : Fact.of(HYPERVISOR, present ? "yes" : "no", flag != null ? cpuinfoSrc : CpuidSource.source(1)));
        s.add(bit == null ? Fact.unavailable("hypervisor bit (cpuid)", CpuidSource.source(1), cpuid.missing(1))
                : Fact.of("hypervisor bit (cpuid)", bit ? "set" : "clear", CpuidSource.source(1)));

        String signature = null;
        String hvSrc = CpuidSource.source(0x40000000);
        if (Boolean.TRUE.equals(bit)) {
            int[] hv = cpuid.leaf(0x40000000, 0);
            if (hv != null) {
                signature = CpuidDecoder.hypervisorSignature(hv);
                String known = CpuidDecoder.hypervisorName(signature);
                s.add("hypervisor signature (cpuid)", "\"" + signature + "\"" + (known == null ? "" : " (" + known + ")"),
                        hvSrc);
            } else {
                s.unavailable("hypervisor signature (cpuid)", hvSrc, cpuid.missing(0x40000000));
            }
        } else {
            s.unavailable("hypervisor signature (cpuid)", hvSrc,
                    bit == null ? cpuid.missing(1) : "hypervisor bit clear: leaf not defined");
        }

        FileText sysType = files.read(HostPaths.SYS_HYPERVISOR_TYPE);
        s.add(sysType.fact("/sys/hypervisor/type"));
        for (String f : List.of("sys_vendor", "product_name", "bios_vendor")) {
            s.add(files.read(HostPaths.DMI + "/" + f).fact("DMI " + f));
        }

        CommandOutput dmesg = ext.dmesg();
        String detected = null;
        if (!dmesg.ok()) {
            s.unavailable("dmesg: Hypervisor detected", "dmesg", dmesg.error());
        } else {
            detected = DmesgParser.hypervisorDetected(dmesg.lines());
            if (detected != null) {
                s.add("dmesg: Hypervisor detected", detected, "dmesg");
            } else {
                s.unavailable("dmesg: Hypervisor detected", "dmesg", "no 'Hypervisor detected' line in the log"
                        + " (bare metal, or the boot messages have rotated out)");
            }
        }
        OshiSnapshot oshi = ext.oshi();
        s.add(!oshi.available() ? Fact.unavailable("virtualization (oshi)", "oshi", oshi.unavailableReason())
                : oshi.virtualization() == null ? Fact.of("virtualization (oshi)", "none reported", "oshi")
                : Fact.of("virtualization (oshi)", oshi.virtualization(), "oshi"));

        String vendor = vendor(detected, signature, sysType.ok() ? sysType.first() : null);
        if (vendor != null) {
            s.add(VENDOR, vendor, detected != null ? "dmesg" : signature != null ? hvSrc : sysType.source());
        } else if (Boolean.TRUE.equals(present)) {
            s.unavailable(VENDOR, hvSrc, "no CPUID signature, no dmesg line, no /sys/hypervisor/type");
        }
        return s.build();
    }

    /**
     * Pure: the name to show. The kernel log names the hypervisor the guest kernel actually detected;
     * the CPUID signature can be a compatibility disguise, so both are shown when they differ.
     */
    static String vendor(String dmesgName, String cpuidSignature, String sysHypervisorType) {
        String cpuidName = cpuidSignature == null ? null
                : CpuidDecoder.hypervisorName(cpuidSignature) != null ? CpuidDecoder.hypervisorName(cpuidSignature)
                : "\"" + cpuidSignature + "\"";
        if (dmesgName != null) {
            return cpuidName == null || cpuidName.equalsIgnoreCase(dmesgName) ? dmesgName
                    : dmesgName + " (dmesg; CPUID signature says " + cpuidName + ")";
        }
        if (cpuidName != null) {
            return cpuidName;
        }
        return sysHypervisorType;
    }
}
