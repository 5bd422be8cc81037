package io.ctxprobe.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * The one errno path for every libc binding: handles are declared here with
 * {@code captureCallState("errno")}, a per-thread capture segment receives errno right after the
 * call (before the JVM can clobber it), and {@link #check} turns the failing return into a
 * {@link LinuxException}. Nothing else in the package reads errno.
 */
final class Libc {
    private Libc() {}

    static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();

    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    /** Per-thread scratch: the errno capture slot plus room for small out-structs (timespec...). */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    static final class Scratch {
        final MemorySegment errno;
        final MemorySegment buf;

        private Scratch() {
            // An automatic arena: freed with the thread-local, so short-lived threads leak nothing.
            Arena arena = Arena.ofAuto();
            errno = arena.allocate(CAPTURE);
            buf = arena.allocate(256, 16);
        }
    }

    /** The calling thread's errno capture segment, passed as the first argument of errno handles. */
    static MemorySegment errnoSlot() {
        return SCRATCH.get().errno;
    }

    /** The calling thread's 256-byte scratch buffer, for out-parameters read right after the call. */
    static MemorySegment scratch() {
        return SCRATCH.get().buf;
    }

    /** A libc function that sets errno: its handle takes the capture segment first. */
    static Downcall errno(String symbol, FunctionDescriptor fd) {
        return new Downcall(() -> LIBC, symbol, fd, Linker.Option.captureCallState("errno"));
    }

    /** A variadic libc function that sets errno; {@code firstVariadic} is the index of "...". */
    static Downcall errnoVariadic(String symbol, FunctionDescriptor fd, int firstVariadic) {
        return new Downcall(() -> LIBC, symbol, fd, Linker.Option.captureCallState("errno"),
                Linker.Option.firstVariadicArg(firstVariadic));
    }

    /** A libc function that reports errors by return value (pthread) or cannot fail. */
    static Downcall plain(String symbol, FunctionDescriptor fd, Linker.Option... options) {
        return new Downcall(() -> LIBC, symbol, fd, options);
    }

    /** Throws {@link LinuxException} with the captured errno when {@code rc == -1}; else returns rc. */
    static long check(String call, long rc, MemorySegment errnoSlot) {
        if (rc == -1) {
            throw new LinuxException(call, (int) ERRNO.get(errnoSlot, 0L));
        }
        return rc;
    }

    static int check(String call, int rc, MemorySegment errnoSlot) {
        return (int) check(call, (long) rc, errnoSlot);
    }

    /** The captured errno of the last call on this slot, for calls whose failure is not -1. */
    static int errnoOf(MemorySegment errnoSlot) {
        return (int) ERRNO.get(errnoSlot, 0L);
    }

    /** For functions returning the error number (pthread_*): 0 is success, anything else throws. */
    static void checkErrorNumber(String call, int err) {
        if (err != 0) {
            throw new LinuxException(call, err);
        }
    }

    /** invokeExact declares Throwable; a downcall only throws unchecked ones, rethrown as they are. */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("unexpected checked exception from a downcall", t);
    }

    /** Names of handles that are missing from this libc, for diagnostics. */
    static List<String> missing(Downcall... calls) {
        List<String> out = new ArrayList<>();
        for (Downcall d : calls) {
            if (!d.available()) {
                out.add(d.symbol());
            }
        }
        return out;
    }
}
