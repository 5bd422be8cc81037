package io.ctxprobe.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CacheFlagTest {

    private static List<Fact> flag(CacheInfo... bySource) {
        List<Fact> facts = new ArrayList<>();
        Map<Fact, CacheInfo> sized = new LinkedHashMap<>();
        String[] tags = {"sysfs", "getconf", "cpuid"};
        for (int i = 0; i < bySource.length; i++) {
            Fact f = Fact.of(bySource[i].label() + " (" + tags[i] + ")", bySource[i].describe(), tags[i]);
            facts.add(f);
            sized.put(f, bySource[i]);
        }
        return CacheFacts.flag(facts, sized);
    }

    private static CacheInfo l2(long bytes) {
        return new CacheInfo(2, "Unified", bytes, "8-way", 64, null);
    }

    @Test
    void agreeingSourcesAreNotFlagged() {
        flag(l2(1 << 20), l2(1 << 20)).forEach(f -> assertNull(f.flag(), f.toString()));
        flag(l2(1 << 20), l2(2 << 20)).forEach(f -> assertNull(f.flag(), "exactly 2x is within bounds"));
    }

    @Test
    void sourcesMoreThanTwiceApartAreFlagged() {
        List<Fact> out = flag(l2(1 << 20), l2(4 << 20));
        assertEquals(2, out.size());
        out.forEach(f -> assertTrue(f.flag().startsWith("implausible: sources disagree by more than 2x"), f.flag()));
        assertTrue(out.getFirst().flag().contains("L2 (getconf) 4 MiB"), out.getFirst().flag());
    }

    @Test
    void sizesNoPartHasAreFlagged() {
        assertTrue(flag(new CacheInfo(1, "Data", 2L << 20, null, 64, null)).getFirst().flag()
                .startsWith("implausible: L1d larger than 1 MiB"));
        assertNull(flag(new CacheInfo(3, "Unified", 256L << 20, null, 64, null)).getFirst().flag(),
                "256 MiB is still possible per package");
    }

    @Test
    void unavailableFactsKeepTheirReason() {
        Fact u = Fact.unavailable("caches (sysfs)", "sysfs:/x", "no dir");
        assertEquals(u, u.implausible("anything"));
    }
}
