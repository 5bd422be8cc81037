package io.ctxprobe.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;

/** sys/wait.h: waitpid and the W* status decoders (glibc's macros, written out). */
public final class Wait {
    private Wait() {}

    public static final int WNOHANG = 1;
    public static final int WUNTRACED = 2;
    /** Also wait for clone children that do not signal SIGCHLD on exit. */
    public static final int WALL = 0x40000000;
    public static final int WCLONE = 0x80000000;

    /* pid_t waitpid(pid_t pid, int *wstatus, int options); */
    private static final Downcall WAITPID = Libc.errno("waitpid",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));

    /** What waitpid returned: the child's pid (0 with WNOHANG and nothing ready) and raw status. */
    public record Status(int pid, int raw) {
        public boolean exited() {
            return Wait.exited(raw);
        }

        public int exitStatus() {
            return Wait.exitStatus(raw);
        }

        public boolean signaled() {
            return Wait.signaled(raw);
        }

        public int termSig() {
            return Wait.termSig(raw);
        }

        @Override
        public String toString() {
            if (pid == 0) {
                return "no child ready";
            }
            if (exited()) {
                return "pid " + pid + " exited " + exitStatus();
            }
            if (signaled()) {
                return "pid " + pid + " killed by signal " + termSig();
            }
            return "pid " + pid + " status 0x" + Integer.toHexString(raw);
        }
    }

    public static Status waitpid(int pid, int options) {
        MemorySegment status = Libc.scratch();
        status.set(JAVA_INT, 0, 0);
        try {
            MemorySegment errno = Libc.errnoSlot();
            int rc = (int) WAITPID.handle().invokeExact(errno, pid, status, options);
            Libc.check("waitpid", rc, errno);
            return new Status(rc, status.get(JAVA_INT, 0));
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** WIFEXITED */
    public static boolean exited(int raw) {
        return (raw & 0x7f) == 0;
    }

    /** WEXITSTATUS */
    public static int exitStatus(int raw) {
        return (raw >> 8) & 0xff;
    }

    /** WIFSIGNALED */
    public static boolean signaled(int raw) {
        return ((byte) ((raw & 0x7f) + 1) >> 1) > 0;
    }

    /** WTERMSIG */
    public static int termSig(int raw) {
        return raw & 0x7f;
    }

    /** WIFSTOPPED */
    public static boolean stopped(int raw) {
        return (raw & 0xff) == 0x7f;
    }
}
