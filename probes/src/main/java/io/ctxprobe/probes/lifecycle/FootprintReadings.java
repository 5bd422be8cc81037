package io.ctxprobe.probes.lifecycle;

import io.ctxprobe.host.HostFiles;
import io.ctxprobe.host.HostPaths;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * What the footprint probe reads and how one batch holds it: this process's VmRSS and the system's
 * KernelStack / PageTables through {@link HostFiles} (pure parsers underneath), each child's
 * smaps_rollup and status live, and this process's threads by name.
 */
final class FootprintReadings {

    static final String SRC_STATUS = "procfs:/proc/self/status";
    static final String SRC_MEMINFO = "procfs:/proc/meminfo (system-wide)";
    static final String SRC_ROLLUP = "procfs:/proc/<pid>/smaps_rollup";
    static final String SRC_CHILD_STATUS = "procfs:/proc/<pid>/status";

    private FootprintReadings() {}

    /** One batch's figures: the primary value in bytes, counters in KiB, validation failures. */
    static final class Batch {
        long primaryBytes;
        final Map<String, Long> kib = new LinkedHashMap<>();
        final Map<String, String> source = new LinkedHashMap<>();
        final Map<String, String> task = new LinkedHashMap<>();
        final List<String> flags = new ArrayList<>();

        void put(String event, String taskName, long valueKib, String src) {
            kib.put(event, valueKib);
            task.put(event, taskName);
            source.put(event, src);
        }
    }

    /** This process's VmRSS / RssAnon and the system's KernelStack / PageTables, in KiB. */
    record Snapshot(long vmRss, Long rssAnon, long kernelStack, long pageTables) {
        static Snapshot take(HostFiles files) {
            return of(ProcKeyValues.of(files.read(HostPaths.SELF_STATUS)), ProcKeyValues.of(files.read(HostPaths.MEMINFO)));
        }

        /** Pure: from parsed status and meminfo; a missing line is an error naming it (RssAnon may be absent). */
        static Snapshot of(ProcKeyValues status, ProcKeyValues meminfo) {
            return new Snapshot(status.kib("VmRSS"), status.kibOrNull("RssAnon"), meminfo.kib("KernelStack"),
                    meminfo.kib("PageTables"));
        }
    }

    /** The deltas every kind reports: at the reading (units alive) and after teardown. */
    static void putDeltas(Batch batch, Snapshot before, Snapshot during, Snapshot after) {
        batch.put("VmRSS-delta-KiB", "runner process", during.vmRss - before.vmRss, SRC_STATUS + " VmRSS");
        if (before.rssAnon != null && during.rssAnon != null) {
            batch.put("RssAnon-delta-KiB", "runner process", during.rssAnon - before.rssAnon, SRC_STATUS + " RssAnon");
        }
        batch.put("KernelStack-delta-KiB", "system", during.kernelStack - before.kernelStack, SRC_MEMINFO + " KernelStack");
        batch.put("PageTables-delta-KiB", "system", during.pageTables - before.pageTables, SRC_MEMINFO + " PageTables");
        batch.put("VmRSS-after-teardown-KiB", "runner process", after.vmRss - before.vmRss, SRC_STATUS + " VmRSS");
        batch.put("KernelStack-after-teardown-KiB", "system", after.kernelStack - before.kernelStack,
                SRC_MEMINFO + " KernelStack");
        batch.put("PageTables-after-teardown-KiB", "system", after.pageTables - before.pageTables,
                SRC_MEMINFO + " PageTables");
    }

    /** Per-child sums: smaps_rollup's Pss (the primary), Pss_Anon, Rss, Private_*; status's VmPTE (live reads). */
    static void readChildren(Batch batch, List<Integer> pids) {
        long pss = 0, rss = 0, priv = 0, pssAnon = 0, vmPte = 0;
        boolean hasPssAnon = true, hasVmPte = true;
        for (int pid : pids) {
            ProcKeyValues rollup = ProcKeyValues.read(Path.of("/proc", Integer.toString(pid), "smaps_rollup"));
            pss += rollup.kib("Pss");
            rss += rollup.kib("Rss");
            priv += rollup.kib("Private_Clean") + rollup.kib("Private_Dirty");
            Long anon = rollup.kibOrNull("Pss_Anon");   // Linux 5.7+
            if (anon == null) hasPssAnon = false;
            else pssAnon += anon;
            Long pte = ProcKeyValues.read(Path.of("/proc", Integer.toString(pid), "status")).kibOrNull("VmPTE");
            if (pte == null) hasVmPte = false;
            else vmPte += pte;
        }
        batch.primaryBytes = pss * 1024;
        batch.put("Pss-KiB", "all children", pss, SRC_ROLLUP + " Pss");
        if (hasPssAnon) batch.put("Pss_Anon-KiB", "all children", pssAnon, SRC_ROLLUP + " Pss_Anon");
        batch.put("Rss-KiB", "all children", rss, SRC_ROLLUP + " Rss");
        batch.put("Private-KiB", "all children", priv, SRC_ROLLUP + " Private_Clean + Private_Dirty");
        if (hasVmPte) batch.put("VmPTE-KiB", "all children", vmPte, SRC_CHILD_STATUS + " VmPTE");
    }

    /** How many of {@code pids} are alive (not zombies) and children of this process (live reads). */
    static int childrenAliveAndOurs(List<Integer> pids) {
        String self = String.valueOf(ProcessHandle.current().pid());
        int alive = 0;
        for (int pid : pids) {
            Path status = Path.of("/proc", Integer.toString(pid), "status");
            if (pid <= 0 || !Files.exists(status)) continue;
            ProcKeyValues s = ProcKeyValues.read(status);
            String state = s.text("State");
            if (state != null && !state.startsWith("Z") && self.equals(s.text("PPid"))) alive++;
        }
        return alive;
    }

    /** Threads of this process whose name (comm) is exactly {@code name} (live: our own threads). */
    static int tasksNamed(String name) {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            return (int) tasks.filter(t -> {
                try {
                    return Files.readString(t.resolve("comm")).strip().equals(name);
                } catch (IOException e) {
                    return false;   // ended between list and read
                }
            }).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A joined thread may linger in /proc/self/task a moment: waits (bounded) until none is named so. */
    static int awaitNoTasksNamed(String name, long timeoutMs) {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        int left;
        while ((left = tasksNamed(name)) > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(1_000_000);
        }
        return left;
    }
}
