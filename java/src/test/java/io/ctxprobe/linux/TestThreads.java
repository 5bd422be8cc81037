package io.ctxprobe.linux;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/** Runs a body on a fresh platform thread, so affinity changes never leak into the test runner. */
public final class TestThreads {
    private TestThreads() {}

    public static <T> T onFreshThread(Callable<T> body) throws Exception {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> error = new AtomicReference<>();
        Thread t = Thread.ofPlatform().name("ctxprobe-test").start(() -> {
            try {
                result.set(body.call());
            } catch (Throwable e) {
                error.set(e);
            }
        });
        t.join();
        Throwable e = error.get();
        if (e instanceof Exception ex) {
            throw ex;
        }
        if (e instanceof Error err) {
            throw err;
        }
        return result.get();
    }
}
