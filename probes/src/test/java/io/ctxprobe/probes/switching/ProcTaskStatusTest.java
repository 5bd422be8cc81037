package io.ctxprobe.probes.switching;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcTaskStatusTest {

    @Test
    void parsesBothCountsFromAStatusFile() {
        List<String> lines = List.of("Name:\tctxp-jping", "State:\tS (sleeping)", "Tgid:\t4242",
                "Cpus_allowed_list:\t0", "voluntary_ctxt_switches:\t1234", "nonvoluntary_ctxt_switches:\t7");
        assertEquals(new ProcTaskStatus.Switches(1234, 7), ProcTaskStatus.parse(lines));
    }

    @Test
    void aMissingOrMalformedLineIsAnErrorNamingIt() {
        var missing = assertThrows(IllegalArgumentException.class,
                () -> ProcTaskStatus.parse(List.of("voluntary_ctxt_switches:\t3")));
        assertTrue(missing.getMessage().contains("nonvoluntary_ctxt_switches"), missing.getMessage());
        var empty = assertThrows(IllegalArgumentException.class, () -> ProcTaskStatus.parse(List.of()));
        assertTrue(empty.getMessage().contains("voluntary_ctxt_switches"), empty.getMessage());
        var bad = assertThrows(IllegalArgumentException.class, () -> ProcTaskStatus.parse(
                List.of("voluntary_ctxt_switches:\tx", "nonvoluntary_ctxt_switches:\t1")));
        assertTrue(bad.getMessage().contains("not a number"), bad.getMessage());
        var truncated = assertThrows(IllegalArgumentException.class, () -> ProcTaskStatus.parse(
                List.of("voluntary_ctxt_switches:\t12", "nonvoluntary_ctxt_switches:")));
        assertTrue(truncated.getMessage().contains("nonvoluntary_ctxt_switches"), truncated.getMessage());
    }

    @Test
    void deltasOverAWindow() {
        var d = new ProcTaskStatus.Switches(10, 3).minus(new ProcTaskStatus.Switches(4, 1));
        assertEquals(new ProcTaskStatus.Switches(6, 2), d);
    }

    @Test
    void readsThisThreadOnTheLiveHost() {
        int tid = io.ctxprobe.binding.Binding.ffm().gettid();
        ProcTaskStatus.Switches s = ProcTaskStatus.read(tid);
        assertTrue(s.voluntary() >= 0 && s.involuntary() >= 0);
    }
}
