package io.ctxprobe.host;

import java.util.List;

/** The "perf" section: perf_event_paranoid, what perf_event_open says, the registered PMUs, the boot log. */
final class PerfFacts {
    private PerfFacts() {
    }

    static final String HARDWARE = "hardware events";
    static final String HARDWARE_PMU = "hardware PMU";
    /** One fact per event: "event cycles", "event sched:sched_switch". */
    static final String EVENT_PREFIX = "event ";
    /** sysfs names of core PMUs: "cpu" (Intel, AMD), "cpu_core"/"cpu_atom" (Intel hybrid). */
    static final List<String> CORE_PMUS = List.of("cpu", "cpu_core", "cpu_atom");

    static FactSection collect(HostFiles files, NativeFacts nativeFacts, ExternalSources ext) {
        SectionBuilder s = new SectionBuilder("perf");
        s.add(files.read(HostPaths.PERF_EVENT_PARANOID).integerFact("perf_event_paranoid", "level"));

        NativeFacts.PerfProbe probe = null;
        String why = null;
        try {
            probe = nativeFacts.perf();
        } catch (RuntimeException e) {
            why = e.getMessage() == null ? e.toString() : e.getMessage();
        }
        if (probe == null) {
            why = why == null ? "no answer" : why;
            s.unavailable(HARDWARE, "perf_event_open", why);
            s.unavailable("software events", "perf_event_open", why);
        } else {
            s.add(event(HARDWARE, probe.hardwareStatus(), probe.hardwareErrno(), probe.hardwareText()));
            s.add(status("hardware open status", probe.hardwareStatus(), probe.hardwareErrno()));
            s.add(event("software events", probe.softwareStatus(), probe.softwareErrno(), probe.softwareText()));
            s.add(status("software open status", probe.softwareStatus(), probe.softwareErrno()));
        }

        List<NativeFacts.EventAvailability> events = List.of();
        try {
            events = nativeFacts.events();
        } catch (RuntimeException e) {
            s.unavailable("events", "perf_event_open", e.getMessage() == null ? e.toString() : e.getMessage());
        }
        for (NativeFacts.EventAvailability e : events) {
            s.add(Fact.of(EVENT_PREFIX + e.name(), e.text(), "perf_event_open", null));
        }

        List<String> pmus = files.list(HostPaths.EVENT_SOURCES);
        String src = HostFiles.source(HostPaths.EVENT_SOURCES);
        if (pmus.isEmpty()) {
            s.unavailable("PMUs (sysfs)", src, "no " + HostPaths.EVENT_SOURCES);
        } else {
            s.add("PMUs (sysfs)", String.join(" ", pmus), src);
            List<String> core = pmus.stream().filter(CORE_PMUS::contains).toList();
            s.add("core PMU (sysfs)", core.isEmpty() ? "none registered" : String.join(" ", core), src);
        }

        CommandOutput dmesg = ext.dmesg();
        if (dmesg.ok()) {
            var lines = DmesgParser.matching(dmesg.lines(), "Performance Events:");
            if (!lines.isEmpty()) {
                s.add("dmesg: Performance Events", lines.getFirst(), "dmesg");
            }
        }

        Boolean pmu = hardwarePmu(probe, pmus.isEmpty() ? null : pmus);
        s.add(pmu == null ? Fact.unavailable(HARDWARE_PMU, "perf_event_open", "no perf probe and no sysfs PMU list")
                : Fact.of(HARDWARE_PMU, pmu ? "yes" : "no", probe != null && decisive(probe) ? "perf_event_open" : src));
        return s.build();
    }

    /** Pure: perf_event_open decides when it could open (OPEN) or saw no PMU (NO_PMU); else the sysfs list. */
    static Boolean hardwarePmu(NativeFacts.PerfProbe probe, List<String> pmus) {
        if (probe != null && "OPEN".equals(probe.hardwareStatus())) {
            return true;
        }
        if (probe != null && "NO_PMU".equals(probe.hardwareStatus())) {
            return false;
        }
        if (pmus == null) {
            return null;
        }
        return pmus.stream().anyMatch(CORE_PMUS::contains);
    }

    private static boolean decisive(NativeFacts.PerfProbe p) {
        return "OPEN".equals(p.hardwareStatus()) || "NO_PMU".equals(p.hardwareStatus());
    }

    private static Fact status(String name, String status, String errno) {
        return Fact.of(name, status + (errno == null || errno.isBlank() ? "" : " (" + errno + ")"), "perf_event_open");
    }

    private static Fact event(String name, String status, String errno, String text) {
        String value = text != null ? text : status + (errno == null || errno.isBlank() ? "" : " (" + errno + ")");
        return Fact.of(name, value, "perf_event_open", null);
    }
}
