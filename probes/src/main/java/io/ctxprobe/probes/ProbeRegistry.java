package io.ctxprobe.probes;

import io.ctxprobe.probes.tlb.TlbSwitchProbe;
import io.ctxprobe.probes.tlb.TlbFlushProbe;
import io.ctxprobe.probes.switching.SwitchAnatomyProbe;
import io.ctxprobe.probes.tlb.TlbReachProbe;
import io.ctxprobe.probes.syscall.SyscallNullProbe;
import io.ctxprobe.probes.syscall.SyscallVdsoProbe;
import io.ctxprobe.probes.isolation.IsolationProbe;
import io.ctxprobe.probes.isolation.BlockingProbe;
import io.ctxprobe.probes.ipc.IpcLatencyProbe;
import io.ctxprobe.probes.ipc.IpcBandwidthProbe;
import io.ctxprobe.probes.lifecycle.ThreadCreateProbe;
import io.ctxprobe.probes.lifecycle.ProcessCreateProbe;
import io.ctxprobe.probes.lifecycle.FootprintProbe;
import io.ctxprobe.probes.lifecycle.FiberCreateProbe;
import io.ctxprobe.probes.switching.VthreadSwitchProbe;
import io.ctxprobe.probes.switching.ThreadSwitchProbe;
import io.ctxprobe.probes.switching.ProcessSwitchProbe;
import io.ctxprobe.probes.switching.JthreadSwitchProbe;
import io.ctxprobe.probes.switching.FiberSwitchProbe;
import io.ctxprobe.probes.switching.CacheC2cProbe;
import io.ctxprobe.probes.sched.FiberPreemptProbe;
import io.ctxprobe.probes.sched.SchedSliceProbe;
import io.ctxprobe.probes.sched.SchedWakeupProbe;
import io.ctxprobe.probes.sched.VthreadStarveProbe;
import io.ctxprobe.probe.Probe;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Every probe, by id. The one list a new probe is added to; ids are sorted, and a glob ("thread.*",
 * "*.switch") selects by id.
 */
public final class ProbeRegistry {

    private static final Map<String, Supplier<Probe>> PROBES = new TreeMap<>();

    static {
        add(SyscallNullProbe.ID, SyscallNullProbe::new);
        add(SyscallVdsoProbe.ID, SyscallVdsoProbe::new);
        add(ThreadSwitchProbe.ID, ThreadSwitchProbe::new);
        add(FiberSwitchProbe.ID, FiberSwitchProbe::new);
        add(ProcessSwitchProbe.ID, ProcessSwitchProbe::new);
        add(CacheC2cProbe.ID, CacheC2cProbe::new);
        add(JthreadSwitchProbe.ID, JthreadSwitchProbe::new);
        add(VthreadSwitchProbe.ID, VthreadSwitchProbe::new);
        // lifecycle: creation
        add(ProcessCreateProbe.ID, ProcessCreateProbe::new);
        add(ThreadCreateProbe.ID, ThreadCreateProbe::new);
        add(FiberCreateProbe.ID, FiberCreateProbe::new);

        // lifecycle: footprint
        add(FootprintProbe.ID, FootprintProbe::new);

        // lifecycle: communication and isolation
        add(IpcLatencyProbe.ID, IpcLatencyProbe::new);
        add(IpcBandwidthProbe.ID, IpcBandwidthProbe::new);
        add(IsolationProbe.ID, IsolationProbe::new);

        // lifecycle: blocking calls in user threads
        add(BlockingProbe.ID, BlockingProbe::new);

        // TLB: reach and refill after an event
        add(TlbReachProbe.ID, TlbReachProbe::new);
        add(TlbSwitchProbe.ID, TlbSwitchProbe::new);

        // the kernel as witness: its own tracepoints (root)
        add(TlbFlushProbe.ID, TlbFlushProbe::new);
        add(SwitchAnatomyProbe.ID, SwitchAnatomyProbe::new);

        // the preemptive side: the kernel's slice and wake-ups, signal-preempted fibers, starving virtual threads
        add(SchedSliceProbe.ID, SchedSliceProbe::new);
        add(SchedWakeupProbe.ID, SchedWakeupProbe::new);
        add(FiberPreemptProbe.ID, FiberPreemptProbe::new);
        add(VthreadStarveProbe.ID, VthreadStarveProbe::new);

    }

    private ProbeRegistry() {}

    private static void add(String id, Supplier<Probe> factory) {
        if (PROBES.put(id, factory) != null) throw new IllegalStateException("duplicate probe id " + id);
    }

    public static Set<String> ids() {
        return Collections.unmodifiableSet(PROBES.keySet());
    }

    public static List<Probe> all() {
        return PROBES.values().stream().map(Supplier::get).toList();
    }

    /**
     * The probes named by ids or globs, in registry order, each once; all of them when none is named.
     * An id or glob that matches nothing is an error naming it.
     */
    public static List<Probe> select(List<String> patterns) {
        if (patterns == null || patterns.isEmpty()) return all();
        Set<String> chosen = new LinkedHashSet<>();
        for (String pattern : patterns) {
            Pattern regex = globToRegex(pattern);
            List<String> matched = PROBES.keySet().stream().filter(id -> regex.matcher(id).matches()).toList();
            if (matched.isEmpty()) {
                throw new IllegalArgumentException("unknown probe '" + pattern + "'; known: " + String.join(", ", PROBES.keySet()));
            }
            chosen.addAll(matched);
        }
        List<Probe> out = new ArrayList<>();
        for (String id : PROBES.keySet()) {
            if (chosen.contains(id)) out.add(PROBES.get(id).get());
        }
        return out;
    }

    static Pattern globToRegex(String glob) {
        StringBuilder re = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> re.append("[^ ]*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }
}
