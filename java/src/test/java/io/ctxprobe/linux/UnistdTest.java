package io.ctxprobe.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The small bindings: ids, fds, syscall, clocks, rusage, mmap, futex, eventfd, prctl, wait. */
class UnistdTest {

    @Test
    void ids() throws Throwable {
        int pid = Unistd.getpid();
        assertEquals(ProcessHandle.current().pid(), pid);
        assertEquals(ProcessHandle.current().parent().orElseThrow().pid(), Unistd.getppid());
        assertEquals(Unistd.getppid(), (int) Unistd.getppidHandle().invokeExact());
        int tid = TestThreads.onFreshThread(Unistd::gettid);
        assertNotEquals(pid, tid);
        assertTrue(Files.isDirectory(Path.of("/proc/self/task/" + Unistd.gettid())));
        assertEquals(Unistd.gettid(), (int) Unistd.syscall(Unistd.SYS_GETTID));
    }

    @Test
    void pipeRoundTrip() {
        int[] p = Unistd.pipe2(Unistd.O_CLOEXEC);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocateFrom("ping");
            assertEquals(5, Unistd.write(p[1], out, 5));
            MemorySegment in = arena.allocate(16);
            assertEquals(5, Unistd.read(p[0], in, 16));
            assertEquals("ping", in.getString(0));
            assertThrows(IndexOutOfBoundsException.class, () -> Unistd.read(p[0], in, 17));
        } finally {
            Unistd.close(p[0]);
            Unistd.close(p[1]);
        }
    }

    @Test
    void unknownSyscallIsEnosys() {
        LinuxException e = assertThrows(LinuxException.class, () -> Unistd.syscall(100_000));
        assertEquals("ENOSYS", e.errnoName());
        assertEquals("syscall(100000)", e.call());
    }

    @Test
    void clocks() {
        long a = Time.clockGettimeNs(Time.CLOCK_MONOTONIC);
        long b = Time.clockGettimeNs(Time.CLOCK_MONOTONIC);
        assertTrue(b >= a);
        assertTrue(Time.clockGettimeNs(Time.CLOCK_THREAD_CPUTIME_ID) > 0);
        LinuxException e = assertThrows(LinuxException.class, () -> Time.clockGettimeNs(12345));
        assertEquals("clock_gettime", e.call());
        assertEquals("EINVAL", e.errnoName());
    }

    @Test
    void rusage() throws Exception {
        Resource.Rusage self = Resource.getrusage(Resource.RUSAGE_SELF);
        assertTrue(self.userNs() + self.systemNs() > 0);
        assertTrue(self.maxRssKb() > 0);
        long switches = TestThreads.onFreshThread(() -> {
            long before = Resource.getrusage(Resource.RUSAGE_THREAD).switches();
            for (int i = 0; i < 3; i++) {
                Thread.sleep(1);
            }
            return Resource.getrusage(Resource.RUSAGE_THREAD).switches() - before;
        });
        assertTrue(switches >= 3, "switches " + switches);
    }

    @Test
    void mmapProtectUnmap() {
        MemorySegment m = Mman.mmapAnonymous(8192, Mman.PROT_READ | Mman.PROT_WRITE);
        try {
            m.set(JAVA_LONG, 4096, 42L);
            assertEquals(42L, m.get(JAVA_LONG, 4096));
            Mman.mprotect(m, 4096, Mman.PROT_NONE);
        } finally {
            Mman.munmap(m);
        }
        assertThrows(LinuxException.class, () -> Mman.mmapAnonymous(0, Mman.PROT_READ));
    }

    @Test
    void futex() throws Exception {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment word = arena.allocate(JAVA_INT);
            assertEquals(-Errno.EAGAIN, Futex.wait(word, 1, -1));
            assertEquals(-Errno.ETIMEDOUT, Futex.wait(word, 0, 1_000_000));
            assertEquals(0, Futex.wake(word, 1));
        }
    }

    @Test
    void eventfd() {
        int fd = EventFd.eventfd(3, EventFd.EFD_CLOEXEC);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocate(JAVA_LONG);
            assertEquals(8, Unistd.read(fd, v, 8));
            assertEquals(3L, v.get(JAVA_LONG, 0));
        } finally {
            Unistd.close(fd);
        }
    }

    @Test
    void prctlNamesTheThread() throws Exception {
        String name = TestThreads.onFreshThread(() -> {
            Prctl.setName("ctxprobe-a-very-long-name");
            Prctl.setPdeathsig(0);
            assertEquals(0, Prctl.getPdeathsig());
            return Prctl.getName();
        });
        assertEquals("ctxprobe-a-very", name);
    }

    @Test
    void waitStatusDecoders() {
        Wait.Status exited = new Wait.Status(10, 3 << 8);
        assertTrue(exited.exited());
        assertEquals(3, exited.exitStatus());
        assertFalse(exited.signaled());
        Wait.Status killed = new Wait.Status(10, 9);
        assertTrue(killed.signaled());
        assertEquals(9, killed.termSig());
        assertFalse(killed.exited());
        assertFalse(Wait.signaled(0x137f)); // stopped by SIGSTOP
        assertTrue(Wait.stopped(0x137f));
        // This JVM has no unwaited child of its own: ECHILD or nothing ready, never a crash.
        try {
            assertEquals(0, Wait.waitpid(-1, Wait.WNOHANG).pid());
        } catch (LinuxException e) {
            assertEquals("ECHILD", e.errnoName());
        }
    }
}
