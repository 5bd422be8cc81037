package io.ctxprobe.host;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One host fact: a name, its value as text, where it came from, a flag, and where the fact is a
 * number (a size, a count, a level), that number with its unit.
 *
 * <p>{@code source} names the origin: {@code "sysfs:/sys/..."}, {@code "procfs:/proc/cpuinfo"},
 * {@code "oshi"}, {@code "cpuid:0x40000000"}, {@code "getconf"}, {@code "dmesg"},
 * {@code "perf_event_open"}, {@code "jvm"}. {@code flag} is null unless the fact is notable:
 * {@code "implausible: ..."} or {@code "unavailable: <reason>"}. An unavailable fact has a null
 * value: a fact that could not be read is never given a default.
 *
 * <p>{@code number} and {@code unit} sit beside the display text, never instead of it: "1 MiB,
 * 8-way, 64 B lines" carries 1048576 "B"; "0-1 (2)" carries 2 "CPUs"; "3072, 8-way" carries 3072
 * "entries". Units: {@code B} (bytes), {@code CPUs}, {@code cores}, {@code packages}, {@code nodes},
 * {@code entries}, {@code pages}, {@code level} (a setting such as perf_event_paranoid), {@code count}.
 * Both are absent where the fact is not a number.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Fact(String name, String value, String source, String flag, Double number, String unit) {

    static final String UNAVAILABLE = "unavailable: ";
    static final String IMPLAUSIBLE = "implausible: ";

    /** A fact that is not a number. */
    public Fact(String name, String value, String source, String flag) {
        this(name, value, source, flag, null, null);
    }

    public Fact {
        if ((number == null) != (unit == null)) {
            throw new IllegalArgumentException(name + ": a number needs its unit and a unit its number");
        }
        if (number != null && !Double.isFinite(number)) throw new IllegalArgumentException(name + ": number " + number);
    }

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
        return available() ? new Fact(name, value, source, IMPLAUSIBLE + why, number, unit) : this;
    }

    /** This fact carrying {@code n} in {@code numberUnit} beside its text (an unavailable fact stays without). */
    public Fact withNumber(double n, String numberUnit) {
        return available() ? new Fact(name, value, source, flag, n, numberUnit) : this;
    }

    /** This fact with the number {@code n} where {@code n} is not null; unchanged otherwise. */
    public Fact withNumber(Number n, String numberUnit) {
        return n == null ? this : withNumber(n.doubleValue(), numberUnit);
    }
}
