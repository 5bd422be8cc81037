package io.ctxprobe.probes.switching;

import io.ctxprobe.probe.Probe;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.report.CaseResult;

import java.util.List;

/**
 * thread.switch — two kernel threads of this process, created from Java with pthread_create (bodies
 * in libctxprobe), hand a token back and forth: through a futex, a pipe pair, an eventfd pair, or
 * sched_yield under SCHED_FIFO. Same-core, every handoff is a context switch on one CPU and the case
 * is {@code ok} only if the kernel counted at least 2 switches per round trip. Cross-core adds two
 * cross-CPU wake-ups per round trip, and a waiter sometimes finds the token already there. The unit
 * is ns per switch (half a round trip), gross: the mechanism's calls are included, and each
 * mechanism's solo cost is measured next to it.
 */
public final class ThreadSwitchProbe implements Probe {

    public static final String ID = "thread.switch";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "two pthreads (created from Java, bodies in C) hand a token over: futex, pipe, eventfd, sched_yield";
    }

    @Override
    public List<ParamSpec> parameters() {
        return SwitchSuite.PARAMETERS;
    }

    @Override
    public List<CaseResult> run(ProbeContext ctx) {
        return SwitchSuite.run(ctx, ID, 0, "two threads of one process");
    }
}
