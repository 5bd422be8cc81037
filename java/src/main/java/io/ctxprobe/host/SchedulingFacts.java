package io.ctxprobe.host;

import java.util.List;
import java.util.Locale;

/** The "scheduling" section: steal time, cgroup CPU limits, isolated and nohz_full CPUs, autogroup. */
final class SchedulingFacts {
    private SchedulingFacts() {
    }

    /** Jiffies of the aggregate "cpu" line of /proc/stat. */
    record Steal(long steal, long total) {
        String describe() {
            double pct = total == 0 ? 0 : 100.0 * steal / total;
            return String.format(Locale.ROOT, "%d jiffies (%.2f%% of %d jiffies since boot)", steal, pct, total);
        }
    }

    static FactSection collect(HostFiles files, FileText cmdline) {
        SectionBuilder s = new SectionBuilder("scheduling");
        FileText stat = files.read(HostPaths.STAT);
        Steal steal = stat.ok() ? parseSteal(stat.lines()) : null;
        s.add(steal != null ? Fact.of("steal time", steal.describe(), stat.source())
                : Fact.unavailable("steal time", stat.source(),
                        stat.ok() ? "no 'cpu' line with a steal column" : stat.error()));

        s.facts().addAll(CgroupFacts.collect(files));

        FileText isolated = files.read(HostPaths.CPU_ISOLATED);
        s.add(cpuListOrNone(isolated, "isolated CPUs"));
        FileText nohz = files.read(HostPaths.CPU_NOHZ_FULL);
        if (nohz.ok()) {
            s.add(cpuListOrNone(nohz, "nohz_full CPUs"));
        } else {
            s.unavailable("nohz_full CPUs", nohz.source(), nohz.error() + " (kernel without CONFIG_NO_HZ_FULL)");
        }
        String line = cmdline.ok() ? cmdline.first() : null;
        for (String p : new String[] {"isolcpus", "nohz_full", "irqaffinity"}) {
            String v = KernelFacts.parameter(line, p);
            if (v != null) {
                s.add("cmdline " + p, v, cmdline.source());
            }
        }
        FileText auto = files.read(HostPaths.SCHED_AUTOGROUP);
        s.add(auto.ok() ? auto.integerFact("sched_autogroup", "level")
                : Fact.unavailable("sched_autogroup", auto.source(), auto.error() + " (kernel without CONFIG_SCHED_AUTOGROUP)"));
        return s.build();
    }

    /** Pure: user nice system idle iowait irq softirq steal [guest guest_nice]; guest time is inside user. */
    static Steal parseSteal(List<String> statLines) {
        for (String l : statLines) {
            String[] w = l.trim().split("\\s+");
            if (!w[0].equals("cpu")) {
                continue;
            }
            if (w.length < 9) {
                return null;
            }
            try {
                long total = 0;
                for (int i = 1; i <= 8; i++) {
                    total += Long.parseLong(w[i]);
                }
                return new Steal(Long.parseLong(w[8]), total);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** An empty CPU-list file means "none", not "unknown". */
    static Fact cpuListOrNone(FileText t, String name) {
        if (!t.ok()) {
            return Fact.unavailable(name, t.source(), t.error());
        }
        String v = t.first();
        if (v == null || v.isEmpty() || v.equals("(null)")) {
            return Fact.of(name, "(none)", t.source());
        }
        List<Integer> cpus = TopologyReader.cpuList(t);
        return cpus == null ? Fact.unavailable(name, t.source(), "malformed CPU list '" + v + "'")
                : Fact.of(name, CpuLists.format(cpus), t.source());
    }
}
