package io.ctxprobe.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;

/**
 * Linux errno numbers (x86-64, the generic asm-generic table) and their names and messages.
 * Names come from a table because glibc exports no errno-to-name function before 2.32
 * ({@code strerrorname_np}) and the name is what scripts and tests match on.
 */
public final class Errno {
    private Errno() {}

    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int E2BIG = 7;
    public static final int EBADF = 9;
    public static final int ECHILD = 10;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int EBUSY = 16;
    public static final int ENODEV = 19;
    public static final int EINVAL = 22;
    public static final int ENOSYS = 38;
    public static final int EOPNOTSUPP = 95;
    public static final int ETIMEDOUT = 110;
    public static final int ECANCELED = 125;

    /** Index = errno; "" where Linux has no number (41, 58). Aliases use the canonical name. */
    private static final String[] NAMES = {
            "", "EPERM", "ENOENT", "ESRCH", "EINTR", "EIO", "ENXIO", "E2BIG",
            "ENOEXEC", "EBADF", "ECHILD", "EAGAIN", "ENOMEM", "EACCES", "EFAULT", "ENOTBLK",
            "EBUSY", "EEXIST", "EXDEV", "ENODEV", "ENOTDIR", "EISDIR", "EINVAL", "ENFILE",
            "EMFILE", "ENOTTY", "ETXTBSY", "EFBIG", "ENOSPC", "ESPIPE", "EROFS", "EMLINK",
            "EPIPE", "EDOM", "ERANGE", "EDEADLK", "ENAMETOOLONG", "ENOLCK", "ENOSYS", "ENOTEMPTY",
            "ELOOP", "", "ENOMSG", "EIDRM", "ECHRNG", "EL2NSYNC", "EL3HLT", "EL3RST",
            "ELNRNG", "EUNATCH", "ENOCSI", "EL2HLT", "EBADE", "EBADR", "EXFULL", "ENOANO",
            "EBADRQC", "EBADSLT", "", "EBFONT", "ENOSTR", "ENODATA", "ETIME", "ENOSR",
            "ENONET", "ENOPKG", "EREMOTE", "ENOLINK", "EADV", "ESRMNT", "ECOMM", "EPROTO",
            "EMULTIHOP", "EDOTDOT", "EBADMSG", "EOVERFLOW", "ENOTUNIQ", "EBADFD", "EREMCHG", "ELIBACC",
            "ELIBBAD", "ELIBSCN", "ELIBMAX", "ELIBEXEC", "EILSEQ", "ERESTART", "ESTRPIPE", "EUSERS",
            "ENOTSOCK", "EDESTADDRREQ", "EMSGSIZE", "EPROTOTYPE", "ENOPROTOOPT", "EPROTONOSUPPORT", "ESOCKTNOSUPPORT", "EOPNOTSUPP",
            "EPFNOSUPPORT", "EAFNOSUPPORT", "EADDRINUSE", "EADDRNOTAVAIL", "ENETDOWN", "ENETUNREACH", "ENETRESET", "ECONNABORTED",
            "ECONNRESET", "ENOBUFS", "EISCONN", "ENOTCONN", "ESHUTDOWN", "ETOOMANYREFS", "ETIMEDOUT", "ECONNREFUSED",
            "EHOSTDOWN", "EHOSTUNREACH", "EALREADY", "EINPROGRESS", "ESTALE", "EUCLEAN", "ENOTNAM", "ENAVAIL",
            "EISNAM", "EREMOTEIO", "EDQUOT", "ENOMEDIUM", "EMEDIUMTYPE", "ECANCELED", "ENOKEY", "EKEYEXPIRED",
            "EKEYREVOKED", "EKEYREJECTED", "EOWNERDEAD", "ENOTRECOVERABLE", "ERFKILL", "EHWPOISON",
    };

    /** The symbolic name, e.g. {@code "EINVAL"}; {@code "E<n>"} for a number not in the table. */
    public static String name(int errno) {
        if (errno > 0 && errno < NAMES.length && !NAMES[errno].isEmpty()) {
            return NAMES[errno];
        }
        return "E" + errno;
    }

    /*
     * const char *strerrordesc_np(int errnum);   (glibc 2.32+: English, locale independent)
     * char *strerror(int errnum);                (fallback: locale dependent, but always there)
     */
    private static final Downcall STRERRORDESC_NP =
            Libc.plain("strerrordesc_np", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    private static final Downcall STRERROR =
            Libc.plain("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));

    /** strerror's text, e.g. {@code "Invalid argument"}; {@code "Unknown error <n>"} if none. */
    public static String message(int errno) {
        try {
            Downcall d = STRERRORDESC_NP.available() ? STRERRORDESC_NP : STRERROR;
            MemorySegment s = (MemorySegment) d.handle().invokeExact(errno);
            if (s.equals(MemorySegment.NULL)) {
                return "Unknown error " + errno;
            }
            return s.reinterpret(1024).getString(0);
        } catch (Throwable t) {
            // An exception message must never fail to build: fall back to the name.
            return "Unknown error " + errno + " (" + t + ")";
        }
    }
}
