package io.ctxprobe.host;

import java.util.List;

/** The "memory" section: total memory, base page size, huge page sizes. */
final class MemoryFacts {
    private MemoryFacts() {
    }

    static FactSection collect(HostFiles files, ExternalSources ext) {
        SectionBuilder s = new SectionBuilder("memory");
        FileText meminfo = files.read(HostPaths.MEMINFO);
        s.add(field(meminfo, "MemTotal", "total memory"));
        OshiSnapshot oshi = ext.oshi();
        s.add(oshi.available() ? Fact.of("total memory (oshi)", Units.bytes(oshi.totalMemory()), "oshi").withNumber(oshi.totalMemory(), "B")
                : Fact.unavailable("total memory (oshi)", "oshi", oshi.unavailableReason()));

        FileText smaps = files.read(HostPaths.SELF_SMAPS);
        s.add(field(smaps, "KernelPageSize", "page size"));
        CommandOutput getconf = ext.getconf();
        Long gp = getconf.ok() ? GetconfParser.pageSize(getconf.lines()) : null;
        s.add(gp != null ? Fact.of("page size (getconf)", Units.bytes(gp), "getconf").withNumber(gp, "B")
                : Fact.unavailable("page size (getconf)", "getconf", getconf.ok() ? "no PAGESIZE" : getconf.error()));
        if (oshi.available()) {
            s.add(Fact.of("page size (oshi)", Units.bytes(oshi.pageSize()), "oshi").withNumber(oshi.pageSize(), "B"));
        }
        s.add(field(meminfo, "Hugepagesize", "hugetlb page size"));
        FileText pmd = files.read(HostPaths.THP + "/hpage_pmd_size");
        Long pmdBytes = pmd.ok() ? Units.kbField(pmd.first()) : null;
        s.add(pmdBytes != null ? Fact.of("THP PMD size", Units.bytes(pmdBytes), pmd.source()).withNumber(pmdBytes, "B") : pmd.fact("THP PMD size"));
        return s.build();
    }

    /** A "Key:   N kB" field of a procfs file as bytes. */
    static Fact field(FileText t, String key, String name) {
        if (!t.ok()) {
            return Fact.unavailable(name, t.source(), t.error());
        }
        String v = parseField(t.lines(), key);
        Long bytes = Units.kbField(v);
        return bytes == null ? Fact.unavailable(name, t.source(), "no '" + key + ":' line")
                : Fact.of(name, Units.bytes(bytes), t.source()).withNumber(bytes, "B");
    }

    /** Pure: the text after "Key:" in the first such line, or null. */
    static String parseField(List<String> lines, String key) {
        for (String l : lines) {
            if (l.startsWith(key + ":")) {
                return l.substring(key.length() + 1).trim();
            }
        }
        return null;
    }
}
