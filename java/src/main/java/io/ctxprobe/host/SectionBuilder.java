package io.ctxprobe.host;

import java.util.ArrayList;
import java.util.List;

/** Collects the facts of one section in order. */
final class SectionBuilder {
    private final String name;
    private final List<Fact> facts = new ArrayList<>();

    SectionBuilder(String name) {
        this.name = name;
    }

    SectionBuilder add(Fact f) {
        facts.add(f);
        return this;
    }

    SectionBuilder add(String factName, String value, String source) {
        return add(Fact.of(factName, value, source));
    }

    SectionBuilder unavailable(String factName, String source, String reason) {
        return add(Fact.unavailable(factName, source, reason));
    }

    List<Fact> facts() {
        return facts;
    }

    FactSection build() {
        return new FactSection(name, facts);
    }
}
