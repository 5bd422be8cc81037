package io.ctxprobe.cli;

import io.ctxprobe.Ctxprobe;
import io.ctxprobe.host.HostFacts;
import io.ctxprobe.host.HostFactsText;
import io.ctxprobe.report.JsonReports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** ctxprobe host: the facts that explain this host's numbers, each with its source. */
@Command(name = "host", mixinStandardHelpOptions = true,
        description = "Shows the host's facts (CPU, topology, caches, kernel, PTI/PCID, hypervisor, perf events...), each with its source.")
final class HostCommand implements Callable<Integer> {

    enum Format { text, json }

    @Option(names = "--format", description = "text (default) or json", defaultValue = "text")
    Format format;

    @Override
    public Integer call() {
        HostFacts facts = Ctxprobe.hostFacts();
        System.out.print(format == Format.json ? JsonReports.toJson(facts) + System.lineSeparator() : HostFactsText.render(facts));
        return ExitCodes.OK;
    }
}
