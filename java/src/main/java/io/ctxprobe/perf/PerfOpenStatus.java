package io.ctxprobe.perf;

/**
 * How perf_event_open answered for one event: the one status that the availability listing
 * ({@link PerfAvailability}, {@code ctxprobe host}) and the counter group ({@link PerfCounterGroup})
 * both use, decided by {@link PerfOpenLadder}. Not a case outcome: a case's status is
 * {@code io.ctxprobe.report.Status} (ok, flagged, skipped, failed).
 */
public enum PerfOpenStatus {
    /** The event opened (possibly user space only, or alone: see the ladder's note). */
    OPEN,
    /** A hardware event and no PMU to count it (ENOENT, EOPNOTSUPP, ENODEV): typical of a VM. */
    NO_PMU,
    /** EACCES or EPERM: perf_event_paranoid, a missing capability, or a seccomp filter. */
    NOT_PERMITTED,
    /** The event does not exist here (a tracepoint tracefs does not list); never tried. */
    NOT_FOUND,
    /** The kernel lacks the event or perf_event_open itself (ENOSYS). */
    UNSUPPORTED,
    /** Any other errno, named in the reason. */
    ERROR
}
