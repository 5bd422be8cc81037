package io.ctxprobe.bench;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * JDK 23+ javac ignores annotation processors on the class path: without annotationProcessorPaths
 * JMH generates no benchmarks and the jar runs nothing. This fails the build instead.
 */
class BenchmarkListTest {

    @Test
    void jmhGeneratedTheBenchmarkList() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/META-INF/BenchmarkList")) {
            assertNotNull(in, "META-INF/BenchmarkList is missing: JMH's annotation processor did not run");
            String list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(list.contains("B01_NullSyscallCrossing_ffmDowncall_jmhTest"), list);
            assertTrue(list.contains("B02_FiberSwitch_switchBatch_jmhTest"), list);
        }
    }
}
