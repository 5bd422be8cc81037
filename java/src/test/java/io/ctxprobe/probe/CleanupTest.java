package io.ctxprobe.probe;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CleanupTest {

    @Test
    void abortsWhatIsStillRegisteredNewestFirst() {
        Cleanup cleanup = new Cleanup();
        List<String> aborted = new ArrayList<>();
        Cleanup.Registration a = cleanup.register("a", () -> aborted.add("a"));
        cleanup.register("b", () -> aborted.add("b"));
        Cleanup.Registration c = cleanup.register("c", () -> aborted.add("c"));
        c.close();
        // Deliberate: an abort that throws is reported on stderr and the others still run.
        System.err.println("(CleanupTest: the line 'ctxprobe: could not abort d: already gone' below is expected)");
        cleanup.register("d", () -> { throw new IllegalStateException("already gone"); });
        cleanup.abortAll();
        assertEquals(List.of("b", "a"), aborted);
        a.close();
        assertEquals(2, cleanup.activeCount());
    }

    @Test
    void whatIsRegisteredAfterAStopIsAbortedAtOnce() {
        Cleanup cleanup = new Cleanup();
        cleanup.abortAll();
        List<String> aborted = new ArrayList<>();
        cleanup.register("late", () -> aborted.add("late"));
        assertEquals(List.of("late"), aborted);
        assertEquals(true, cleanup.stopped());
    }

    @Test
    void anAbortInFlightHoldsOffTheFreeAndNoneRunsAfterTheClose() throws Exception {
        Cleanup cleanup = new Cleanup();
        java.util.concurrent.atomic.AtomicBoolean freed = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger usesAfterFree = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.CountDownLatch inAbort = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Cleanup.Registration r = cleanup.register("native thing", () -> {
            inAbort.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (freed.get()) usesAfterFree.incrementAndGet();
        });
        Thread hook = new Thread(cleanup::abortAll);   // the Ctrl-C hook
        hook.start();
        inAbort.await();
        Thread owner = new Thread(() -> {   // the probe: close the registration, then free the thing
            r.close();
            freed.set(true);
        });
        owner.start();
        while (owner.getState() != Thread.State.BLOCKED) Thread.onSpinWait();
        assertEquals(false, freed.get(), "the close waits for the abort in flight");
        release.countDown();
        hook.join();
        owner.join();
        r.abort();   // a watchdog firing late
        assertEquals(0, usesAfterFree.get(), "no abort reached the freed thing");
        assertEquals(true, freed.get());
    }
}
