package io.ctxprobe.perf;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.ctxprobe.host.HostFiles;
import io.ctxprobe.linux.Ioctl;
import io.ctxprobe.linux.Unistd;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * Several events on one task opened as one perf group where the kernel allows it: one read(2) of
 * the leader returns every member's value with the group's time_enabled/time_running
 * (read_format GROUP | TOTAL_TIME_ENABLED | TOTAL_TIME_RUNNING), and one ioctl with
 * PERF_IOC_FLAG_GROUP enables, disables or resets them all. The group is opened disabled: counting
 * starts at {@link #enable()}.
 *
 * <p>An event that cannot be opened is not an error: it is {@link Unavailable} with the reason
 * (the errno, and the fix where there is one). Each event goes through {@link PerfOpenLadder}
 * (in the group; user space only for hardware after EACCES/EPERM; alone after EINVAL). Everything
 * already opened is closed when a later event throws, and in {@link #close()}.
 */
public final class PerfCounterGroup implements AutoCloseable {

    /** PERF_IOC_FLAG_GROUP: an ioctl on the leader applies to every member. */
    static final long PERF_IOC_FLAG_GROUP = 1;

    /**
     * An event that did not open: the ladder's status and reason; {@link #text()} is
     * "unavailable: &lt;reason&gt;" or "not permitted (...)".
     */
    public record Unavailable(PerfEventSpec spec, PerfOpenLadder.Refused refused) {
        public PerfOpenStatus status() {
            return refused.status();
        }

        public String reason() {
            return refused.reason();
        }

        public String text() {
            return refused.text();
        }
    }

    /** One opened event: in the group or alone, counting the kernel or user space only. */
    public record Member(PerfEventSpec spec, int fd, boolean inGroup, boolean userOnly, String note) {
        /** The event's name, with "(user-space only)" when it opened only with exclude_kernel=1. */
        public String label() {
            return userOnly ? spec.name() + " (user-space only)" : spec.name();
        }

        /** "open", or "open; &lt;note&gt;": the availability listing's wording. */
        public String text() {
            return note == null ? "open" : "open; " + note;
        }
    }

    /** One event's count: raw, its enabled/running times, and the value scaled to the enabled time. */
    public record Value(Member member, long raw, long enabledNs, long runningNs) {
        public long scaled() {
            if (runningNs <= 0 || runningNs >= enabledNs) {
                return raw;
            }
            return Math.round(raw * ((double) enabledNs / runningNs));
        }

        /** enabled / running: 1 when the event had the PMU all the time. */
        public double scaleFactor() {
            return runningNs <= 0 || runningNs >= enabledNs ? 1.0 : (double) enabledNs / runningNs;
        }

        public boolean multiplexed() {
            return runningNs > 0 && runningNs < enabledNs;
        }

        Value minus(Value earlier) {
            return new Value(member, raw - earlier.raw, enabledNs - earlier.enabledNs, runningNs - earlier.runningNs);
        }
    }

    /** One read of every opened event, in the order they were asked for. */
    public record Reading(List<Value> values) {
        public Reading {
            values = List.copyOf(values);
        }

        /** This reading less an earlier one of the same group: counts and times over the interval. */
        public Reading minus(Reading earlier) {
            if (earlier.values.size() != values.size()) {
                throw new IllegalArgumentException("readings of different groups");
            }
            List<Value> out = new ArrayList<>(values.size());
            for (int i = 0; i < values.size(); i++) {
                out.add(values.get(i).minus(earlier.values.get(i)));
            }
            return new Reading(out);
        }

        public boolean multiplexed() {
            return values.stream().anyMatch(Value::multiplexed);
        }

        /** The value of the event named {@code name}, or null when it is not in this reading. */
        public Value get(String name) {
            return values.stream().filter(v -> v.member.spec().name().equals(name)).findFirst().orElse(null);
        }
    }

    private final List<Member> members;        // in request order
    private final List<Unavailable> unavailable;
    private final int leaderFd;                // -1 when nothing opened in a group

    private PerfCounterGroup(List<Member> members, List<Unavailable> unavailable, int leaderFd) {
        this.members = Collections.unmodifiableList(members);
        this.unavailable = Collections.unmodifiableList(unavailable);
        this.leaderFd = leaderFd;
    }

    /**
     * Opens {@code events} on task {@code tid} (0 = the calling thread), any CPU, disabled.
     * {@code inherit}: also count threads the task creates after the open.
     */
    public static PerfCounterGroup open(List<PerfEventSpec> events, int tid, boolean inherit) {
        OptionalInt paranoid = PerfAvailability.readParanoid(HostFiles.live());
        List<Member> opened = new ArrayList<>();
        List<Unavailable> missing = new ArrayList<>();
        int leader = -1;
        try {
            for (PerfEventSpec spec : events) {
                if (!spec.resolved()) {
                    missing.add(new Unavailable(spec, PerfOpenLadder.notFound(spec.missing())));
                    continue;
                }
                switch (PerfOpenLadder.open(spec, tid, inherit, true, leader, paranoid)) {
                    case PerfOpenLadder.Opened o -> {
                        opened.add(new Member(spec, o.fd(), o.inGroup(), o.userOnly(), o.note()));
                        if (o.inGroup() && leader < 0) {
                            leader = o.fd();
                        }
                    }
                    case PerfOpenLadder.Refused r -> missing.add(new Unavailable(spec, r));
                }
            }
        } catch (RuntimeException failure) {
            // Undo in reverse order; the failure (its errno saved in it) stays the primary exception.
            for (int i = opened.size() - 1; i >= 0; i--) {
                try {
                    Unistd.close(opened.get(i).fd());
                } catch (RuntimeException suppressed) {
                    failure.addSuppressed(suppressed);
                }
            }
            throw failure;
        }
        return new PerfCounterGroup(opened, missing, leader);
    }

    /** The events that opened, in request order. */
    public List<Member> members() {
        return members;
    }

    public List<Unavailable> unavailable() {
        return unavailable;
    }

    /** Whether at least one event was opened as a group (one read for all of them). */
    public boolean grouped() {
        return leaderFd >= 0;
    }

    public void enable() {
        ioctlAll(PerfCounter.PERF_EVENT_IOC_ENABLE);
    }

    public void disable() {
        ioctlAll(PerfCounter.PERF_EVENT_IOC_DISABLE);
    }

    public void reset() {
        ioctlAll(PerfCounter.PERF_EVENT_IOC_RESET);
    }

    /** On the leader with PERF_IOC_FLAG_GROUP, and on each event opened alone. */
    private void ioctlAll(long request) {
        if (leaderFd >= 0) {
            Ioctl.ioctl(leaderFd, request, PERF_IOC_FLAG_GROUP);
        }
        for (Member m : members) {
            if (!m.inGroup()) {
                Ioctl.ioctl(m.fd(), request, 0);
            }
        }
    }

    /** Every opened event's value and times: one read(2) for the group, one per event alone. */
    public Reading read() {
        long[] groupValues = null;
        long enabled = 0;
        long running = 0;
        int inGroup = (int) members.stream().filter(Member::inGroup).count();
        try (Arena arena = Arena.ofConfined()) {
            if (leaderFd >= 0) {
                // { u64 nr; u64 time_enabled; u64 time_running; { u64 value; } cntr[nr]; }
                MemorySegment buf = arena.allocate(JAVA_LONG, 3 + inGroup);
                long n = Unistd.read(leaderFd, buf, buf.byteSize());
                long nr = buf.getAtIndex(JAVA_LONG, 0);
                if (n != buf.byteSize() || nr != inGroup) {
                    throw new IllegalStateException("perf group read: " + n + " bytes, nr " + nr + ", expected " + inGroup);
                }
                enabled = buf.getAtIndex(JAVA_LONG, 1);
                running = buf.getAtIndex(JAVA_LONG, 2);
                groupValues = new long[inGroup];
                for (int i = 0; i < inGroup; i++) {
                    groupValues[i] = buf.getAtIndex(JAVA_LONG, 3 + i);
                }
            }
            List<Value> out = new ArrayList<>(members.size());
            int g = 0;
            for (Member m : members) {
                if (m.inGroup()) {
                    out.add(new Value(m, groupValues[g++], enabled, running));
                } else {
                    // { u64 value; u64 time_enabled; u64 time_running; }
                    MemorySegment one = arena.allocate(JAVA_LONG, 3);
                    long n = Unistd.read(m.fd(), one, one.byteSize());
                    if (n != one.byteSize()) {
                        throw new IllegalStateException("short read from perf fd " + m.fd() + ": " + n + " bytes");
                    }
                    out.add(new Value(m, one.getAtIndex(JAVA_LONG, 0), one.getAtIndex(JAVA_LONG, 1),
                            one.getAtIndex(JAVA_LONG, 2)));
                }
            }
            return new Reading(out);
        }
    }

    /** Members first, leader last (closing the leader first would orphan the siblings into singletons). */
    @Override
    public void close() {
        RuntimeException first = null;
        for (int i = members.size() - 1; i >= 0; i--) {
            try {
                Unistd.close(members.get(i).fd());
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** "2 events open (task-clock, context-switches), 1 unavailable": for messages. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d events open (%s), %d unavailable", members.size(),
                String.join(", ", members.stream().map(Member::label).toList()), unavailable.size());
    }
}
