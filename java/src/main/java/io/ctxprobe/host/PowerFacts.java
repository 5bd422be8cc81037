package io.ctxprobe.host;

/** The "power" section: cpufreq governors and driver, cpuidle driver and governor. */
final class PowerFacts {
    private PowerFacts() {
    }

    static FactSection collect(HostFiles files) {
        SectionBuilder s = new SectionBuilder("power");
        var policies = files.list(HostPaths.CPUFREQ).stream().filter(n -> n.matches("policy\\d+")).toList();
        String src = HostFiles.source(HostPaths.CPUFREQ);
        if (policies.isEmpty()) {
            String why = files.exists(HostPaths.CPUFREQ) ? "no cpufreq policy in " + HostPaths.CPUFREQ
                    + " (no frequency scaling driver: common in VMs)" : "no " + HostPaths.CPUFREQ;
            s.unavailable("cpufreq governor", src, why);
            s.unavailable("cpufreq driver", src, why);
        } else {
            for (String p : policies) {
                s.add(files.read(HostPaths.CPUFREQ + "/" + p + "/scaling_governor").fact("cpufreq governor " + p));
            }
            s.add(files.read(HostPaths.CPUFREQ + "/" + policies.getFirst() + "/scaling_driver").fact("cpufreq driver"));
        }
        s.add(files.read(HostPaths.CPUIDLE_DRIVER).fact("cpuidle driver"));
        FileText gov = files.read(HostPaths.CPUIDLE_GOVERNOR_RO);
        s.add((gov.ok() ? gov : files.read(HostPaths.CPUIDLE_GOVERNOR)).fact("cpuidle governor"));
        return s.build();
    }
}
