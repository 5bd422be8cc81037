package io.ctxprobe.cli;

/** The CLI's exit codes (docs/ARCHITECTURE.md "Conventions"). */
final class ExitCodes {
    static final int OK = 0;
    static final int INTERNAL = 1;
    static final int USAGE = 2;
    static final int REGRESSION = 3;
    /** 128 + SIGINT, as shells report a run ended by Ctrl-C. */
    static final int INTERRUPTED = 130;

    private ExitCodes() {}
}
