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
    void thisHostIsASupportedPlatform() {
        assertTrue(NativeLibrary.isSupportedPlatform(), NativeLibrary.platformProblem());
        assertEquals("io/ctxprobe/native/" + Arch.current().resourceDir() + "/libctxprobe.so", NativeLibrary.RESOURCE);
        assertEquals("io/ctxprobe/native/linux-aarch64/ctxprobe-helper",
                NativeLibrary.resource(Arch.AARCH64, "ctxprobe-helper"));
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
        Path foreign = Files.write(tmp.resolve("libctxprobe-bogus.so"), foreignElfWithoutExecStack());
        NativeLibraryException e = assertThrows(NativeLibraryException.class, () -> NativeLibrary.load(foreign));
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
        assertFalse(Statvfs.isNoexec(tmp)); // the build's temp dir runs code (JNA too)
        String problem = PrivateDirectory.problemWith(tmp);
        assertEquals(null, problem);
    }

    /**
     * An ELF header for another machine (aarch64), which dlopen refuses here, with one program header
     * saying the stack is not executable. A file that is not ELF at all is refused too, but HotSpot
     * cannot find its PT_GNU_STACK and warns on stderr that the library "might have disabled stack guard".
     */
    private static byte[] foreignElfWithoutExecStack() {
        java.nio.ByteBuffer elf = java.nio.ByteBuffer.allocate(64 + 56).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        elf.put(new byte[] {0x7f, 'E', 'L', 'F', 2 /* 64-bit */, 1 /* little-endian */, 1 /* version */});
        elf.position(16);
        elf.putShort((short) 3);          // e_type ET_DYN
        elf.putShort((short) 183);        // e_machine EM_AARCH64
        elf.putInt(1);                    // e_version
        elf.putLong(0);                   // e_entry
        elf.putLong(64);                  // e_phoff: right after this header
        elf.putLong(0);                   // e_shoff
        elf.putInt(0);                    // e_flags
        elf.putShort((short) 64);         // e_ehsize
        elf.putShort((short) 56);         // e_phentsize
        elf.putShort((short) 1);          // e_phnum
        elf.putShort((short) 64);         // e_shentsize
        elf.putShort((short) 0);          // e_shnum
        elf.putShort((short) 0);          // e_shstrndx
        elf.putInt(0x6474e551);           // p_type PT_GNU_STACK
        elf.putInt(4 | 2);                // p_flags PF_R | PF_W: no PF_X
        return elf.array();               // the rest of the program header: zeros
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
