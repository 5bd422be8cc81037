package io.ctxprobe.host;

/**
 * Every host file ctxprobe reads, as an absolute path. {@link HostFiles} resolves them under a root
 * that tests redirect to a fixture tree.
 */
final class HostPaths {
    private HostPaths() {
    }

    static final String CPUINFO = "/proc/cpuinfo";
    static final String VERSION = "/proc/version";
    static final String CMDLINE = "/proc/cmdline";
    static final String STAT = "/proc/stat";
    static final String MEMINFO = "/proc/meminfo";
    static final String SELF_STATUS = "/proc/self/status";
    static final String SELF_CGROUP = "/proc/self/cgroup";
    static final String SELF_MOUNTS = "/proc/self/mounts";
    static final String SELF_SMAPS = "/proc/self/smaps";
    static final String OSRELEASE = "/proc/sys/kernel/osrelease";
    static final String HOSTNAME = "/proc/sys/kernel/hostname";
    static final String PERF_EVENT_PARANOID = "/proc/sys/kernel/perf_event_paranoid";
    static final String SCHED_AUTOGROUP = "/proc/sys/kernel/sched_autogroup_enabled";

    static final String SYS_CPU = "/sys/devices/system/cpu";
    static final String CPU_ONLINE = SYS_CPU + "/online";
    static final String CPU_ISOLATED = SYS_CPU + "/isolated";
    static final String CPU_NOHZ_FULL = SYS_CPU + "/nohz_full";
    static final String SMT_ACTIVE = SYS_CPU + "/smt/active";
    static final String VULNERABILITIES = SYS_CPU + "/vulnerabilities";
    static final String CPU0_CACHE = SYS_CPU + "/cpu0/cache";
    static final String CPUFREQ = SYS_CPU + "/cpufreq";
    static final String CPUIDLE_DRIVER = SYS_CPU + "/cpuidle/current_driver";
    static final String CPUIDLE_GOVERNOR_RO = SYS_CPU + "/cpuidle/current_governor_ro";
    static final String CPUIDLE_GOVERNOR = SYS_CPU + "/cpuidle/current_governor";
    static final String SYS_NODE = "/sys/devices/system/node";
    static final String CLOCKSOURCE = "/sys/devices/system/clocksource/clocksource0";
    static final String THP = "/sys/kernel/mm/transparent_hugepage";
    static final String DEBUG_SCHED_PREEMPT = "/sys/kernel/debug/sched/preempt";
    static final String SYS_HYPERVISOR_TYPE = "/sys/hypervisor/type";
    static final String DMI = "/sys/class/dmi/id";
    static final String EVENT_SOURCES = "/sys/bus/event_source/devices";
    static final String CGROUP_ROOT = "/sys/fs/cgroup";

    static final String MACHINE_ID = "/etc/machine-id";
    static final String DBUS_MACHINE_ID = "/var/lib/dbus/machine-id";
    static final String ETC_HOSTNAME = "/etc/hostname";

    static String cpu(int n) {
        return SYS_CPU + "/cpu" + n;
    }
}
