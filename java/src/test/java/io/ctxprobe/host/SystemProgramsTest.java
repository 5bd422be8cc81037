package io.ctxprobe.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Host-fact programs come from root's own directories, never from PATH. */
class SystemProgramsTest {

    @Test
    void aProgramIsFoundOnlyInTheSystemDirectoriesAndOwnedByRoot() throws Exception {
        Path sh = SystemPrograms.locate("sh"); // every Linux host has /bin/sh
        assertNotNull(sh, SystemPrograms.whyNot("sh"));
        assertTrue(SystemPrograms.DIRECTORIES.contains(sh.getParent()), sh.toString());
        assertEquals(0, (int) Files.getAttribute(sh.toRealPath(), "unix:uid"));
    }

    @Test
    void aProgramOutsideThemIsNotRunAndTheReasonSaysPathIsNotSearched() {
        String name = "ctxprobe-no-such-program";
        assertNull(SystemPrograms.locate(name));
        assertTrue(SystemPrograms.whyNot(name).contains("does not search PATH"), SystemPrograms.whyNot(name));
        CommandOutput out = CommandOutput.runSystem(ExternalSources.COMMAND_TIMEOUT, name);
        assertTrue(out.lines().isEmpty());
        assertEquals(SystemPrograms.whyNot(name), out.error());
    }
}
