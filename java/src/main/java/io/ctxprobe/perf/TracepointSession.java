package io.ctxprobe.perf;

import io.ctxprobe.linux.Unistd;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tracepoints on a set of CPUs, opened together as one perf group per CPU (so that enabling and
 * disabling are one ioctl each: no event is seen by one member and missed by another, even when the
 * measured task is the one calling), enabled and disabled together: sampled ones write
 * into one ring per CPU (the first sampled event maps it, the others are redirected there with
 * PERF_EVENT_IOC_SET_OUTPUT, so one CPU's records come out in the order they happened), counted ones
 * are summed over the CPUs. Each may carry a kernel-side filter. Everything opened is closed when a
 * later open fails, and in {@link #close()}.
 */
public final class TracepointSession implements AutoCloseable {

    /** A tracepoint to sample, with its filter (null: every event). */
    public record Sampled(TracepointFormat format, String filter) {}

    /** A tracepoint to count under {@code label}, with its filter (null: every event). */
    public record Counted(String label, TracepointFormat format, String filter) {}

    /**
     * Every sample read, sorted by time (CLOCK_MONOTONIC, comparable across CPUs); {@code lost} the
     * records the kernel said it dropped (PERF_RECORD_LOST and LOST_SAMPLES summed), {@code other}
     * records of any other type.
     */
    public record Samples(List<PerfRecord.Sample> samples, long lost, int other) {
        public Samples {
            samples = List.copyOf(samples);
        }
    }

    private final List<Integer> fds = new ArrayList<>();
    private final List<Integer> leaders = new ArrayList<>();
    private final List<PerfRingBuffer> rings = new ArrayList<>();
    private final Map<String, List<Integer>> counters = new LinkedHashMap<>();

    private TracepointSession() {}

    /** Opens everything disabled; {@code ringPages} data pages (a power of two) per CPU ring. */
    public static TracepointSession open(int[] cpus, List<Sampled> sampled, List<Counted> counted, int ringPages) {
        TracepointSession s = new TracepointSession();
        try {
            for (int cpu : cpus) {
                int leader = -1;
                int ring = -1;
                for (Sampled e : sampled) {
                    int fd = s.keep(TracepointOpen.sampling(e.format(), cpu, leader, e.filter()));
                    if (leader < 0) leader = s.lead(fd);
                    if (ring < 0) {
                        ring = fd;
                        s.rings.add(PerfRingBuffer.map(fd, ringPages));
                    } else {
                        TracepointOpen.setOutput(fd, ring);
                    }
                }
                for (Counted c : counted) {
                    int fd = s.keep(TracepointOpen.counting(c.format(), cpu, leader, c.filter()));
                    if (leader < 0) leader = s.lead(fd);
                    s.counters.computeIfAbsent(c.label(), k -> new ArrayList<>()).add(fd);
                }
            }
            return s;
        } catch (RuntimeException e) {
            try {
                s.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private int keep(int fd) {
        fds.add(fd);
        return fd;
    }

    private int lead(int fd) {
        leaders.add(fd);
        return fd;
    }

    /** Each CPU's group at once (one ioctl on its leader). */
    public void enable() {
        leaders.forEach(TracepointOpen::enable);
    }

    public void disable() {
        leaders.forEach(TracepointOpen::disable);
    }

    /** The count of {@code label} summed over the CPUs. */
    public long count(String label) {
        List<Integer> list = counters.get(label);
        if (list == null) throw new IllegalArgumentException("no counted tracepoint labelled " + label);
        return list.stream().mapToLong(TracepointOpen::readCount).sum();
    }

    /** Reads every ring to its head (after {@link #disable()}, the whole trace). */
    public Samples drain() {
        List<PerfRecord.Sample> out = new ArrayList<>();
        long[] lost = {0};
        int[] other = {0};
        for (PerfRingBuffer ring : rings) {
            ring.drain(PerfRecords.TRACEPOINT_SAMPLE, r -> {
                switch (r) {
                    case PerfRecord.Sample s -> out.add(s);
                    case PerfRecord.Lost l -> lost[0] += l.lost();
                    case PerfRecord.LostSamples l -> lost[0] += l.lost();
                    case PerfRecord.Other o -> other[0]++;
                }
            });
        }
        out.sort(Comparator.comparingLong(PerfRecord.Sample::time));
        return new Samples(out, lost[0], other[0]);
    }

    /** The ring of the {@code index}-th CPU (the fixture recorder reads and moves it directly). */
    PerfRingBuffer ringForTests(int index) {
        return rings.get(index);
    }

    /** Unmaps the rings, then closes every fd (redirected events before the one that owns the ring). */
    @Override
    public void close() {
        RuntimeException first = null;
        for (PerfRingBuffer ring : rings) {
            try {
                ring.close();
            } catch (RuntimeException e) {
                if (first == null) first = e; else first.addSuppressed(e);
            }
        }
        rings.clear();
        for (int i = fds.size() - 1; i >= 0; i--) {
            try {
                Unistd.close(fds.get(i));
            } catch (RuntimeException e) {
                if (first == null) first = e; else first.addSuppressed(e);
            }
        }
        fds.clear();
        leaders.clear();
        if (first != null) throw first;
    }

    /** A filter matching any of {@code tids} in {@code field}: "common_pid == 12 || common_pid == 13". */
    public static String anyOf(String field, int... tids) {
        List<String> parts = new ArrayList<>();
        for (int t : tids) parts.add(field + " == " + t);
        return String.join(" || ", parts);
    }
}
