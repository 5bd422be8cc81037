package io.ctxprobe.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;

/**
 * The binding of native/include/ctxprobe/create.h: process.create, thread.create, fiber.create.
 * Each run function takes only its own kinds (one enum per function).
 */
public final class NativeCreate {
    private NativeCreate() {}

    /** How process.create creates a child (the exec kinds exec the tiny program). */
    public enum ProcessKind implements NativeCode {
        @CDefine("CTXPROBE_CREATE_FORK") FORK(1, false),
        @CDefine("CTXPROBE_CREATE_VFORK") VFORK(2, false),
        @CDefine("CTXPROBE_CREATE_CLONE") CLONE(3, false),
        @CDefine("CTXPROBE_CREATE_POSIX_SPAWN") POSIX_SPAWN(4, true),
        @CDefine("CTXPROBE_CREATE_FORK_EXEC") FORK_EXEC(5, true),
        @CDefine("CTXPROBE_CREATE_VFORK_EXEC") VFORK_EXEC(6, true);

        private final int code;
        private final boolean execs;

        ProcessKind(int code, boolean execs) {
            this.code = code;
            this.execs = execs;
        }

        @Override
        public int code() {
            return code;
        }

        /** Whether the child execs a program (exec_path is needed). */
        public boolean execs() {
            return execs;
        }
    }

    /** How thread.create creates a kernel thread. */
    public enum ThreadKind implements NativeCode {
        @CDefine("CTXPROBE_CREATE_PTHREAD") PTHREAD(11),
        @CDefine("CTXPROBE_CREATE_CLONE_THREAD") CLONE_THREAD(12);

        private final int code;

        ThreadKind(int code) {
            this.code = code;
        }

        @Override
        public int code() {
            return code;
        }
    }

    /** How fiber.create gets a fiber's stack. */
    public enum FiberKind implements NativeCode {
        @CDefine("CTXPROBE_CREATE_FIBER_FRESH") FRESH(21),
        @CDefine("CTXPROBE_CREATE_FIBER_POOLED") POOLED(22);

        private final int code;

        FiberKind(int code) {
            this.code = code;
        }

        @Override
        public int code() {
            return code;
        }
    }

    /* int32_t ctxprobe_process_create_run(int32_t kind, const char *exec_path, int64_t warmup,
     *                                     int64_t batches, int64_t ops, int64_t *wall_ns, int64_t *cpu_ns); */
    private static final Downcall PROCESS_RUN = NativeCore.fn("ctxprobe_process_create_run",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS));

    /* int32_t ctxprobe_thread_create_run(int32_t kind, int64_t warmup, int64_t batches, int64_t ops,
     *                                    int64_t *wall_ns, int64_t *cpu_ns); */
    private static final Downcall THREAD_RUN = NativeCore.fn("ctxprobe_thread_create_run",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS));

    /* int32_t ctxprobe_fiber_create_run(int32_t kind, int64_t warmup, int64_t batches, int64_t ops,
     *                                   int64_t *wall_ns, int64_t *cpu_ns); */
    private static final Downcall FIBER_RUN = NativeCore.fn("ctxprobe_fiber_create_run",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS));

    /**
     * Creates and reaps child processes in C, from the calling thread; the exec kinds exec
     * {@code execPath} with the argument "exit" (the helper), others ignore it (may be null).
     * Returns 0 or a negative errno (-EPROTO: a child failed).
     */
    public static int processRun(ProcessKind kind, String execPath, long warmup, long batches, long ops,
                                 MemorySegment wall, MemorySegment cpu) {
        NativeCore.checkSamples(batches, wall, cpu);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment path = execPath == null ? MemorySegment.NULL : arena.allocateFrom(execPath);
            return (int) PROCESS_RUN.handle().invokeExact(kind.code(), path, warmup, batches, ops, wall, cpu);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** Creates and joins kernel threads. 0 or a negative errno. */
    public static int threadRun(ThreadKind kind, long warmup, long batches, long ops, MemorySegment wall,
                                MemorySegment cpu) {
        NativeCore.checkSamples(batches, wall, cpu);
        try {
            return (int) THREAD_RUN.handle().invokeExact(kind.code(), warmup, batches, ops, wall, cpu);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** Creates, runs once and tears down fibers. 0 or a negative errno. */
    public static int fiberRun(FiberKind kind, long warmup, long batches, long ops, MemorySegment wall,
                               MemorySegment cpu) {
        NativeCore.checkSamples(batches, wall, cpu);
        try {
            return (int) FIBER_RUN.handle().invokeExact(kind.code(), warmup, batches, ops, wall, cpu);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }
}
