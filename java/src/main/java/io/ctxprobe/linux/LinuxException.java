package io.ctxprobe.linux;

/**
 * A failed Linux or glibc call: which call, the errno it left, and both in the message
 * {@code "<call>: <strerror> (<ENAME>)"}, e.g. {@code sched_setaffinity: Invalid argument (EINVAL)}.
 * The number is kept so callers decide on it (EAGAIN vs EPERM) without parsing text.
 */
public final class LinuxException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String call;
    private final int errno;

    public LinuxException(String call, int errno) {
        super(call + ": " + Errno.message(errno) + " (" + Errno.name(errno) + ")");
        this.call = call;
        this.errno = errno;
    }

    /** The C function (or system call) that failed, e.g. {@code "sched_setaffinity"}. */
    public String call() {
        return call;
    }

    public int errno() {
        return errno;
    }

    /** The symbolic name, e.g. {@code "EINVAL"}; {@code "E<n>"} for a number without one. */
    public String errnoName() {
        return Errno.name(errno);
    }
}
