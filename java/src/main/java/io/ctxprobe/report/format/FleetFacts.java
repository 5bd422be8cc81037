package io.ctxprobe.report.format;

import io.ctxprobe.host.Fact;
import io.ctxprobe.host.HostFacts;
import io.ctxprobe.host.Summary;
import io.ctxprobe.report.Report;

import java.util.List;

/**
 * The host facts that explain why one host's figures differ from another's, as short text, each
 * read in one place (when the report carries these as typed sections, only this class changes):
 * kernel release, microarchitecture (else the CPU model), hypervisor, mitigations (page-table
 * isolation and PCID, and the kernel's {@code mitigations=} switch when set), hardware PMU, and the
 * number of CPUs. An unknown fact is "unknown", never guessed.
 */
public record FleetFacts(String kernel, String microarchitecture, String hypervisor, String mitigations, String pmu,
                         String cpus) {

    /** The facts in the order tables show them and explanations try them. */
    public static final List<String> NAMES = List.of("kernel", "microarchitecture", "hypervisor", "mitigations", "PMU", "CPUs");

    static final String UNKNOWN = "unknown";

    public static FleetFacts of(Report report) {
        HostFacts host = report.host();
        Summary s = host.summary();
        if (s == null) return new FleetFacts(UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN);
        return new FleetFacts(known(s.kernel()), microarchitecture(s), hypervisor(s), mitigations(host, s), pmu(s),
                s.logicalCpusAllowed() == null ? UNKNOWN : s.logicalCpusAllowed() + " CPUs");
    }

    /** The fact of that name (one of {@link #NAMES}). */
    public String get(String name) {
        return switch (name) {
            case "kernel" -> kernel;
            case "microarchitecture" -> microarchitecture;
            case "hypervisor" -> hypervisor;
            case "mitigations" -> mitigations;
            case "PMU" -> pmu;
            case "CPUs" -> cpus;
            default -> throw new IllegalArgumentException("no fleet fact named " + name);
        };
    }

    /** Every fact in {@link #NAMES} order. */
    public List<String> values() {
        return NAMES.stream().map(this::get).toList();
    }

    private static String microarchitecture(Summary s) {
        if (s.microarchitecture() != null) return s.microarchitecture() + (s.cpuModel() != null ? " (" + s.cpuModel() + ")" : "");
        return known(s.cpuModel());
    }

    private static String hypervisor(Summary s) {
        if (Boolean.FALSE.equals(s.hypervisor())) return "bare metal";
        if (Boolean.TRUE.equals(s.hypervisor())) return (s.hypervisorVendor() != null ? s.hypervisorVendor() : "unnamed hypervisor") + " guest";
        return UNKNOWN;
    }

    private static String mitigations(HostFacts host, Summary s) {
        String pti = s.ptiText();
        if (pti != null && !pti.contains("PCID") && s.pcid() != null) pti += s.pcid() ? ", PCID" : ", no PCID";
        String cmdline = host.fact("security", "cmdline mitigations").filter(Fact::available).map(Fact::value)
                .filter(v -> !v.isBlank()).orElse(null);
        if (pti == null && cmdline == null) return UNKNOWN;
        if (cmdline == null) return pti;
        return (pti == null ? "" : pti + "; ") + "mitigations=" + cmdline;
    }

    private static String pmu(Summary s) {
        if (s.hardwarePmu() == null) return UNKNOWN;
        return s.hardwarePmu() ? "hardware PMU" : "no hardware PMU";
    }

    private static String known(String v) {
        return v == null || v.isBlank() ? UNKNOWN : v;
    }
}
