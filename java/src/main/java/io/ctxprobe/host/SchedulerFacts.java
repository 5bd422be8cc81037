package io.ctxprobe.host;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * The scheduler facts the preemption probes (sched.slice, sched.wakeup) report beside their figures:
 * the kernel release, which fair scheduler it runs (CFS before 6.6, EEVDF from 6.6, or a sched_ext
 * BPF scheduler when one is loaded), HZ (the tick that bounds a slice without HRTICK), the preempt
 * model, EEVDF's base_slice_ns (in debugfs: read where mounted, said so where not), the SCHED_RR
 * quantum and the RT throttling budget. Every file through {@link HostFiles}; pure parsers below.
 */
public final class SchedulerFacts {
    private SchedulerFacts() {}

    public static final String RR_TIMESLICE = "/proc/sys/kernel/sched_rr_timeslice_ms";
    public static final String RT_RUNTIME = "/proc/sys/kernel/sched_rt_runtime_us";
    public static final String RT_PERIOD = "/proc/sys/kernel/sched_rt_period_us";
    public static final String CONFIG_GZ = "/proc/config.gz";
    public static final String DEBUG_SCHED = "/sys/kernel/debug/sched";
    public static final String BASE_SLICE = DEBUG_SCHED + "/base_slice_ns";
    public static final String MIN_GRANULARITY = DEBUG_SCHED + "/min_granularity_ns";
    public static final String SCHED_EXT_STATE = "/sys/kernel/sched_ext/state";
    public static final String SCHED_EXT_OPS = "/sys/kernel/sched_ext/root/ops";

    /**
     * What the probes use, typed; null where the host does not say (the matching fact says why).
     * {@code facts}: every one, with its source.
     */
    public record Snapshot(String release, String scheduler, Integer hz, String preemptModel, Long baseSliceNs,
                           Long rrTimesliceMs, Long rtRuntimeUs, Long rtPeriodUs, List<Fact> facts) {}

    public static Snapshot read(HostFiles files) {
        List<Fact> facts = new ArrayList<>();
        FileText release = files.read(HostPaths.OSRELEASE);
        facts.add(release.fact("kernel release"));
        KernelConfig config = config(files, release.first());

        FileText baseSlice = files.read(BASE_SLICE);
        boolean debugfs = files.exists(DEBUG_SCHED);
        Long baseSliceNs = baseSlice.ok() ? parseLong(baseSlice.first()) : null;
        String scheduler = scheduler(release.first(), debugfs, baseSlice.ok(), files.exists(MIN_GRANULARITY),
                files.read(SCHED_EXT_STATE).first(), files.read(SCHED_EXT_OPS).first());
        facts.add(Fact.of("fair scheduler", scheduler, release.source()));

        Integer hz = config.text == null ? null : parseConfigHz(config.text);
        facts.add(hz != null ? Fact.of("HZ", hz.toString(), config.source)
                : Fact.unavailable("HZ", config.source, config.text == null ? config.error : "no CONFIG_HZ= line"));

        Fact preempt = KernelFacts.preempt(files, files.read(HostPaths.VERSION), files.read(HostPaths.CMDLINE));
        String model = preempt.value();
        String configDefault = config.text == null ? null : parseConfigPreemptDefault(config.text);
        if (model != null && model.startsWith("dynamic") && configDefault != null) {
            model = model + "; the build's default mode: " + configDefault;
        }
        facts.add(model == null ? preempt : Fact.of("preempt model", model, preempt.source()));

        facts.add(baseSliceNs != null ? Fact.of("base_slice_ns", baseSliceNs.toString(), baseSlice.source())
                : Fact.unavailable("base_slice_ns", baseSlice.source(), debugfs ? baseSlice.error()
                        + " (this scheduler has no base slice)" : "debugfs is not mounted at /sys/kernel/debug "
                        + "(root: mount -t debugfs none /sys/kernel/debug); ctxprobe never mounts it"));
        Long rr = number(files, RR_TIMESLICE, "sched_rr_timeslice_ms", facts);
        Long runtime = number(files, RT_RUNTIME, "sched_rt_runtime_us", facts);
        Long period = number(files, RT_PERIOD, "sched_rt_period_us", facts);
        return new Snapshot(release.first(), scheduler, hz, model, baseSliceNs, rr, runtime, period, List.copyOf(facts));
    }

    private static Long number(HostFiles files, String path, String name, List<Fact> facts) {
        FileText t = files.read(path);
        Long v = t.ok() ? parseLong(t.first()) : null;
        facts.add(v != null ? Fact.of(name, v.toString(), t.source())
                : Fact.unavailable(name, t.source(), t.ok() ? "not a number: '" + t.first() + "'" : t.error()));
        return v;
    }

    /** The kernel's build configuration: /proc/config.gz (gzip), else /boot/config-RELEASE; or why neither. */
    private record KernelConfig(List<String> text, String source, String error) {}

    private static KernelConfig config(HostFiles files, String release) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(files.resolve(CONFIG_GZ)))) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            in.transferTo(bytes);
            return new KernelConfig(bytes.toString(StandardCharsets.ISO_8859_1).lines().toList(),
                    HostFiles.source(CONFIG_GZ), null);
        } catch (IOException | RuntimeException e) {
            String gzWhy = files.exists(CONFIG_GZ) ? "unreadable " + CONFIG_GZ : "no " + CONFIG_GZ;
            if (release == null) return new KernelConfig(null, HostFiles.source(CONFIG_GZ), gzWhy);
            FileText boot = files.read("/boot/config-" + release);
            return boot.ok() ? new KernelConfig(boot.lines(), boot.source(), null)
                    : new KernelConfig(null, boot.source(), gzWhy + " and " + boot.error());
        }
    }

    // ---- pure parsers -------------------------------------------------------------------------------

    /** Pure: "6.18.44-fc" -> {6, 18}; null when it does not start with two numbers. */
    static int[] parseKernelVersion(String release) {
        if (release == null) return null;
        String[] parts = release.trim().split("[.\\-+]", 3);
        try {
            return parts.length < 2 ? null : new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Pure: which fair-class scheduler runs. A sched_ext BPF scheduler takes over when its state is
     * "enabled"; otherwise EEVDF from Linux 6.6 (base_slice_ns in debugfs), CFS before
     * (min_granularity_ns); the debugfs evidence is named where mounted.
     */
    static String scheduler(String release, boolean debugfs, boolean baseSlice, boolean minGranularity, String extState,
                            String extOps) {
        if ("enabled".equals(extState)) {
            return "sched_ext: BPF scheduler " + (extOps == null || extOps.isEmpty() ? "(name unknown)" : extOps);
        }
        int[] v = parseKernelVersion(release);
        String byVersion = v == null ? null : (v[0] > 6 || (v[0] == 6 && v[1] >= 6)) ? "EEVDF" : "CFS";
        String evidence = !debugfs ? "by version; debugfs not mounted"
                : baseSlice ? "debugfs has base_slice_ns" : minGranularity ? "debugfs has min_granularity_ns" : "by version";
        String byFiles = baseSlice ? "EEVDF" : minGranularity ? "CFS" : null;
        String name = byFiles != null ? byFiles : byVersion;
        if (name == null) return "unknown (release '" + release + "')";
        String versionPart = v == null ? "" : String.format(Locale.ROOT, "Linux %d.%d, ", v[0], v[1]);
        return name + " (" + versionPart + evidence + ")";
    }

    /** Pure: CONFIG_HZ=250 -> 250; null when absent. */
    static Integer parseConfigHz(List<String> config) {
        for (String l : config) {
            if (l.startsWith("CONFIG_HZ=")) {
                Long v = parseLong(l.substring("CONFIG_HZ=".length()));
                return v == null ? null : v.intValue();
            }
        }
        return null;
    }

    /** Pure: the preempt mode a PREEMPT_DYNAMIC build boots in without preempt=: none, voluntary, full, lazy. */
    static String parseConfigPreemptDefault(List<String> config) {
        for (String[] c : new String[][] {{"CONFIG_PREEMPT_NONE=y", "none"}, {"CONFIG_PREEMPT_VOLUNTARY=y", "voluntary"},
            {"CONFIG_PREEMPT=y", "full"}, {"CONFIG_PREEMPT_LAZY=y", "lazy"}, {"CONFIG_PREEMPT_RT=y", "rt"}}) {
            if (config.contains(c[0])) return c[1] + " (" + c[0] + ")";
        }
        return null;
    }

    static Long parseLong(String s) {
        if (s == null) return null;
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
