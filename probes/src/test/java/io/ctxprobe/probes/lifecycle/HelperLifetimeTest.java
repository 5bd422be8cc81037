package io.ctxprobe.probes.lifecycle;

import io.ctxprobe.linux.NativeCreate;
import io.ctxprobe.linux.NativeLibrary;
import io.ctxprobe.probe.Cleanup;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ctxprobe-helper never outlives the JVM that started it: it dies within a second of a SIGKILLed
 * parent JVM (PR_SET_PDEATHSIG), and it stops on its own once its deadline passes.
 */
class HelperLifetimeTest {

    private static final long DEATH_LIMIT_MS = 1_000;

    @Test
    void theHelperDiesWithItsKilledJvm() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED"));
        String dir = System.getProperty(NativeLibrary.DIR_PROPERTY);
        if (dir != null) cmd.add("-D" + NativeLibrary.DIR_PROPERTY + "=" + dir);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), HelperParentMain.class.getName()));
        Process jvm = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        long helper = -1;
        try {
            helper = helperOf(jvm);
            String startTime = startTime(helper).orElseThrow();
            long killedAt = System.nanoTime();
            jvm.destroyForcibly();   // SIGKILL: no shutdown hook, no Cleanup; only the kernel can end the helper
            while (alive(helper, startTime) && System.nanoTime() - killedAt < TimeUnit.SECONDS.toNanos(10)) {
                Thread.sleep(1);
            }
            long ms = (System.nanoTime() - killedAt) / 1_000_000;
            System.out.println("ctxprobe-helper " + helper + " gone " + ms + " ms after its JVM was SIGKILLed");
            assertTrue(!alive(helper, startTime), "the helper outlived its JVM by 10 s");
            assertTrue(ms < DEATH_LIMIT_MS, "the helper died " + ms + " ms after its JVM");
        } finally {
            jvm.destroyForcibly();
            jvm.waitFor(10, TimeUnit.SECONDS);
            if (helper > 0) ProcessHandle.of(helper).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void theHelperStopsOnItsOwnOnceItsDeadlinePassed() {
        int batches = 100_000;
        long started = System.nanoTime();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ProcessCreateProbe.runHelper(new Cleanup(),
                NativeLibrary.helperPath(), NativeCreate.ProcessKind.FORK.code(), 0, 0, batches, 100, new long[batches],
                new long[batches], 300));
        long ms = (System.nanoTime() - started) / 1_000_000;
        assertTrue(e.getMessage().contains("exited 3") && e.getMessage().contains("stopped: its deadline passed after"),
                e.getMessage());
        assertTrue(ms < 30_000, "stopped after " + ms + " ms");
    }

    /** The child of {@code jvm} named ctxprobe-helper, once it has run a while (in its batches). */
    private static long helperOf(Process jvm) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && jvm.isAlive()) {
            Optional<ProcessHandle> h = jvm.toHandle().children().filter(c -> comm(c.pid()).equals("ctxprobe-helper")).findFirst();
            if (h.isPresent()) {
                Thread.sleep(300);
                return h.get().pid();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the child JVM started no ctxprobe-helper (alive: " + jvm.isAlive() + ")");
    }

    private static String comm(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "comm")).strip();
        } catch (IOException e) {
            return "";
        }
    }

    /** /proc/PID/stat's start time (field 22): the same pid with another start time is another process. */
    private static Optional<String> startTime(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return Optional.of(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19]);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Running: present, the same process, and not a zombie (a reparented corpse may wait for its reaper). */
    private static boolean alive(long pid, String startTime) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return !f[0].equals("Z") && !f[0].equals("X") && f[19].equals(startTime);
        } catch (IOException e) {
            return false;
        }
    }
}
