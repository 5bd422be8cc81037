package io.ctxprobe.host;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * CPU limits of this process's cgroup: cgroup v2 {@code cpu.max} and {@code cpuset.cpus.effective};
 * on a v1 or hybrid host (v2 mounted without the cpu controller) the v1 equivalents too.
 */
final class CgroupFacts {
    private CgroupFacts() {
    }

    /** One /proc/self/cgroup line: "id:controllers:path" (v2 is "0::path"). */
    record Membership(String id, List<String> controllers, String path) {
    }

    /** One /proc/self/mounts line of type cgroup or cgroup2. */
    record Mount(String mountPoint, String type, List<String> options) {
    }

    static List<Fact> collect(HostFiles files) {
        List<Fact> out = new ArrayList<>();
        FileText cg = files.read(HostPaths.SELF_CGROUP);
        FileText mounts = files.read(HostPaths.SELF_MOUNTS);
        if (!cg.ok()) {
            out.add(Fact.unavailable("cgroup cpu.max", cg.source(), cg.error()));
            return out;
        }
        List<Membership> members = parseCgroup(cg.lines());
        List<Mount> mnts = mounts.ok() ? parseMounts(mounts.lines()) : List.of();

        Membership v2 = members.stream().filter(m -> m.id().equals("0") && m.controllers().isEmpty()).findFirst()
                .orElse(null);
        Mount v2mount = mnts.stream().filter(m -> m.type().equals("cgroup2")).findFirst().orElse(null);
        if (v2 == null || v2mount == null) {
            String why = v2 == null ? "no cgroup v2 membership in /proc/self/cgroup" : "no cgroup2 mount";
            out.add(Fact.unavailable("cgroup v2 cpu.max", HostFiles.source(HostPaths.CGROUP_ROOT), why));
        } else {
            String dir = dir(files, v2mount.mountPoint(), v2.path());
            out.add(Fact.of("cgroup v2", dir, cg.source()));
            FileText controllers = files.read(dir + "/cgroup.controllers");
            String ctl = controllers.ok() ? "controllers here: '" + controllers.first() + "'" : controllers.error();
            FileText max = files.read(dir + "/cpu.max");
            out.add(max.ok() ? Fact.of("cgroup v2 cpu.max", describeCpuMax(max.first()), max.source())
                    : Fact.unavailable("cgroup v2 cpu.max", max.source(), "cpu controller not enabled (" + ctl + ")"));
            FileText cpus = files.read(dir + "/cpuset.cpus.effective");
            out.add(cpus.ok() ? SchedulingFacts.cpuListOrNone(cpus, "cgroup v2 cpuset.cpus.effective")
                    : Fact.unavailable("cgroup v2 cpuset.cpus.effective", cpus.source(),
                            "cpuset controller not enabled (" + ctl + ")"));
        }

        Membership cpuV1 = v1(members, "cpu");
        Mount cpuMount = v1Mount(mnts, "cpu");
        if (cpuV1 != null && cpuMount != null) {
            String dir = dir(files, cpuMount.mountPoint(), cpuV1.path());
            FileText quota = files.read(dir + "/cpu.cfs_quota_us");
            FileText period = files.read(dir + "/cpu.cfs_period_us");
            out.add(quota.ok() && period.ok()
                    ? Fact.of("cgroup v1 cpu quota", describeV1Quota(quota.first(), period.first()), quota.source())
                    : Fact.unavailable("cgroup v1 cpu quota", quota.source(), quota.ok() ? period.error() : quota.error()));
        }
        Membership setV1 = v1(members, "cpuset");
        Mount setMount = v1Mount(mnts, "cpuset");
        if (setV1 != null && setMount != null) {
            String dir = dir(files, setMount.mountPoint(), setV1.path());
            out.add(SchedulingFacts.cpuListOrNone(files.read(dir + "/cpuset.effective_cpus"), "cgroup v1 cpuset"));
        }
        return out;
    }

    /** In a container the mount shows the namespace's root, so the host path may not exist: use the mount. */
    private static String dir(HostFiles files, String mountPoint, String path) {
        String joined = path.equals("/") ? mountPoint : mountPoint + path;
        return files.exists(joined) ? joined : mountPoint;
    }

    private static Membership v1(List<Membership> members, String controller) {
        return members.stream().filter(m -> m.controllers().contains(controller)).findFirst().orElse(null);
    }

    private static Mount v1Mount(List<Mount> mounts, String controller) {
        return mounts.stream().filter(m -> m.type().equals("cgroup") && m.options().contains(controller)).findFirst()
                .orElse(null);
    }

    /** Pure: /proc/self/cgroup lines. */
    static List<Membership> parseCgroup(List<String> lines) {
        List<Membership> out = new ArrayList<>();
        for (String l : lines) {
            String[] p = l.split(":", 3);
            if (p.length == 3) {
                out.add(new Membership(p[0], p[1].isEmpty() ? List.of() : List.of(p[1].split(",")), p[2].trim()));
            }
        }
        return out;
    }

    /** Pure: the cgroup and cgroup2 lines of /proc/self/mounts. */
    static List<Mount> parseMounts(List<String> lines) {
        List<Mount> out = new ArrayList<>();
        for (String l : lines) {
            String[] w = l.trim().split("\\s+");
            if (w.length >= 4 && (w[2].equals("cgroup") || w[2].equals("cgroup2"))) {
                out.add(new Mount(w[1].replace("\\040", " "), w[2], List.of(w[3].split(","))));
            }
        }
        return out;
    }

    /** Pure: "max 100000" -> "max (no limit), period 100000 us"; "200000 100000" -> "2.00 CPUs (...)". */
    static String describeCpuMax(String line) {
        String[] w = line == null ? new String[0] : line.trim().split("\\s+");
        if (w.length != 2) {
            return line;
        }
        if (w[0].equals("max")) {
            return "max (no limit), period " + w[1] + " us";
        }
        return quota(w[0], w[1]);
    }

    static String describeV1Quota(String quota, String period) {
        return quota.trim().equals("-1") ? "-1 (no limit), period " + period.trim() + " us" : quota(quota, period);
    }

    private static String quota(String q, String p) {
        try {
            double cpus = Double.parseDouble(q.trim()) / Double.parseDouble(p.trim());
            return String.format(Locale.ROOT, "%.2f CPUs (quota %s us per %s us)", cpus, q.trim(), p.trim());
        } catch (NumberFormatException e) {
            return q + " " + p;
        }
    }
}
