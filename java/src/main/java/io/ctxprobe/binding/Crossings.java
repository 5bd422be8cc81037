package io.ctxprobe.binding;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import com.sun.jna.Library;
import com.sun.jna.Native;
import io.ctxprobe.linux.Unistd;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.function.IntSupplier;

/**
 * One system call (getppid, which libc never caches) through each way Java can reach C, so that
 * syscall.null can tell the binding's share from the kernel's: FFM plain, FFM capturing errno (the
 * option every fallible libc binding uses), FFM {@code critical} (no thread-state transition, for
 * calls that neither block nor call back), JNA direct mapping and JNA interface mapping. Each handle
 * sits in a static final field so the JIT can fold it, as a real binding's would.
 */
public final class Crossings {
    private Crossings() {}

    /** The ways to cross, in the order syscall.null reports them. */
    public enum Way {
        FFM_PLAIN("ffm-downcall", "Java, one FFM downcall per call"),
        FFM_ERRNO("ffm-errno", "Java, one FFM downcall per call with captureCallState(\"errno\")"),
        FFM_CRITICAL("ffm-critical", "Java, one FFM downcall per call with Linker.Option.critical"),
        JNA_DIRECT("jna-call", "Java, one JNA direct-mapped call per call"),
        JNA_INTERFACE("jna-interface", "Java, one JNA interface-mapped call per call");

        private final String caseId;
        private final String description;

        Way(String caseId, String description) {
            this.caseId = caseId;
            this.description = description;
        }

        /** The stable case id in syscall.null. */
        public String caseId() {
            return caseId;
        }

        public String description() {
            return description;
        }
    }

    /* pid_t getppid(void); */
    private static final FunctionDescriptor GETPPID = FunctionDescriptor.of(JAVA_INT);

    private static final class FfmErrno {
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(
                Linker.nativeLinker().defaultLookup().find("getppid").orElseThrow(), GETPPID,
                Linker.Option.captureCallState("errno"));
        static final MemorySegment STATE = Arena.global().allocate(Linker.Option.captureStateLayout());
    }

    private static final class FfmCritical {
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(
                Linker.nativeLinker().defaultLookup().find("getppid").orElseThrow(), GETPPID,
                Linker.Option.critical(false));
    }

    /** JNA interface mapping: a proxy dispatching through reflection-like invocation per call. */
    public interface JnaLibc extends Library {
        int getppid();
    }

    private static final class JnaInterface {
        static final JnaLibc LIBC = Native.load("c", JnaLibc.class);
    }

    /** getppid through {@code way}. The errno state is one global slot: call it from one thread at a time. */
    public static IntSupplier getppid(Way way) {
        return switch (way) {
            case FFM_PLAIN -> Unistd::getppid;
            case FFM_ERRNO -> Crossings::getppidErrno;
            case FFM_CRITICAL -> Crossings::getppidCritical;
            case JNA_DIRECT -> Binding.jna()::getppid;
            case JNA_INTERFACE -> JnaInterface.LIBC::getppid;
        };
    }

    private static int getppidErrno() {
        try {
            return (int) FfmErrno.HANDLE.invokeExact(FfmErrno.STATE);
        } catch (Throwable t) {
            throw new IllegalStateException("getppid through FFM: " + t, t);
        }
    }

    private static int getppidCritical() {
        try {
            return (int) FfmCritical.HANDLE.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException("getppid through FFM (critical): " + t, t);
        }
    }
}
