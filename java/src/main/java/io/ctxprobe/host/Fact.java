package io.ctxprobe.host;

/**
 * One host fact: a name, its value as text, where it came from, and a flag.
 *
 * <p>{@code source} names the origin: {@code "sysfs:/sys/..."}, {@code "procfs:/proc/cpuinfo"},
 * {@code "oshi"}, {@code "cpuid:0x40000000"}, {@code "getconf"}, {@code "dmesg"},
 * {@code "perf_event_open"}, {@code "jvm"}. {@code flag} is null unless the fact is notable:
 * {@code "implausible: ..."} or {@code "unavailable: <reason>"}. An unavailable fact has a null
 * value: a fact that could not be read is never given a default.
 */
public record Fact(String name, String value, String source, String flag) {

    static final String UNAVAILABLE = "unavailable: ";
    static final String IMPLAUSIBLE = "implausible: ";

    public static Fact of(String name, String value, String source) {
        return new Fact(name, value, source, null);
    }

    public static Fact of(String name, String value, String source, String flag) {
        return new Fact(name, value, source, flag);
    }

    public static Fact unavailable(String name, String source, String reason) {
        return new Fact(name, null, source, UNAVAILABLE + reason);
    }

    /** True when the fact has a value (no "unavailable" flag). Not a bean getter: Jackson ignores it. */
    public boolean available() {
        return flag == null || !flag.startsWith(UNAVAILABLE);
    }

    /** This fact with an "implausible: why" flag (an unavailable fact keeps its own flag). */
    public Fact implausible(String why) {
        return available() ? new Fact(name, value, source, IMPLAUSIBLE + why) : this;
    }
}
