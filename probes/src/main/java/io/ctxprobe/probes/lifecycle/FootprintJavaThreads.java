package io.ctxprobe.probes.lifecycle;

import io.ctxprobe.host.HostFiles;
import io.ctxprobe.probe.Cleanup;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.probes.lifecycle.FootprintReadings.Batch;
import io.ctxprobe.probes.lifecycle.FootprintReadings.Snapshot;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * footprint's Java kinds: N platform or virtual threads blocked on a latch (virtual ones parked,
 * unmounted); per unit the VmRSS delta of this process. Platform threads are also counted in
 * /proc/self/task by their native name.
 */
record FootprintJavaThreads(String caseId, boolean virtual) implements FootprintProbe.Kind {

    private static final String IDLE_JAVA_NAME = "ctxp-idle-java";   // the native name HotSpot gives them

    @Override
    public int defaultUnits(boolean quick) {
        return quick ? 100 : 200;
    }

    @Override
    public String what() {
        return virtual ? "Java virtual threads parked on a CountDownLatch (unmounted); VmRSS delta / N"
                : "Java platform threads (default -Xss) blocked on a CountDownLatch; VmRSS delta / N";
    }

    @Override
    public Batch measure(ProbeContext ctx, HostFiles files, int n) {
        Batch batch = new Batch();
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch release = new CountDownLatch(1);
        Thread.Builder builder = virtual ? Thread.ofVirtual().name(IDLE_JAVA_NAME) : Thread.ofPlatform().name(IDLE_JAVA_NAME);
        Runnable body = () -> {
            ready.countDown();
            awaitUninterruptibly(release);
        };
        Thread[] threads = new Thread[n];
        Cleanup.Registration reg = ctx.cleanup().register("footprint " + caseId, release::countDown);
        try {
            Snapshot before = Snapshot.take(files);
            for (int i = 0; i < n; i++) threads[i] = builder.start(body);
            if (!ready.await(FootprintProbe.TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException((n - ready.getCount()) + " of " + n + " threads started within "
                        + FootprintProbe.TIMEOUT_MS + " ms");
            }
            int blocked = awaitWaiting(threads);
            Snapshot during = Snapshot.take(files);
            if (blocked != n) batch.flags.add(blocked + " of " + n + " threads blocked (WAITING) at the reading");
            if (!virtual) {
                int listed = FootprintReadings.tasksNamed(IDLE_JAVA_NAME);
                if (listed != n) batch.flags.add(listed + " of " + n + " " + IDLE_JAVA_NAME + " kernel threads listed at the reading");
            }
            release.countDown();
            for (Thread t : threads) {
                if (!t.join(Duration.ofMillis(FootprintProbe.TIMEOUT_MS))) batch.flags.add("a thread was not joined in time");
            }
            if (!virtual && FootprintReadings.awaitNoTasksNamed(IDLE_JAVA_NAME, FootprintProbe.TIMEOUT_MS) > 0) {
                batch.flags.add(IDLE_JAVA_NAME + " threads still listed after the join");
            }
            Snapshot after = Snapshot.take(files);
            FootprintReadings.putDeltas(batch, before, during, after);
            batch.primaryBytes = (during.vmRss() - before.vmRss()) * 1024;
            return batch;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            release.countDown();
            for (Thread t : threads) {
                if (t != null) joinQuietly(t);
            }
            reg.close();
        }
    }

    /** Waits (bounded) until every thread is parked in the latch; returns how many are. */
    private static int awaitWaiting(Thread[] threads) {
        long deadline = System.nanoTime() + FootprintProbe.TIMEOUT_MS * 1_000_000;
        while (true) {
            int waiting = 0;
            for (Thread t : threads) if (t.getState() == Thread.State.WAITING) waiting++;
            if (waiting == threads.length || System.nanoTime() > deadline) return waiting;
            LockSupport.parkNanos(200_000);
        }
    }

    /** The idle body: blocked until released; an interrupt is kept for after, never a reason to leave early. */
    private static void awaitUninterruptibly(CountDownLatch release) {
        boolean interrupted = false;
        while (true) {
            try {
                release.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    private static void joinQuietly(Thread t) {
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }
}
