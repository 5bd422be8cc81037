package io.ctxprobe.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class JsonRoundTripTest {
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void fixtureFactsRoundTrip() throws Exception {
        HostFacts f = FixtureCollectorTest.vm();
        String json = mapper.writeValueAsString(f);
        assertEquals(f, mapper.readValue(json, HostFacts.class));
    }

    @Test
    void liveFactsRoundTrip() throws Exception {
        HostFacts f = new HostFactsCollector(Path.of("/"), NativeFacts.NONE).collect();
        assertEquals(f, mapper.readValue(mapper.writeValueAsString(f), HostFacts.class));
    }

    /** Only record components become properties: no helper method leaks into the JSON. */
    @Test
    void propertiesAreExactlyTheComponents() throws Exception {
        JsonNode n = mapper.readTree(mapper.writeValueAsString(FixtureCollectorTest.vm()));
        assertEquals(Set.of("hostKey", "hostname", "topology", "sections", "summary"), names(n));
        assertEquals(Set.of("cpus", "physicalCores", "packages", "numaNodes", "smt"), names(n.get("topology")));
        assertEquals(Set.of("cpu", "coreId", "packageId", "node", "threadSiblings"),
                names(n.get("topology").get("cpus").get(0)));
        assertEquals(Set.of("name", "facts"), names(n.get("sections").get(0)));
        // A fact writes only what it has (an absent value, flag or number is absent): together they show every component.
        Set<String> factFields = new TreeSet<>();
        n.get("sections").forEach(section -> section.get("facts").forEach(f -> factFields.addAll(names(f))));
        assertEquals(Set.of("name", "value", "source", "flag", "number", "unit"), factFields);
        assertEquals(12, names(n.get("summary")).size());
    }

    private static Set<String> names(JsonNode n) {
        List<String> l = new ArrayList<>();
        n.fieldNames().forEachRemaining(l::add);
        return new TreeSet<>(l);
    }
}
