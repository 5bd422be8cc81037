package example;

import io.ctxprobe.Ctxprobe;
import io.ctxprobe.ProbeInfo;
import io.ctxprobe.RunRequest;
import io.ctxprobe.host.HostFacts;
import io.ctxprobe.report.CaseResult;
import io.ctxprobe.report.JsonReports;
import io.ctxprobe.report.Report;

import java.nio.file.Path;

/** Host facts, the probes, and one quick run of syscall.null, through the library facade. */
public final class LibraryExample {

    public static void main(String[] args) throws Exception {
        HostFacts host = Ctxprobe.hostFacts();
        System.out.println(host.summary().cpuModel() + ", host key " + host.hostKey());

        for (ProbeInfo probe : Ctxprobe.probes()) {
            System.out.println(probe.id() + (probe.available() ? "" : " (unavailable: " + probe.unavailableReason() + ")"));
        }

        Report report = Ctxprobe.run(RunRequest.of("syscall.null").quick(true));
        for (CaseResult r : report.results()) {
            System.out.println(r.caseId() + " " + r.status().label() + " "
                    + (r.stats() != null ? r.stats().median() + " " + r.unit() : r.reason()));
        }
        if (args.length > 0) JsonReports.write(Path.of(args[0]), report);   // the CLI's JSON report format
    }
}
