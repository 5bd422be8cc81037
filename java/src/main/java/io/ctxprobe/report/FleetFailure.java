package io.ctxprobe.report;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A host of a fleet run that gave no report: unreachable, or its run failed or passed its deadline.
 * The Ansible playbook (fleet/ansible) writes one per such host beside the reports, so the fleet
 * view lists it instead of leaving it out. {@code host} is the name the fleet knows it by (the
 * inventory name), {@code address} where it was reached or not, {@code stage} one of
 * {@code unreachable}, {@code run}, {@code deadline}, {@code fetch}, and {@code reason} the
 * message, verbatim. {@code time} (ISO-8601) is absent when not known.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FleetFailure(String schema, String host, String address, String stage, String reason, String time) {

    public static final String SCHEMA = "ctxprobe-fleet-failure/1";

    public FleetFailure {
        if (host == null || host.isBlank()) throw new IllegalArgumentException("a fleet failure names its host");
        if (stage == null || stage.isBlank()) stage = "unknown";
        if (reason == null || reason.isBlank()) reason = "no reason given";
    }

    public static FleetFailure of(String host, String address, String stage, String reason) {
        return new FleetFailure(SCHEMA, host, address, stage, reason, null);
    }
}
