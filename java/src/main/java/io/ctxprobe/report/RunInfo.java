package io.ctxprobe.report;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * What produced a report: the tool's version and git commit, when it started, the command line as
 * typed, the JVM that ran it with its flags, the binding the probes' Java side used, and whether this
 * was the quick suite. {@code gitCommit} is null when the build carried none.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunInfo(String toolVersion, String gitCommit, String startTime, List<String> commandLine,
                      Jvm jvm, String binding, boolean quick, boolean interrupted) {

    public RunInfo {
        commandLine = List.copyOf(commandLine);
    }

    public record Jvm(String name, String vendor, String version, List<String> flags) {
        public Jvm {
            flags = List.copyOf(flags);
        }
    }

    public RunInfo withInterrupted(boolean value) {
        return new RunInfo(toolVersion, gitCommit, startTime, commandLine, jvm, binding, quick, value);
    }
}
