package io.ctxprobe.report;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** A case's outcome; see docs/ARCHITECTURE.md "Conventions". */
public enum Status {
    /** Measured, and the kernel's counts fit the case. */
    OK,
    /** Measured, but validation failed: the value is kept and the reason given. */
    FLAGGED,
    /** The host cannot run it: the reason names what is missing and, where there is one, the fix. */
    SKIPPED,
    /** An error, with its message. */
    FAILED;

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
