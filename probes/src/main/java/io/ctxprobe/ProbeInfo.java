package io.ctxprobe;

import io.ctxprobe.probe.Probe;

import java.util.List;

/**
 * One probe as {@code ctxprobe list} shows it: its id, what it measures, the options it reads, and
 * whether this host can run it.
 *
 * @param unavailableReason null when this host can run the probe; otherwise why not, naming the fix where one exists
 */
public record ProbeInfo(String id, String description, List<Probe.ParamSpec> parameters, String unavailableReason) {

    public ProbeInfo {
        parameters = List.copyOf(parameters);
    }

    public boolean available() {
        return unavailableReason == null;
    }
}
