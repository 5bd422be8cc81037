package io.ctxprobe.host;

/**
 * Every host-wide file ctxprobe reads, as an absolute path. {@link HostFiles} resolves them under a
 * root that tests redirect to a fixture tree. (A child's /proc/&lt;pid&gt; and this process's own
 * threads are read live where they are measured, not from here.)
 */
public final class HostPaths {
    private HostPaths() {
    }

    public static final String CPUINFO = "/proc/cpuinfo";
    public static final String VERSION = "/proc/version";
    public static final String CMDLINE = "/proc/cmdline";
    public static final String STAT = "/proc/stat";
    public static final String MEMINFO = "/proc/meminfo";
    public static final String SELF_STATUS = "/proc/self/status";
    public static final String SELF_CGROUP = "/proc/self/cgroup";
    public static final String SELF_MOUNTS = "/proc/self/mounts";
    public static final String SELF_SMAPS = "/proc/self/smaps";
    public static final String SELF_SMAPS_ROLLUP = "/proc/self/smaps_rollup";
    public static final String OSRELEASE = "/proc/sys/kernel/osrelease";
    public static final String HOSTNAME = "/proc/sys/kernel/hostname";
    public static final String PERF_EVENT_PARANOID = "/proc/sys/kernel/perf_event_paranoid";
    public static final String SCHED_AUTOGROUP = "/proc/sys/kernel/sched_autogroup_enabled";
    public static final String NR_HUGEPAGES = "/proc/sys/vm/nr_hugepages";

    public static final String SYS_CPU = "/sys/devices/system/cpu";
    public static final String CPU_ONLINE = SYS_CPU + "/online";
    public static final String CPU_ISOLATED = SYS_CPU + "/isolated";
    public static final String CPU_NOHZ_FULL = SYS_CPU + "/nohz_full";
    public static final String SMT_ACTIVE = SYS_CPU + "/smt/active";
    public static final String VULNERABILITIES = SYS_CPU + "/vulnerabilities";
    public static final String CPU0_CACHE = SYS_CPU + "/cpu0/cache";
    public static final String CPUFREQ = SYS_CPU + "/cpufreq";
    public static final String CPUIDLE_DRIVER = SYS_CPU + "/cpuidle/current_driver";
    public static final String CPUIDLE_GOVERNOR_RO = SYS_CPU + "/cpuidle/current_governor_ro";
    public static final String CPUIDLE_GOVERNOR = SYS_CPU + "/cpuidle/current_governor";
    public static final String SYS_NODE = "/sys/devices/system/node";
    public static final String CLOCKSOURCE = "/sys/devices/system/clocksource/clocksource0";
    public static final String THP = "/sys/kernel/mm/transparent_hugepage";
    public static final String DEBUG_SCHED_PREEMPT = "/sys/kernel/debug/sched/preempt";
    public static final String SYS_HYPERVISOR_TYPE = "/sys/hypervisor/type";
    public static final String DMI = "/sys/class/dmi/id";
    public static final String EVENT_SOURCES = "/sys/bus/event_source/devices";
    public static final String CGROUP_ROOT = "/sys/fs/cgroup";

    public static final String MACHINE_ID = "/etc/machine-id";
    public static final String DBUS_MACHINE_ID = "/var/lib/dbus/machine-id";
    public static final String ETC_HOSTNAME = "/etc/hostname";

    public static String cpu(int n) {
        return SYS_CPU + "/cpu" + n;
    }
}
