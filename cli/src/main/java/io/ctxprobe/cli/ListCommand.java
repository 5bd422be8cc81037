package io.ctxprobe.cli;

import io.ctxprobe.Ctxprobe;
import io.ctxprobe.ProbeInfo;
import io.ctxprobe.linux.NativeLibrary;
import io.ctxprobe.probe.Probe;
import picocli.CommandLine.Command;

import java.util.List;
import java.util.concurrent.Callable;

/** ctxprobe list: every probe id with its description, parameters and whether this host can run it. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "Lists the probes: id, description, parameters, and availability on this host.")
final class ListCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        NativeLibrary.lookup(); // without it no probe is available: a directory the user must fix is exit 2
        List<ProbeInfo> probes;
        try {
            probes = Ctxprobe.probes();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage()); // a probe's setting (e.g. -Dctxprobe.footprint.units) is bad
        }
        StringBuilder out = new StringBuilder();
        for (ProbeInfo probe : probes) {
            out.append(String.format("%-16s %s%n", probe.id(), probe.description()));
            out.append(String.format("%-16s available: %s%n", "", probe.available() ? "yes" : "no: " + probe.unavailableReason()));
            for (Probe.ParamSpec p : probe.parameters()) {
                out.append(String.format("%-16s   %-12s %s%n", "", p.name(), p.description()));
            }
        }
        System.out.print(out);
        return ExitCodes.OK;
    }
}
