package io.ctxprobe.probe;

/**
 * This host cannot run a case (or a probe): the message is the reason, naming what is missing and
 * the fix where there is one. It becomes a {@code skipped} result, never a failure or a fake value.
 */
public final class ProbeUnavailableException extends RuntimeException {
    public ProbeUnavailableException(String reason) {
        super(reason);
    }
}
