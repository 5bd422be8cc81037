package io.ctxprobe.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MicroarchitectureTest {

    private static String amd(int family, int model) {
        return Microarchitecture.decode("AuthenticAMD", family, model, 0);
    }

    private static String intel(int model, Integer stepping) {
        return Microarchitecture.decode("GenuineIntel", 6, model, stepping);
    }

    @Test
    void amdZenFamilies() {
        assertEquals("Zen 5", amd(0x1a, 0x02), "this VM: EPYC Turin");
        assertEquals("Zen 5", amd(0x1a, 0x44));
        assertEquals("Zen 4", amd(0x19, 0x11));
        assertEquals("Zen 4", amd(0x19, 0x61));
        assertEquals("Zen 3", amd(0x19, 0x01));
        assertEquals("Zen 3", amd(0x19, 0x21));
        assertEquals("Zen 3+", amd(0x19, 0x44));
        assertEquals("Zen 2", amd(0x17, 0x31));
        assertEquals("Zen 2", amd(0x17, 0x71));
        assertEquals("Zen+", amd(0x17, 0x08));
        assertEquals("Zen", amd(0x17, 0x01));
        assertEquals("unknown", amd(0x17, 0xf0));
        assertEquals("unknown", amd(0x15, 0x02), "Bulldozer family is not in the table");
    }

    @Test
    void intelFamily6() {
        assertEquals("Skylake", intel(0x5e, 3));
        assertEquals("Skylake-SP", intel(0x55, 4));
        assertEquals("Cascade Lake", intel(0x55, 7));
        assertEquals("Ice Lake-SP", intel(0x6a, 6));
        assertEquals("Sapphire Rapids", intel(0x8f, 8));
        assertEquals("Emerald Rapids", intel(0xcf, 2));
        assertEquals("Granite Rapids", intel(0xad, 1));
        assertEquals("Alder Lake", intel(0x97, 2));
        assertEquals("Raptor Lake", intel(0xb7, 1));
        assertEquals("Meteor Lake", intel(0xaa, 4));
        assertEquals("unknown", intel(0x01, 0));
    }

    @Test
    void missingInputsAreUnknown() {
        assertEquals("unknown", Microarchitecture.decode(null, 6, 0x55, 4));
        assertEquals("unknown", Microarchitecture.decode("GenuineIntel", 6, null, null));
        assertEquals("unknown", Microarchitecture.decode("CentaurHauls", 6, 0x0f, 0));
        assertEquals("unknown", Microarchitecture.decode("GenuineIntel", 19, 0x01, 0));
    }
}
