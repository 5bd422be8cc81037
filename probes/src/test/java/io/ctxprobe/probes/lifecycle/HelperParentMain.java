package io.ctxprobe.probes.lifecycle;

import io.ctxprobe.linux.NativeCreate;
import io.ctxprobe.linux.NativeLibrary;
import io.ctxprobe.probe.Cleanup;

/**
 * Run by {@link HelperLifetimeTest} in a child JVM: starts ctxprobe-helper the way process.create
 * does (runHelper, from this long-lived main thread) on a run of minutes, and waits for it. The test
 * SIGKILLs this JVM meanwhile and watches the helper die with it.
 */
public final class HelperParentMain {

    private HelperParentMain() {}

    public static void main(String[] args) {
        int batches = 100_000;
        ProcessCreateProbe.runHelper(new Cleanup(), NativeLibrary.helperPath(), NativeCreate.ProcessKind.FORK.code(), 0, 0,
                batches, 1_000, new long[batches], new long[batches], 600_000);
    }
}
