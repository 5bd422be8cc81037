package io.ctxprobe.probes.childjvm;

import io.ctxprobe.linux.Unistd;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The child JVM of blocking's vthreads/* cases: a virtual-thread scheduler with one carrier
 * ({@code -Djdk.virtualThreadScheduler.parallelism=1 -Djdk.virtualThreadScheduler.maxPoolSize=1}, which
 * only a JVM start can set):
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -Djdk.virtualThreadScheduler.parallelism=1 \
 *      -Djdk.virtualThreadScheduler.maxPoolSize=1 -cp CLASSPATH io.ctxprobe.probes.childjvm.BlockingVthreadMain \
 *      --cpu N --binding ffm|jna --workers W --delay-ns D --reps R --deadline-ms T
 * </pre>
 *
 * The main platform thread pins itself to the CPU before any virtual thread exists (the carrier and
 * the feeder threads it creates inherit that affinity). Per case: W worker virtual threads loop
 * "step (System.nanoTime), park {@link #STEP_PARK_NS}"; one blocker virtual thread waits D — in a native read(2)
 * through FFM on a pipe fed by a platform thread ({@code ffm-read}), in Thread.sleep ({@code sleep}),
 * or in a java.nio Pipe source channel read fed by a platform thread ({@code channel-read}). The
 * workers' longest gap between consecutive steps is the measure. One unmeasured warm-up run, then R
 * runs inside a JFR recording of {@code jdk.VirtualThreadPinned} (threshold 0) that is dumped to a
 * temp file, read back and deleted. Prints one line of JSON ({@link Report}) on stdout and exits 0;
 * on any error, the error on stderr and exit 1.
 */
public final class BlockingVthreadMain {

    public static final List<String> CASES = List.of("ffm-read", "sleep", "channel-read");
    public static final String PINNED_EVENT = "jdk.VirtualThreadPinned";
    /**
     * Each worker step ends in a timed park of this long, not in Thread.yield(): on this JDK a yield
     * loop keeps the carrier's submission queue non-empty, and ForkJoinPool keeps taking from that one
     * queue, so a wake-up submitted from another thread (the blocker's start, the end of its sleep or
     * of its channel read) was never run (seen: the first version hung with the blocker RUNNABLE and
     * never mounted). A timed park lets the queue drain; its wake-up comes through the scheduler's timer.
     */
    public static final long STEP_PARK_NS = 50_000;

    private BlockingVthreadMain() {}

    /**
     * One case. Per run: the workers' longest stall, their steps over the whole run and during the
     * blocker's wait, the run's span (first to last step) and the blocker's measured wait (ns).
     * pinnedEvents: jdk.VirtualThreadPinned events recorded during the measured runs (any thread);
     * pinnedMaxNs: the longest one's duration, -1 when none.
     */
    public record CaseRun(String caseId, long[] longestStallNs, long[] steps, long[] stepsDuringWait,
                          long[] elapsedNs, long[] waitNs, int pinnedEvents, long pinnedMaxNs, String pinnedTopFrame) {}

    public record Report(int pinnedCpu, String binding, int mainTid, String parallelism, String maxPoolSize,
                         int workers, long delayNs, List<CaseRun> cases) {}

    public static void main(String[] args) {
        OneCarrierJvm.childMain("blocking vthread child", args, child -> {
            int workers = Integer.parseInt(child.need("workers"));
            long delayNs = Long.parseLong(child.need("delay-ns"));
            int reps = Integer.parseInt(child.need("reps"));
            List<CaseRun> cases = new ArrayList<>();
            for (String c : CASES) cases.add(runCase(c, workers, delayNs, reps));
            return new Report(child.cpu(), child.binding().name(), child.binding().gettid(),
                    System.getProperty("jdk.virtualThreadScheduler.parallelism"),
                    System.getProperty("jdk.virtualThreadScheduler.maxPoolSize"), workers, delayNs, cases);
        });
    }

    static CaseRun runCase(String caseId, int workers, long delayNs, int reps) throws Exception {
        oneRun(caseId, workers, delayNs);   // warm-up: class loading, the JIT, the JDK's poller and timer threads
        long[] stall = new long[reps], steps = new long[reps], during = new long[reps], elapsed = new long[reps],
                waited = new long[reps];
        // java.io.tmpdir is the parent run's private directory: removed with it, even after a kill
        Path jfr = Files.createTempFile("blocking-", ".jfr");
        try {
            try (Recording rec = new Recording()) {
                rec.enable(PINNED_EVENT).withThreshold(Duration.ZERO).withStackTrace();
                rec.start();
                for (int i = 0; i < reps; i++) {
                    long[] r = oneRun(caseId, workers, delayNs);
                    stall[i] = r[0];
                    steps[i] = r[1];
                    during[i] = r[2];
                    elapsed[i] = r[3];
                    waited[i] = r[4];
                }
                rec.stop();
                rec.dump(jfr);
            }
            int events = 0;
            long maxNs = -1;
            String top = null;
            for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
                if (!e.getEventType().getName().equals(PINNED_EVENT)) continue;
                events++;
                long ns = e.getDuration().toNanos();
                if (ns > maxNs) {
                    maxNs = ns;
                    top = e.getStackTrace() == null || e.getStackTrace().getFrames().isEmpty() ? null
                            : e.getStackTrace().getFrames().getFirst().getMethod().getType().getName() + "."
                                    + e.getStackTrace().getFrames().getFirst().getMethod().getName();
                }
            }
            return new CaseRun(caseId, stall, steps, during, elapsed, waited, events, maxNs, top);
        } finally {
            Files.deleteIfExists(jfr);
        }
    }

    /** What the workers share; only virtual threads on the one carrier touch it until the joins. */
    private static final class Progress {
        long lastStep;      // 0 until the first step
        long longest;
        long steps;
        volatile boolean done;
    }

    /** {stall, steps, steps during the wait, first-to-last step, the blocker's wait}, all in ns or counts. */
    static long[] oneRun(String caseId, int workers, long delayNs) throws Exception {
        Progress p = new Progress();
        long[] first = {0};
        long[] wait = new long[3];   // start ns, end ns, steps at start
        long[] stepsAfter = {0};
        Throwable[] failure = new Throwable[1];
        CountDownLatch waiting = new CountDownLatch(1);
        Feed feed = Feed.of(caseId);
        Thread feeder = null;
        List<Thread> threads = new ArrayList<>();
        try {
            if (feed != null) {
                // A platform thread: it must run while the only carrier may be held by the blocker.
                feeder = Thread.ofPlatform().name("ctxp-blocking-feeder").start(() -> {
                    try {
                        waiting.await();
                        long until = wait[0] + delayNs;
                        for (long left; (left = until - System.nanoTime()) > 0; ) LockSupport.parkNanos(left);
                        feed.feed();
                    } catch (Throwable t) {
                        failure[0] = t;
                    }
                });
            }
            for (int w = 0; w < workers; w++) {
                threads.add(Thread.ofVirtual().name("ctxp-blocking-worker-" + w).start(() -> {
                    while (true) {
                        long now = System.nanoTime();
                        if (p.lastStep != 0) p.longest = Math.max(p.longest, now - p.lastStep);
                        else first[0] = now;
                        p.lastStep = now;
                        p.steps++;
                        if (p.done) return;
                        LockSupport.parkNanos(STEP_PARK_NS);
                    }
                }));
            }
            threads.add(Thread.ofVirtual().name("ctxp-blocking-blocker").start(() -> {
                try {
                    // Let every worker step a few times, so the wait opens a gap between steps.
                    while (p.steps < 4L * workers) LockSupport.parkNanos(STEP_PARK_NS);
                    wait[2] = p.steps;
                    wait[0] = System.nanoTime();
                    waiting.countDown();
                    if (feed != null) feed.await();
                    else Thread.sleep(Duration.ofNanos(delayNs));
                    wait[1] = System.nanoTime();
                    stepsAfter[0] = p.steps;
                } catch (Throwable t) {
                    failure[0] = t;
                } finally {
                    waiting.countDown();
                    p.done = true;
                }
            }));
            for (Thread t : threads) t.join();
            if (feeder != null) feeder.join();
        } finally {
            p.done = true;
            waiting.countDown();
            if (feed != null) feed.close();   // also ends a feeder or blocker stuck on a closed fd
            for (Thread t : threads) t.join(TimeUnit.SECONDS.toMillis(10));
            if (feeder != null) feeder.join(TimeUnit.SECONDS.toMillis(10));
        }
        if (failure[0] != null) throw new IllegalStateException(caseId + ": " + failure[0], failure[0]);
        return new long[] {p.longest, p.steps, stepsAfter[0] - wait[2], p.lastStep - first[0], wait[1] - wait[0]};
    }

    /** A pipe the blocker waits on and a platform thread feeds one byte into. */
    private interface Feed extends AutoCloseable {
        void await() throws IOException;
        void feed() throws IOException;
        @Override
        void close();

        static Feed of(String caseId) throws IOException {
            return switch (caseId) {
                case "ffm-read" -> new FfmPipe();
                case "channel-read" -> new ChannelPipe();
                case "sleep" -> null;
                default -> throw new IllegalArgumentException("unknown case " + caseId);
            };
        }
    }

    /** read(2) through FFM: the virtual thread sits in a native frame, blocked in the kernel. */
    private static final class FfmPipe implements Feed {
        private final int[] fds = Unistd.pipe2(Unistd.O_CLOEXEC);
        private boolean closed;

        @Override
        public void await() {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment b = arena.allocate(1);
                if (Unistd.read(fds[0], b, 1) != 1) throw new IllegalStateException("read: end of file before the byte");
            }
        }

        @Override
        public void feed() {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment b = arena.allocate(1);
                Unistd.write(fds[1], b, 1);
            }
        }

        @Override
        public synchronized void close() {
            if (closed) return;
            closed = true;
            Unistd.close(fds[1]);   // the write end first: a reader still waiting sees end of file
            Unistd.close(fds[0]);
        }
    }

    /** java.nio's Pipe: a virtual thread's blocking read parks on the JDK's poller and frees the carrier. */
    private static final class ChannelPipe implements Feed {
        private final Pipe pipe;

        ChannelPipe() throws IOException {
            pipe = Pipe.open();
        }

        @Override
        public void await() throws IOException {
            ByteBuffer b = ByteBuffer.allocate(1);
            if (pipe.source().read(b) != 1) throw new IOException("channel read: end of stream before the byte");
        }

        @Override
        public void feed() throws IOException {
            pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
        }

        @Override
        public void close() {
            try {
                pipe.sink().close();
                pipe.source().close();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

}
