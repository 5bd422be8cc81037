package io.ctxprobe.report;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Objects;

/**
 * A figure computed from measured values rather than timed by a loop of its own: a switch net of its
 * mechanism, a cost per page over a baseline, a binding's share over the C loop, the share of CPU
 * time spent in the kernel, a spread between placements. It lives on the case it describes (the
 * case's {@code derived} list), so the number is typed data, not a sentence in the notes; a note may
 * still say it in words.
 *
 * <ul>
 *   <li>{@code label}: what the figure is, stable for a probe ("net of the mechanism"): tools match a
 *       derived value by (case key, label).</li>
 *   <li>{@code value}: the figure in {@code unit}; may be absent when only an interval is known.</li>
 *   <li>{@code low}, {@code high}: an interval the figure is known to lie in (a reach between two
 *       measured grid points, a bootstrap interval); either end may be absent (a bound).</li>
 *   <li>{@code from}: what it was computed from: case keys ("thread.switch/futex/solo"), param names
 *       of this case, or named inner measurements that are not cases ("counted round").</li>
 *   <li>{@code note}: prose where the number needs it (a rule, an explanation); optional.</li>
 *   <li>{@code reference}: a stated figure it is checked against (CPUID's TLB entry count), with the
 *       verdict of that check; optional.</li>
 * </ul>
 * At least one of value, low and high is present. A figure that cannot be computed is not added
 * (never a 0 or NaN): the case's notes say why where that is not obvious.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Derived(String label, Double value, Double low, Double high, String unit, List<String> from, String note,
                      Reference reference) {

    /** A figure stated elsewhere (CPUID, a data sheet, another tool) and what the derived value says of it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Reference(String label, double value, String source, String verdict) {
        public Reference {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(source, "source");
            if (!Double.isFinite(value)) throw new IllegalArgumentException(label + ": reference value " + value);
        }
    }

    public Derived {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(unit, "unit");
        if (value == null && low == null && high == null) {
            throw new IllegalArgumentException(label + ": a derived figure needs a value or an interval");
        }
        for (Double d : new Double[] {value, low, high}) {
            if (d != null && !Double.isFinite(d)) throw new IllegalArgumentException(label + ": not a finite number: " + d);
        }
        if (low != null && high != null && low > high) {
            throw new IllegalArgumentException(label + ": interval [" + low + ", " + high + "] is reversed");
        }
        from = from == null ? List.of() : List.copyOf(from);
    }

    /** A point figure computed from {@code from}. */
    public static Derived of(String label, double value, String unit, String... from) {
        return new Derived(label, value, null, null, unit, List.of(from), null, null);
    }

    /** An interval [low, high] (either end may be null: a bound), with an optional point estimate. */
    public static Derived interval(String label, Double value, Double low, Double high, String unit, String... from) {
        return new Derived(label, value, low, high, unit, List.of(from), null, null);
    }

    /** This figure with {@code text} as its note. */
    public Derived withNote(String text) {
        return new Derived(label, value, low, high, unit, from, text, reference);
    }

    /** This figure checked against a stated one. */
    public Derived withReference(Reference ref) {
        return new Derived(label, value, low, high, unit, from, note, ref);
    }
}
