package io.ctxprobe.cli;

/** A request that cannot be run as given: printed as one line, exit code 2, nothing written. */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
