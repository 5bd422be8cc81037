package io.ctxprobe.perf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Several counters on one thread, opened all or nothing: when a later event fails to open,
 * every counter already opened is closed before the error propagates (no leaked fds).
 */
public final class PerfCounterSet implements AutoCloseable {
    private final List<PerfCounter> counters;

    private PerfCounterSet(List<PerfCounter> counters) {
        this.counters = Collections.unmodifiableList(counters);
    }

    /** Opens each event on {@code tid} (0 = calling thread) with times; throws the first failure. */
    public static PerfCounterSet open(int tid, PerfEvent... events) {
        List<PerfCounter> opened = new ArrayList<>(events.length);
        try {
            for (PerfEvent e : events) {
                opened.add(PerfCounter.open(e, tid));
            }
        } catch (RuntimeException failure) {
            // The errno is already saved in the exception; undo in reverse order, keeping it primary.
            for (int i = opened.size() - 1; i >= 0; i--) {
                try {
                    opened.get(i).close();
                } catch (RuntimeException suppressed) {
                    failure.addSuppressed(suppressed);
                }
            }
            throw failure;
        }
        return new PerfCounterSet(opened);
    }

    public List<PerfCounter> counters() {
        return counters;
    }

    public List<PerfCounter.Reading> read() {
        List<PerfCounter.Reading> out = new ArrayList<>(counters.size());
        for (PerfCounter c : counters) {
            out.add(c.read());
        }
        return out;
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (PerfCounter c : counters) {
            try {
                c.close();
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
}
