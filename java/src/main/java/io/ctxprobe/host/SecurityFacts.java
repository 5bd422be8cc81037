package io.ctxprobe.host;

/** The "security" section: PCID/INVPCID, page-table isolation, and every vulnerabilities/ file. */
final class SecurityFacts {
    private SecurityFacts() {
    }

    static final String PTI = "PTI";
    static final String PCID = "PCID";
    static final String MELTDOWN = HostPaths.VULNERABILITIES + "/meltdown";

    static FactSection collect(HostFiles files, CpuInfoParser.CpuInfo info, CpuidSource cpuid, FileText cmdline) {
        SectionBuilder s = new SectionBuilder("security");
        String cpuinfoSrc = HostFiles.source(HostPaths.CPUINFO);
        int[] leaf1 = cpuid.leaf(1, 0);
        int[] leaf7 = cpuid.leaf(7, 0);

        Boolean pcid = info.hasFlags() ? Boolean.valueOf(info.flag("pcid"))
                : leaf1 != null ? Boolean.valueOf(CpuidDecoder.pcid(leaf1)) : null;
        String pcidSrc = info.hasFlags() ? cpuinfoSrc : CpuidSource.source(1);
        s.add(pcid == null ? Fact.unavailable(PCID, cpuinfoSrc, "no flags line and no CPUID")
                : Fact.of(PCID, yesNo(pcid), pcidSrc));
        s.add(leaf1 == null ? Fact.unavailable("PCID (cpuid)", CpuidSource.source(1), cpuid.missing(1))
                : Fact.of("PCID (cpuid)", yesNo(CpuidDecoder.pcid(leaf1)), CpuidSource.source(1)));
        s.add(info.hasFlags() ? Fact.of("INVPCID", yesNo(info.flag("invpcid")), cpuinfoSrc)
                : Fact.unavailable("INVPCID", cpuinfoSrc, "no flags line"));
        s.add(leaf7 == null ? Fact.unavailable("INVPCID (cpuid)", CpuidSource.source(7), cpuid.missing(7))
                : Fact.of("INVPCID (cpuid)", yesNo(CpuidDecoder.invpcid(leaf7)), CpuidSource.source(7)));

        FileText meltdown = files.read(MELTDOWN);
        Boolean ptiFlag = info.hasFlags() ? info.flag("pti") || info.flag("kaiser") : null;
        Boolean ptiOn = ptiOn(meltdown.ok() ? meltdown.first() : null, ptiFlag);
        String evidence = (meltdown.ok() ? "meltdown: " + meltdown.first() : "no meltdown file")
                + (ptiFlag == null ? "" : "; cpu flag pti " + (ptiFlag ? "present" : "absent"));
        String ptiSrc = meltdown.ok() ? meltdown.source() : cpuinfoSrc;
        s.add(ptiOn == null ? Fact.unavailable(PTI, ptiSrc, "cannot tell (" + evidence + ")")
                : Fact.of(PTI, (ptiOn ? "on" : "off") + " (" + evidence + ")", ptiSrc));
        String text = ptiText(ptiOn, pcid);
        s.add(text == null ? Fact.unavailable("PTI/PCID", ptiSrc, "PTI state unknown")
                : Fact.of("PTI/PCID", text, ptiSrc + " + " + pcidSrc));

        String line = cmdline.ok() ? cmdline.first() : null;
        for (String p : new String[] {"mitigations", "pti", "nopti"}) {
            String v = KernelFacts.parameter(line, p);
            if (v != null) {
                s.add("cmdline " + p, v, cmdline.source());
            }
        }

        var names = files.list(HostPaths.VULNERABILITIES);
        if (names.isEmpty()) {
            s.unavailable("vulnerabilities", HostFiles.source(HostPaths.VULNERABILITIES),
                    "no " + HostPaths.VULNERABILITIES + " (kernel older than 4.15, or not mounted)");
        }
        for (String n : names) {
            s.add(files.read(HostPaths.VULNERABILITIES + "/" + n).fact("vulnerability " + n));
        }
        return s.build();
    }

    /** Pure: PTI state from the meltdown line and the "pti" cpu flag (each may be null = unknown). */
    static Boolean ptiOn(String meltdownLine, Boolean ptiFlag) {
        if (meltdownLine != null && meltdownLine.contains("PTI")) {
            return true;
        }
        if (Boolean.TRUE.equals(ptiFlag)) {
            return true;
        }
        if (meltdownLine != null && (meltdownLine.startsWith("Not affected") || meltdownLine.startsWith("Vulnerable"))) {
            return false;
        }
        return null;
    }

    /** Pure: "PTI on, no PCID", "PTI on, PCID", "PTI off"; null when PTI is unknown. */
    static String ptiText(Boolean ptiOn, Boolean pcid) {
        if (ptiOn == null) {
            return null;
        }
        if (!ptiOn) {
            return "PTI off";
        }
        return pcid == null ? "PTI on, PCID unknown" : pcid ? "PTI on, PCID" : "PTI on, no PCID";
    }

    static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }
}
