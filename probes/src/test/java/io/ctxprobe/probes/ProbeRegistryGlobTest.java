package io.ctxprobe.probes;

import io.ctxprobe.probe.Probe;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProbeRegistryGlobTest {

    @Test
    void globsSelectByIdInRegistryOrder() {
        List<String> switches = ProbeRegistry.select(List.of("*.switch")).stream().map(Probe::id).toList();
        assertEquals(ProbeRegistry.ids().stream().filter(id -> id.endsWith(".switch")).toList(), switches);
        assertTrue(switches.contains("thread.switch") && switches.contains("process.switch"), switches.toString());
        // An id named twice (itself and through a glob) is selected once, in registry order.
        assertEquals(ProbeRegistry.ids().stream().filter(id -> id.startsWith("sys")).toList(),
                ProbeRegistry.select(List.of("syscall.null", "sys*")).stream().map(Probe::id).toList());
        assertEquals(ProbeRegistry.ids().size(), ProbeRegistry.select(List.of()).size());
    }

    @Test
    void unknownIdNamesItself() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProbeRegistry.select(List.of("proc.x")));
        assertEquals(true, e.getMessage().startsWith("unknown probe 'proc.x'"));
    }
}
