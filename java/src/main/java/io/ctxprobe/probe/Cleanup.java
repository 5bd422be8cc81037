package io.ctxprobe.probe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The one place that knows what a running probe has started. A probe registers an abort action for
 * each thing that could outlive it (a thread pair to wake, a child to kill) and closes the
 * registration once the thing is gone. {@link #abortAll()} runs from the Ctrl-C hook and makes
 * every registered thing return or die, newest first; anything registered later is aborted at once.
 *
 * <p>It also holds the run's private temporary directory ({@link #tempDir()}, see
 * {@link RunTempFiles}): what child JVMs write lands there, and {@link #removeTempDir()} (the runner
 * calls it when the run ends or is stopped; a JVM exit hook is the fallback) removes it whole.
 */
public final class Cleanup {

    private final Deque<Registration> active = new ArrayDeque<>();
    private boolean stopped;
    private Path tempDir;
    private Thread tempDirHook;

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

    /**
     * The run's private temporary directory (0700), created in {@code java.io.tmpdir} on first use:
     * child JVM output files, JFR recordings, and the child JVMs' own {@code java.io.tmpdir}.
     */
    public synchronized Path tempDir() {
        if (tempDir != null) return tempDir;
        try {
            tempDir = RunTempFiles.create(Path.of(System.getProperty("java.io.tmpdir")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the run's temporary directory in "
                    + System.getProperty("java.io.tmpdir") + ": " + e.getMessage(), e);
        }
        Path dir = tempDir;
        tempDirHook = new Thread(() -> deleteQuietly(dir), "ctxprobe-temp-cleanup");
        Runtime.getRuntime().addShutdownHook(tempDirHook);
        return tempDir;
    }

    /** Removes the run's temporary directory and everything in it, if there is one; safe to repeat. */
    public void removeTempDir() {
        Path dir;
        synchronized (this) {
            dir = tempDir;
            tempDir = null;
            if (tempDirHook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(tempDirHook);
                } catch (IllegalStateException e) {
                    // the JVM is exiting: the hook runs anyway, and deleting twice is fine
                }
                tempDirHook = null;
            }
        }
        if (dir != null) deleteQuietly(dir);
    }

    /** Removes run directories that dead runs left in {@code java.io.tmpdir}; returns how many. */
    public static int sweepStaleTempDirs() {
        return RunTempFiles.sweep(Path.of(System.getProperty("java.io.tmpdir")));
    }

    private static void deleteQuietly(Path dir) {
        try {
            RunTempFiles.deleteTree(dir);
        } catch (IOException e) {
            System.err.println("ctxprobe: could not remove " + dir + ": " + e.getMessage());
        }
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
            r.abort();
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
        private boolean closed;

        private Registration(String what, Runnable abort) {
            this.what = what;
            this.abort = abort;
        }

        /**
         * Runs the abort action unless the registration is closed. Abort and close exclude each
         * other, so an owner that closes its registration before freeing the thing (try-with-resources
         * lists the thing first) never has it aborted after the free: the Ctrl-C hook, a watchdog and
         * the owner may race, and an abort of a freed native object is a use after free.
         */
        public synchronized void abort() {
            if (!closed) abort.run();
        }

        @Override
        public void close() {
            synchronized (this) {
                closed = true;   // waits for an abort in flight to return
            }
            remove(this);
        }
    }
}
