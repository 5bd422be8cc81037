package io.ctxprobe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctxprobe.linux.LinuxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host's run lock: one holder at a time, the waiter told who holds it, symlinks refused. */
class RunLockTest {
    @TempDir
    Path dir;

    @Test
    void aSecondTakerWaitsSaysForWhomAndGetsItWhenTheFirstCloses() throws Exception {
        Path file = dir.resolve("ctxprobe.lock");
        List<String> said = new ArrayList<>();
        try (RunLock _ = RunLock.acquire(file, Duration.ZERO, said::add)) {
            assertEquals(List.of(), said, "a free lock is taken silently");
            assertEquals(OptionalLong.of(ProcessHandle.current().pid()), RunLock.holder(file));
            IllegalStateException timedOut = assertThrows(IllegalStateException.class,
                    () -> RunLock.acquire(file, Duration.ofMillis(300), said::add));
            assertTrue(timedOut.getMessage().contains("pid " + ProcessHandle.current().pid()), timedOut.getMessage());
            assertTrue(said.getFirst().contains("waiting for it"), said.toString());
        }
        try (RunLock again = RunLock.acquire(file, Duration.ZERO, said::add)) {
            assertEquals(file, again.path());
        }
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)),
                "any user's run can open it");
    }

    @Test
    void aSymlinkAtTheLockPathIsNotFollowed() throws Exception {
        Path target = Files.writeString(dir.resolve("precious"), "x");
        Path link = Files.createSymbolicLink(dir.resolve("ctxprobe.lock"), target);
        LinuxException e = assertThrows(LinuxException.class, () -> RunLock.acquire(link, Duration.ZERO, s -> { }));
        assertTrue(e.getMessage().contains("ELOOP"), e.getMessage());
    }

    @Test
    void theHolderIsReadFromProcLocks() {
        List<String> locks = List.of(
                "1: POSIX  ADVISORY  WRITE 77 fe:00:999 0 EOF",
                "2: FLOCK  ADVISORY  WRITE 4242 fe:00:2154526 0 EOF",
                "2: -> FLOCK  ADVISORY  WRITE 5151 fe:00:2154526 0 EOF");
        assertEquals(OptionalLong.of(4242), RunLock.holderPid(locks, 2154526));
        assertEquals(OptionalLong.empty(), RunLock.holderPid(locks, 999), "a POSIX lock is not ours");
        assertEquals(OptionalLong.empty(), RunLock.holderPid(List.of("", "garbage"), 1));
    }
}
