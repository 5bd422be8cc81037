package io.ctxprobe.report;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * What produced a report: the tool's version and git commit, when it started, the command line as
 * typed, the JVM that ran it with its flags, the binding the probes' Java side used, and whether this
 * was the quick suite. {@code gitCommit} is null when the build carried none. {@code aborted} says
 * why a run ended before its last probe without being interrupted (the runner could not go on); it
 * is absent for a run that was not aborted.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunInfo(String toolVersion, String gitCommit, String startTime, List<String> commandLine,
                      Jvm jvm, String binding, boolean quick, boolean interrupted, String aborted) {

    public RunInfo {
        commandLine = List.copyOf(commandLine);
    }

    /** A run that was not aborted. */
    public RunInfo(String toolVersion, String gitCommit, String startTime, List<String> commandLine, Jvm jvm, String binding,
                   boolean quick, boolean interrupted) {
        this(toolVersion, gitCommit, startTime, commandLine, jvm, binding, quick, interrupted, null);
    }

    public record Jvm(String name, String vendor, String version, List<String> flags) {
        public Jvm {
            flags = List.copyOf(flags);
        }
    }

    public RunInfo withInterrupted(boolean value) {
        return new RunInfo(toolVersion, gitCommit, startTime, commandLine, jvm, binding, quick, value, aborted);
    }

    /** Marks the run aborted with the reason (null: not aborted). */
    public RunInfo withAborted(String reason) {
        return new RunInfo(toolVersion, gitCommit, startTime, commandLine, jvm, binding, quick, interrupted, reason);
    }
}
