package io.ctxprobe.cli;

import io.ctxprobe.binding.Binding;
import io.ctxprobe.host.HostFacts;
import io.ctxprobe.linux.NativeLibrary;
import io.ctxprobe.probe.Cleanup;
import io.ctxprobe.probe.Probe;
import io.ctxprobe.probe.ProbeContext;
import io.ctxprobe.probe.RunOptions;
import io.ctxprobe.probes.ProbeRegistry;
import picocli.CommandLine.Command;

import java.util.EnumSet;
import java.util.concurrent.Callable;

/** ctxprobe list: every probe id with its description, parameters and whether this host can run it. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "Lists the probes: id, description, parameters, and availability on this host.")
final class ListCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        NativeLibrary.lookup(); // without it no probe is available: a directory the user must fix is exit 2
        Binding binding = Binding.ffm();
        HostFacts host = Hosts.collect();
        ProbeContext ctx = new ProbeContext(binding, host,
                new RunOptions(binding.getAffinity(0), EnumSet.noneOf(io.ctxprobe.probe.Placement.class), true, null),
                new Cleanup());
        StringBuilder out = new StringBuilder();
        for (Probe probe : ProbeRegistry.all()) {
            String unavailable = probe.unavailableReason(ctx);
            out.append(String.format("%-16s %s%n", probe.id(), probe.description()));
            out.append(String.format("%-16s available: %s%n", "", unavailable == null ? "yes" : "no: " + unavailable));
            for (Probe.ParamSpec p : probe.parameters()) {
                out.append(String.format("%-16s   %-12s %s%n", "", p.name(), p.description()));
            }
        }
        System.out.print(out);
        return ExitCodes.OK;
    }
}
