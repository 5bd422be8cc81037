package io.ctxprobe.probes.switching;

import io.ctxprobe.linux.CtxprobeLib;
import io.ctxprobe.probe.Probe;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.report.CaseResult;

import java.util.List;

/**
 * process.switch — the same handoffs as thread.switch, but side 1 is a child process forked inside
 * libctxprobe (it never returns into the JVM) from the runner thread, which outlives it, so its
 * PR_SET_PDEATHSIG holds. The token lives in a shared mapping (shared futex) or in pipes/eventfds the
 * child inherits. Every handoff now changes address space: on a host without PCID that also flushes
 * the TLB, which the host facts show.
 */
public final class ProcessSwitchProbe implements Probe {

    public static final String ID = "process.switch";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "a thread and a forked child process hand a token over: futex (shared), pipe, eventfd, sched_yield";
    }

    @Override
    public List<ParamSpec> parameters() {
        return SwitchSuite.PARAMETERS;
    }

    @Override
    public List<CaseResult> run(ProbeContext ctx) {
        return SwitchSuite.run(ctx, ID, CtxprobeLib.PP_PROCESS, "a thread of this process and a forked child process");
    }
}
