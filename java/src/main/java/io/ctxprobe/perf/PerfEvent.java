package io.ctxprobe.perf;

/**
 * The event catalogue: every event ctxprobe counts, as one table (async-profiler's way), with
 * the perf tool's display name. Software events are counted by the kernel and work without a
 * PMU; hardware and hw-cache events need one (a VM without a virtual PMU answers ENOENT).
 */
public enum PerfEvent {
    //                 display name              kind            type                 config
    TASK_CLOCK("task-clock", Kind.SOFTWARE, Type.SOFTWARE, 1),
    PAGE_FAULTS("page-faults", Kind.SOFTWARE, Type.SOFTWARE, 2),
    CONTEXT_SWITCHES("context-switches", Kind.SOFTWARE, Type.SOFTWARE, 3),
    CPU_MIGRATIONS("cpu-migrations", Kind.SOFTWARE, Type.SOFTWARE, 4),
    CYCLES("cycles", Kind.HARDWARE, Type.HARDWARE, 0),
    INSTRUCTIONS("instructions", Kind.HARDWARE, Type.HARDWARE, 1),
    CACHE_MISSES("cache-misses", Kind.HARDWARE, Type.HARDWARE, 3),
    BRANCH_MISSES("branch-misses", Kind.HARDWARE, Type.HARDWARE, 5),
    DTLB_LOAD_MISSES("dTLB-load-misses", Kind.HARDWARE, Type.HW_CACHE,
            Type.CACHE_DTLB | (Type.CACHE_OP_READ << 8) | (Type.CACHE_RESULT_MISS << 16)),
    ITLB_LOAD_MISSES("iTLB-load-misses", Kind.HARDWARE, Type.HW_CACHE,
            Type.CACHE_ITLB | (Type.CACHE_OP_READ << 8) | (Type.CACHE_RESULT_MISS << 16));

    /** Who counts: the kernel's software counters, the PMU, or a kernel tracepoint (see PerfEventSpec). */
    public enum Kind {
        SOFTWARE, HARDWARE, TRACEPOINT
    }

    /** perf_type_id values and hw-cache config parts (linux/perf_event.h). */
    public static final class Type {
        private Type() {}

        public static final int HARDWARE = 0;
        public static final int SOFTWARE = 1;
        public static final int TRACEPOINT = 2;
        public static final int HW_CACHE = 3;
        public static final int RAW = 4;

        public static final long CACHE_DTLB = 3;
        public static final long CACHE_ITLB = 4;
        public static final long CACHE_OP_READ = 0;
        public static final long CACHE_RESULT_MISS = 1;
    }

    private final String displayName;
    private final Kind kind;
    private final int type;
    private final long config;

    PerfEvent(String displayName, Kind kind, int type, long config) {
        this.displayName = displayName;
        this.kind = kind;
        this.type = type;
        this.config = config;
    }

    /** The perf tool's name, e.g. {@code "context-switches"}. */
    public String displayName() {
        return displayName;
    }

    public Kind kind() {
        return kind;
    }

    /** perf_event_attr.type */
    public int type() {
        return type;
    }

    /** perf_event_attr.config */
    public long config() {
        return config;
    }

    public static PerfEvent byDisplayName(String name) {
        for (PerfEvent e : values()) {
            if (e.displayName.equals(name)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown perf event '" + name + "'");
    }
}
