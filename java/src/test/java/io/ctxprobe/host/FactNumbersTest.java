package io.ctxprobe.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Facts that are numbers carry them typed beside their text (the vm-2cpu fixture tree). */
class FactNumbersTest {

    private static Fact fact(HostFacts f, String section, String name) {
        return f.fact(section, name).orElseThrow(() -> new AssertionError("no fact " + section + "/" + name));
    }

    private static void number(HostFacts f, String section, String name, double expected, String unit) {
        Fact fact = fact(f, section, name);
        assertEquals(expected, fact.number(), 0, fact.toString());
        assertEquals(unit, fact.unit(), fact.toString());
    }

    @Test
    void countsSizesAndLevelsAreNumbers() {
        HostFacts f = FixtureCollectorTest.vm();
        number(f, "topology", "online CPUs", 2, "CPUs");
        number(f, "topology", "physical cores", 2, "cores");
        number(f, "topology", "packages", 1, "packages");
        number(f, "topology", "NUMA nodes", 1, "nodes");
        number(f, "memory", "page size", 4096, "B");
        number(f, "perf", "perf_event_paranoid", 2, "level");
        // An implausible size keeps its number (the flag says why not to trust it), the text keeps "508 MiB".
        number(f, "caches", "L3 (getconf)", 508L << 20, "B");
        Fact hypervisor = fact(f, "virtualization", "hypervisor");
        assertNull(hypervisor.number(), "a yes/no fact is no number");
        assertNull(hypervisor.unit());
    }

    @Test
    void cpuinfoSizesParseOrStayText() {
        assertEquals(1024L * 1024, CacheFacts.leadingNumber("1024 KB", "KB", 1024));
        assertEquals(3584L, CacheFacts.leadingNumber("3584 4K pages", "4K pages", 1));
        assertNull(CacheFacts.leadingNumber("several KB", "KB", 1024));
        assertNull(CacheFacts.leadingNumber("", "KB", 1024));
    }

    @Test
    void anUnavailableFactTakesNoNumber() {
        Fact f = Fact.unavailable("x", "s", "gone").withNumber(3, "CPUs");
        assertNull(f.number());
    }
}
