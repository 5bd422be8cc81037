package io.ctxprobe.probe;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The one place that knows what a running probe has started. A probe registers an abort action for
 * each thing that could outlive it (a thread pair to wake, a child to kill) and closes the
 * registration once the thing is gone. {@link #abortAll()} runs from the Ctrl-C hook and makes
 * every registered thing return or die, newest first; anything registered later is aborted at once.
 */
public final class Cleanup {

    private final Deque<Registration> active = new ArrayDeque<>();
    private boolean stopped;

    /**
     * Registers {@code abort} for {@code what}. After {@link #abortAll()} the run is stopping: the
     * abort runs at once, so whatever a probe starts from then on ends immediately.
     */
    public Registration register(String what, Runnable abort) {
        Registration r = new Registration(what, abort);
        boolean late;
        synchronized (this) {
            late = stopped;
            active.push(r);
        }
        if (late) abortQuietly(r);
        return r;
    }

    public synchronized boolean stopped() {
        return stopped;
    }

    public synchronized int activeCount() {
        return active.size();
    }

    /** Aborts everything still registered; safe to call more than once and from any thread. */
    public void abortAll() {
        Registration[] now;
        synchronized (this) {
            stopped = true;
            now = active.toArray(Registration[]::new);
        }
        for (Registration r : now) abortQuietly(r);
    }

    private static void abortQuietly(Registration r) {
        try {
            r.abort.run();
        } catch (RuntimeException e) {
            System.err.println("ctxprobe: could not abort " + r.what + ": " + e.getMessage());
        }
    }

    private synchronized void remove(Registration r) {
        active.remove(r);
    }

    /** Closing a registration says the thing is gone and no longer needs aborting. */
    public final class Registration implements AutoCloseable {
        private final String what;
        private final Runnable abort;

        private Registration(String what, Runnable abort) {
            this.what = what;
            this.abort = abort;
        }

        @Override
        public void close() {
            remove(this);
        }
    }
}
