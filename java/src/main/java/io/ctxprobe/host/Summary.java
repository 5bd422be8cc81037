package io.ctxprobe.host;

/**
 * The headline facts probes use to explain their numbers. Each component is null when unknown.
 *
 * @param ptiText "PTI on, no PCID", "PTI on, PCID", "PTI off", or null when unknown
 * @param pmuText what perf_event_open said about hardware counters, verbatim
 */
public record Summary(String cpuModel, String microarchitecture, Integer logicalCpusAllowed, Boolean hypervisor,
        String hypervisorVendor, Boolean hardwarePmu, String pmuText, Boolean ptiOn, Boolean pcid, String ptiText,
        String kernel, String preemptModel) {
}
