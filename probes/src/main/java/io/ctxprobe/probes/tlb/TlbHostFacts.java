package io.ctxprobe.probes.tlb;

import io.ctxprobe.host.Fact;
import io.ctxprobe.host.FactSection;
import io.ctxprobe.host.FileText;
import io.ctxprobe.host.HostFiles;
import io.ctxprobe.host.HostPaths;
import io.ctxprobe.host.HostFacts;
import io.ctxprobe.host.Summary;

import java.util.Optional;

/** What the TLB probes read from the host facts: CPUID's TLB sizes, the THP mode, PTI and PCID. */
final class TlbHostFacts {

    private TlbHostFacts() {}

    /** A CPUID data TLB fact for 4 KiB pages at a level (1 or 2), e.g. "L1 dTLB 4K entries (cpuid)": value "96, ...". */
    static Optional<Fact> cpuidDataTlb(HostFacts host, int level) {
        Optional<FactSection> caches = host.section("caches");
        if (caches.isEmpty()) return Optional.empty();
        return caches.get().facts().stream()
                .filter(f -> f.available() && f.value() != null)
                .filter(f -> f.name().startsWith("L" + level + " ") && f.name().endsWith("(cpuid)"))
                .filter(f -> f.name().contains("TLB") && !f.name().contains("iTLB") && f.name().contains("4K"))
                .findFirst();
    }

    /** The leading integer of a TLB fact's value ("96, fully associative" -> 96), or null. */
    static Integer entries(Fact f) {
        String v = f.value().strip();
        int end = 0;
        while (end < v.length() && Character.isDigit(v.charAt(end))) end++;
        return end == 0 ? null : Integer.valueOf(v.substring(0, end));
    }

    /** The THP mode ("always", "madvise", "never") from the kernel section, or null when unknown. */
    static String thpMode(HostFacts host) {
        return host.fact("kernel", "THP enabled").filter(Fact::available).map(Fact::value).orElse(null);
    }

    /** /proc/sys/vm/nr_hugepages of the live host, as {@link #nrHugepagesText} words it. */
    static String nrHugepages() {
        return nrHugepagesText(HostFiles.live().read(HostPaths.NR_HUGEPAGES));
    }

    /**
     * Pure: "/proc/sys/vm/nr_hugepages = 0", or why there is no number (unreadable, empty, not a
     * number) — the clause a skipped huge-page case carries.
     */
    static String nrHugepagesText(FileText file) {
        if (!file.ok()) return HostPaths.NR_HUGEPAGES + " unreadable (" + file.error() + ")";
        String first = file.first();
        if (first == null || first.isEmpty()) return HostPaths.NR_HUGEPAGES + " is empty";
        try {
            return HostPaths.NR_HUGEPAGES + " = " + Long.parseLong(first);
        } catch (NumberFormatException e) {
            return HostPaths.NR_HUGEPAGES + " is not a number: '" + first + "'";
        }
    }

    /** True only when the facts establish PTI on and PCID absent. */
    static boolean ptiWithoutPcid(HostFacts host) {
        Summary s = host.summary();
        return s != null && Boolean.TRUE.equals(s.ptiOn()) && Boolean.FALSE.equals(s.pcid());
    }
}
