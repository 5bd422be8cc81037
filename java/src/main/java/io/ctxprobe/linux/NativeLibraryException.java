package io.ctxprobe.linux;

/**
 * libctxprobe.so cannot be used here: wrong platform, not packaged, no usable extraction directory,
 * refused by the dynamic loader, or built for another ABI version. The message is one line that
 * names what to change.
 */
public final class NativeLibraryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** True when the fix is the user's (platform, directory configuration): the CLI exits 2. */
    private final boolean usage;

    public NativeLibraryException(String message) {
        this(message, false);
    }

    public NativeLibraryException(String message, boolean usage) {
        super(message);
        this.usage = usage;
    }

    public NativeLibraryException(String message, Throwable cause) {
        super(message, cause);
        this.usage = cause instanceof NativeLibraryException n && n.usage;
    }

    /** The request cannot run as given here (exit code 2), rather than an internal failure. */
    public boolean isUsage() {
        return usage;
    }
}
