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
}
