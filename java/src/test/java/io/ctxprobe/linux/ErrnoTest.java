package io.ctxprobe.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ErrnoTest {

    @Test
    void affinityBeyondThePossibleCpusIsEinval() throws Exception {
        LinuxException e = TestThreads.onFreshThread(() -> assertThrows(LinuxException.class,
                () -> Sched.setAffinity(0, CpuSet.of(100_000))));
        assertEquals("sched_setaffinity", e.call());
        assertEquals(Errno.EINVAL, e.errno());
        assertEquals("EINVAL", e.errnoName());
        assertEquals("sched_setaffinity: Invalid argument (EINVAL)", e.getMessage());
    }

    @Test
    void closeOfABadFdIsEbadf() {
        LinuxException e = assertThrows(LinuxException.class, () -> Unistd.close(-1));
        assertEquals("close", e.call());
        assertEquals("EBADF", e.errnoName());
        assertEquals("close: Bad file descriptor (EBADF)", e.getMessage());
    }

    @Test
    void namesAndMessages() {
        assertEquals("EPERM", Errno.name(1));
        assertEquals("EAGAIN", Errno.name(11));
        assertEquals("EOPNOTSUPP", Errno.name(95));
        assertEquals("ETIMEDOUT", Errno.name(Errno.ETIMEDOUT));
        assertEquals("ECANCELED", Errno.name(Errno.ECANCELED));
        assertEquals("E41", Errno.name(41));
        assertEquals("E9999", Errno.name(9999));
        assertEquals("E0", Errno.name(0));
        assertEquals("No such file or directory", Errno.message(Errno.ENOENT));
        assertEquals("Unknown error 9999", Errno.message(9999));
    }

    @Test
    void pthreadErrorNumbersBecomeLinuxExceptions() {
        // pthread_join on an invalid id would be undefined behaviour; check the mapping itself.
        LinuxException e = assertThrows(LinuxException.class, () -> Libc.checkErrorNumber("pthread_create", 11));
        assertEquals("pthread_create: Resource temporarily unavailable (EAGAIN)", e.getMessage());
    }
}
