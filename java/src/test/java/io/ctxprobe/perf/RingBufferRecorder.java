package io.ctxprobe.perf;

import io.ctxprobe.linux.CpuSet;
import io.ctxprobe.linux.Sched;
import io.ctxprobe.linux.Unistd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Records the ring-buffer fixtures of {@link PerfRecordsTest} on a live host (root): sched_switch
 * samples of one thread on CPU 0 into a one-page ring, written as {@code <name>.bin} (the data area)
 * and {@code <name>.properties} (tail, head, sample_type, the tracepoint id, the thread's tid):
 * {@code plain} (a few samples), {@code wrap} (part consumed, then records that run past the end of the
 * area), {@code lost} (the ring overfilled, emptied, then written again: a PERF_RECORD_LOST first).
 * Also copies this host's format files of the tracepoints ctxprobe uses. Not a test; run by hand:
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp java/target/classes:java/target/test-classes \
 *     io.ctxprobe.perf.RingBufferRecorder java/src/test/resources/perf HOST-KIND
 * </pre>
 */
public final class RingBufferRecorder {

    static final List<String> TRACEPOINTS = List.of("tlb:tlb_flush", "sched:sched_switch", "sched:sched_waking",
            "sched:sched_wakeup", "raw_syscalls:sys_enter", "raw_syscalls:sys_exit");

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        String hostKind = args[1];
        Tracefs.Lookup lookup = Tracefs.lookup(TRACEPOINTS);
        if (!lookup.complete()) throw new IllegalStateException(lookup.missingText());
        writeFormats(out.resolve("tracefs").resolve(hostKind), lookup);
        Sched.setAffinity(0, CpuSet.of(0));
        TracepointFormat sw = lookup.get("sched:sched_switch");
        int tid = Unistd.gettid();
        String filter = "prev_pid == " + tid + " || next_pid == " + tid;
        Path ring = Files.createDirectories(out.resolve("ring"));
        record(ring, "plain", sw, tid, filter, 0, 6, 0);
        record(ring, "wrap", sw, tid, filter, 12, 10, 0);
        record(ring, "lost", sw, tid, filter, 0, 3, 60);
    }

    /**
     * One ring: {@code before} sleeps consumed first (moving the tail), {@code overfill} sleeps that
     * overflow it and are thrown away unread, then {@code kept} sleeps left in the ring for the fixture.
     */
    static void record(Path dir, String name, TracepointFormat sw, int tid, String filter, int before, int kept, int overfill)
            throws Exception {
        try (TracepointSession s = TracepointSession.open(new int[] {0}, List.of(new TracepointSession.Sampled(sw, filter)),
                List.of(), 1)) {
            PerfRingBuffer ring = s.ringForTests(0);
            s.enable();
            sleeps(before + overfill);
            ring.consumeTo(ring.snapshot().head());
            sleeps(kept);
            s.disable();
            PerfRingBuffer.Snapshot snap = ring.snapshot();
            Files.write(dir.resolve(name + ".bin"), snap.data());
            Files.writeString(dir.resolve(name + ".properties"), String.format(Locale.ROOT,
                    "# %s: sched_switch samples of tid %d on CPU 0, one-page ring (RingBufferRecorder)%n"
                            + "tail=%d%nhead=%d%nsample_type=%d%ntracepoint_id=%d%ntid=%d%ncpu=0%n",
                    name, tid, snap.tail(), snap.head(), PerfRecords.TRACEPOINT_SAMPLE, sw.id(), tid));
        }
    }

    private static void sleeps(int n) throws InterruptedException {
        for (int i = 0; i < n; i++) Thread.sleep(1);
    }

    private static void writeFormats(Path dir, Tracefs.Lookup lookup) throws IOException {
        List<String> lines = io.ctxprobe.host.CommandOutput.runSystem(java.time.Duration.ofSeconds(10), "unshare", "--mount",
                "--propagation", "private", "/bin/sh", "-c", Tracefs.childScript(TRACEPOINTS)).lines();
        String current = null;
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            if (line.startsWith(Tracefs.MARKER)) {
                flush(dir, current, text);
                current = line.substring(Tracefs.MARKER.length()).strip();
                text.setLength(0);
            } else {
                text.append(line).append('\n');
            }
        }
        flush(dir, current, text);
    }

    private static void flush(Path dir, String name, StringBuilder text) throws IOException {
        if (name == null) return;
        Path f = dir.resolve("events").resolve(name.replace(':', '/')).resolve("format");
        Files.createDirectories(f.getParent());
        Files.writeString(f, text);
    }
}
