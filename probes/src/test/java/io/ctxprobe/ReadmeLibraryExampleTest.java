package io.ctxprobe;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's library example is the invoker test's consumer, word for word, so the example people
 * copy is the one the build compiles and runs; and its coordinates name this build's version.
 */
class ReadmeLibraryExampleTest {

    private static final Path README = Path.of("..", "README.md");
    private static final Path EXAMPLE = Path.of("src/it/library-consumer/src/main/java/example/LibraryExample.java");

    @Test
    void theReadmeShowsTheConsumerThatTheInvokerTestRuns() throws Exception {
        String readme = Files.readString(README);
        String example = Files.readString(EXAMPLE);
        assertTrue(readme.contains("```java\n" + example + "```"),
                "README.md's library example differs from " + EXAMPLE + ": paste the file into the README's ```java block");
    }

    @Test
    void theReadmeNamesThisVersion() throws Exception {
        String version = System.getProperty("ctxprobe.version");
        assertNotNull(version, "surefire passes ctxprobe.version (probes/pom.xml)");
        String coordinates = "<artifactId>ctxprobe-probes</artifactId>\n  <version>" + version + "</version>";
        assertTrue(Files.readString(README).contains(coordinates), "README.md's Maven coordinates should read " + coordinates);
    }
}
