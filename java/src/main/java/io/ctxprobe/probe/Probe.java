package io.ctxprobe.probe;

import io.ctxprobe.report.CaseResult;

import java.util.List;

/**
 * One measurement, one class. A probe has a dotted id {@code unit.action} ("thread.switch"), says
 * up front whether this host can run it, and returns one result per case it measured (or skipped).
 * Adding a probe touches its own class, optionally one C file and the header, and the registry line.
 */
public interface Probe {

    /** Stable dotted id, e.g. "fiber.switch"; never reused for another meaning. */
    String id();

    /** One line: what is measured and how. */
    String description();

    /** The parameters this probe reads from the run options, for {@code ctxprobe list}. */
    List<ParamSpec> parameters();

    /** Null when the host can run the probe at all; otherwise why not, naming the fix where one exists. */
    default String unavailableReason(ProbeContext ctx) {
        return null;
    }

    /**
     * Measures every case this run asks for. A case the host cannot run comes back {@code skipped}
     * with a reason; an error in one case comes back {@code failed} without stopping the others.
     * Everything the probe created (threads, processes, fds, mappings) is gone when this returns.
     */
    List<CaseResult> run(ProbeContext ctx) throws InterruptedException;

    /** A parameter a probe understands, as {@code ctxprobe list} shows it. */
    record ParamSpec(String name, String description) {}
}
