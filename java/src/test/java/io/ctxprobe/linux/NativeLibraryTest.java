package io.ctxprobe.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeLibraryTest {
    @TempDir
    Path tmp;

    @Test
    void thisHostIsLinuxX8664() {
        assertTrue(NativeLibrary.isLinuxX8664(), NativeLibrary.platformProblem());
    }

    @Test
    void extractsToTheConfiguredDirectoryPrivatelyAndByHash() throws Exception {
        Path dir = tmp.resolve("configured/native");
        String old = System.getProperty(NativeLibrary.DIR_PROPERTY);
        System.setProperty(NativeLibrary.DIR_PROPERTY, dir.toString());
        try {
            assertEquals(dir, NativeLibrary.extractionDirectory());
            assertEquals("rwx------", perms(dir));
            Path so = NativeLibrary.extract(NativeLibrary.extractionDirectory());
            assertEquals(dir.toAbsolutePath(), so.getParent());
            assertTrue(so.getFileName().toString().matches("libctxprobe-[0-9a-f]{16}\\.so"), so.toString());
            // Same content, same name: a second extraction reuses the file.
            assertEquals(so, NativeLibrary.extract(dir));
            try (var files = Files.list(dir)) {
                assertEquals(1, files.count(), "no temporary file left behind");
            }
            SymbolLookup lookup = NativeLibrary.load(so);
            assertTrue(lookup.find("ctxprobe_pingpong_main").isPresent());
        } finally {
            restore(old);
        }
    }

    @Test
    void aBadConfiguredDirectoryIsNamedWithTheProperty() throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        Path bad = file.resolve("native");
        String old = System.getProperty(NativeLibrary.DIR_PROPERTY);
        System.setProperty(NativeLibrary.DIR_PROPERTY, bad.toString());
        try {
            NativeLibraryException e = assertThrows(NativeLibraryException.class, NativeLibrary::extractionDirectory);
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
            assertTrue(e.getMessage().contains(NativeLibrary.DIR_PROPERTY), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        } finally {
            restore(old);
        }
    }

    @Test
    void aLibraryTheLoaderRefusesNamesTheDirectoryAndTheProperty() throws Exception {
        // What dlopen says on a noexec mount differs, but the message must route the user the same way.
        Path notElf = Files.writeString(tmp.resolve("libctxprobe-bogus.so"), "not an ELF file");
        NativeLibraryException e = assertThrows(NativeLibraryException.class, () -> NativeLibrary.load(notElf));
        assertTrue(e.getMessage().contains("'" + tmp + "'"), e.getMessage());
        assertTrue(e.getMessage().contains(NativeLibrary.DIR_PROPERTY), e.getMessage());
        assertTrue(e.getMessage().contains("noexec"), e.getMessage());
    }

    @Test
    void theLoadedLibraryHasOurAbi() {
        assertEquals(NativeCore.ABI_VERSION, NativeCore.abiVersion());
        assertTrue(Files.isRegularFile(NativeLibrary.path()));
    }

    @Test
    void noexecDetectionReadsTheMountFlags() {
        assertFalse(NativeLibrary.Statvfs.isNoexec(tmp)); // the build's temp dir runs code (JNA too)
        String problem = NativeLibrary.problemWith(tmp);
        assertEquals(null, problem);
    }

    private static String perms(Path p) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void restore(String old) {
        if (old == null) {
            System.clearProperty(NativeLibrary.DIR_PROPERTY);
        } else {
            System.setProperty(NativeLibrary.DIR_PROPERTY, old);
        }
    }
}
