package io.ctxprobe.linux;

/**
 * libctxprobe.so cannot be used here: wrong platform, not packaged, no usable extraction directory,
 * refused by the dynamic loader, or built for another ABI version. The message is one line that
 * names what to change.
 */
public final class NativeLibraryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NativeLibraryException(String message) {
        super(message);
    }

    public NativeLibraryException(String message, Throwable cause) {
        super(message, cause);
    }
}
