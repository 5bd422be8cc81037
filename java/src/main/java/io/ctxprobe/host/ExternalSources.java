package io.ctxprobe.host;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The sources a file root cannot redirect: commands (getconf, dmesg) and OSHI, which read the live
 * host. Tests hand in saved command output and no OSHI.
 */
public interface ExternalSources {

    /** {@code getconf -a}. */
    CommandOutput getconf();

    /** {@code dmesg} (often root-only: then the failure is the reason). */
    CommandOutput dmesg();

    OshiSnapshot oshi();

    Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);

    /** The live host: runs the commands (with a deadline) and OSHI, each at most once. */
    static ExternalSources live() {
        return new ExternalSources() {
            private CommandOutput getconf;
            private CommandOutput dmesg;
            private OshiSnapshot oshi;

            @Override
            public synchronized CommandOutput getconf() {
                if (getconf == null) {
                    getconf = CommandOutput.runSystem(COMMAND_TIMEOUT, "getconf", "-a");
                }
                return getconf;
            }

            @Override
            public synchronized CommandOutput dmesg() {
                if (dmesg == null) {
                    dmesg = CommandOutput.runSystem(COMMAND_TIMEOUT, "dmesg");
                }
                return dmesg;
            }

            @Override
            public synchronized OshiSnapshot oshi() {
                if (oshi == null) {
                    oshi = OshiSnapshot.live();
                }
                return oshi;
            }
        };
    }

    /** Nothing external: every such fact says why. */
    static ExternalSources none(String reason) {
        return of(CommandOutput.failed(reason), CommandOutput.failed(reason), OshiSnapshot.unavailable(reason));
    }

    /** Saved outputs (fixtures): {@code getconf -a} and {@code dmesg} text files, no OSHI. */
    static ExternalSources savedOutputs(Path getconfFile, Path dmesgFile, String oshiReason) {
        return of(CommandOutput.fromFile(getconfFile), CommandOutput.fromFile(dmesgFile),
                OshiSnapshot.unavailable(oshiReason));
    }

    private static ExternalSources of(CommandOutput getconf, CommandOutput dmesg, OshiSnapshot oshi) {
        return new ExternalSources() {
            @Override
            public CommandOutput getconf() {
                return getconf;
            }

            @Override
            public CommandOutput dmesg() {
                return dmesg;
            }

            @Override
            public OshiSnapshot oshi() {
                return oshi;
            }
        };
    }
}
