package io.ctxprobe.probes;

import io.ctxprobe.host.Fact;
import io.ctxprobe.host.FactSection;
import io.ctxprobe.host.HostFacts;
import io.ctxprobe.host.Summary;

import java.nio.file.Files;
import java.nio.file.Path;
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

    /** /proc/sys/vm/nr_hugepages as text, or why it could not be read. */
    static String nrHugepages() {
        try {
            return "/proc/sys/vm/nr_hugepages = " + Files.readString(Path.of("/proc/sys/vm/nr_hugepages")).strip();
        } catch (Exception e) {
            return "/proc/sys/vm/nr_hugepages unreadable (" + e.getMessage() + ")";
        }
    }

    /** True only when the facts establish PTI on and PCID absent. */
    static boolean ptiWithoutPcid(HostFacts host) {
        Summary s = host.summary();
        return s != null && Boolean.TRUE.equals(s.ptiOn()) && Boolean.FALSE.equals(s.pcid());
    }
}
