package io.ctxprobe.cli;

import io.ctxprobe.probe.Probe;
import io.ctxprobe.probes.ProbeRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ProbeRegistryGlobTest {

    @Test
    void globsSelectByIdInRegistryOrder() {
        assertEquals(List.of("fiber.switch", "thread.switch"),
                ProbeRegistry.select(List.of("*.switch")).stream().map(Probe::id).toList());
        assertEquals(List.of("syscall.null"), ProbeRegistry.select(List.of("syscall.null", "sys*")).stream().map(Probe::id).toList());
        assertEquals(ProbeRegistry.ids().size(), ProbeRegistry.select(List.of()).size());
    }

    @Test
    void unknownIdNamesItself() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProbeRegistry.select(List.of("proc.x")));
        assertEquals(true, e.getMessage().startsWith("unknown probe 'proc.x'"));
    }
}
