package io.ctxprobe.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Only ctxprobe's own native code ever runs: a planted library or helper with the right name and
 * size is replaced, never loaded or executed; a directory another user could change is refused with
 * its reason. The planted files are real (a shared object whose constructor writes a marker, a
 * script that writes one), and each test first proves its plant would have run.
 */
class NativeCodeSafetyTest {
    @TempDir
    Path tmp;

    @Test
    void aPlantedLibraryOfTheRightSizeIsReplacedAndNeverLoaded() throws Exception {
        byte[] real = packaged(NativeLibrary.RESOURCE);
        Path ranMarker = tmp.resolve("control-library-ran");
        Path plantMarker = tmp.resolve("planted-library-ran");
        // Control: the same kind of object, loaded directly, does run its constructor.
        SymbolLookup.libraryLookup(compileLibraryWritingMarker(ranMarker, "control"), Arena.global());
        assertTrue(Files.exists(ranMarker), "the planted kind of library runs code when loaded");

        Path dir = privateDir("native");
        Path planted = compileLibraryWritingMarker(plantMarker, "planted");
        Path target = dir.resolve(nameFor("libctxprobe-", real, ".so"));
        Files.write(target, padded(Files.readAllBytes(planted), real.length));
        assertEquals(real.length, Files.size(target), "the plant has the packaged library's size");

        Path used = NativeLibrary.extract(dir);
        assertEquals(target, used);
        assertArrayEquals(sha256(real), sha256(Files.readAllBytes(used)), "the plant was replaced by ctxprobe's library");
        NativeLibrary.load(used);
        assertFalse(Files.exists(plantMarker), "the planted library never ran");
    }

    @Test
    void aPlantedSymlinkIsReplacedWithoutTouchingWhatItPointsTo() throws Exception {
        byte[] real = packaged(NativeLibrary.RESOURCE);
        Path dir = privateDir("native");
        Path elsewhere = Files.writeString(tmp.resolve("someone-elses-file"), "keep me");
        Path target = dir.resolve(nameFor("libctxprobe-", real, ".so"));
        Files.createSymbolicLink(target, elsewhere);

        Path used = NativeLibrary.extract(dir);
        assertFalse(Files.isSymbolicLink(used), "the link itself was replaced");
        assertArrayEquals(sha256(real), sha256(Files.readAllBytes(used)));
        assertEquals("keep me", Files.readString(elsewhere), "the link's target was not written");
    }

    @Test
    void aPlantedHelperOfTheRightSizeIsReplacedAndNeverExecuted() throws Exception {
        byte[] real = packaged(NativeLibrary.HELPER_RESOURCE);
        Path ranMarker = tmp.resolve("control-helper-ran");
        Path plantMarker = tmp.resolve("planted-helper-ran");
        Path control = tmp.resolve("control-helper");
        Files.write(control, padded(script(ranMarker), real.length));
        Files.setPosixFilePermissions(control, PosixFilePermissions.fromString("rwx------"));
        assertEquals(0, exec(control, "exit"));
        assertTrue(Files.exists(ranMarker), "the planted kind of helper runs code when executed");

        Path dir = privateDir("native");
        Path target = dir.resolve(nameFor("ctxprobe-helper-", real, ""));
        Files.write(target, padded(script(plantMarker), real.length));
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwx------"));

        Path used = NativeLibrary.extractHelper(dir);
        assertEquals(target, used);
        assertArrayEquals(sha256(real), sha256(Files.readAllBytes(used)), "the plant was replaced by ctxprobe's helper");
        assertEquals(0, exec(used, "exit"), "the genuine helper's tiny program exits 0");
        assertFalse(Files.exists(plantMarker), "the planted helper never ran");
    }

    @Test
    void directoriesAnotherUserCouldChangeAreRefusedWithTheirReason() throws Exception {
        Path real = privateDir("real");
        Path link = Files.createSymbolicLink(tmp.resolve("link"), real);
        assertReason(PrivateDirectory.ensure(link), "is a symlink");

        Path groupWritable = dirWithMode("group-writable", "rwxrwx---");
        assertReason(PrivateDirectory.ensure(groupWritable), "writable by group or others");
        Path otherWritable = dirWithMode("other-writable", "rwx----w-");
        assertReason(PrivateDirectory.ensure(otherWritable), "writable by group or others");

        Path openParent = dirWithMode("open-parent", "rwxrwxrwx");
        assertReason(PrivateDirectory.ensure(openParent.resolve("ctxprobe")), "without the sticky bit");

        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        assertReason(PrivateDirectory.ensure(file), "not a directory");

        assertNull(PrivateDirectory.ensure(tmp.resolve("fresh/ctxprobe")), "a new directory under a private one is fine");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("fresh/ctxprobe"))));
    }

    @Test
    void aDirectoryOwnedByAnotherUidIsRefused() throws Exception {
        assumeTrue(Unistd.geteuid() == 0, "chown to another uid needs root (CI runs as root)");
        Path theirs = privateDir("theirs");
        chownNobody(theirs);
        assertReason(PrivateDirectory.ensure(theirs), "owned by uid 65534, not by this user");

        Path theirParent = privateDir("their-parent");
        Files.setPosixFilePermissions(theirParent, PosixFilePermissions.fromString("rwxr-xr-x"));
        chownNobody(theirParent);
        assertReason(PrivateDirectory.ensure(theirParent.resolve("ctxprobe")), "owned by uid 65534, who could replace it");
    }

    @Test
    void anExplicitDirectoryThatFailsStopsWithTheFix() throws Exception {
        Path bad = dirWithMode("shared", "rwxrwxrwx");
        List<String> notes = new ArrayList<>();
        NativeLibraryException e = assertThrows(NativeLibraryException.class,
                () -> NativeLibrary.extractionDirectory(bad.toString(), null, null, null, tmp, notes::add));
        assertTrue(e.isUsage(), "a configuration the user must fix: exit 2");
        assertTrue(e.getMessage().contains(NativeLibrary.DIR_PROPERTY), e.getMessage());
        assertTrue(e.getMessage().contains("mode 0700"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        e = assertThrows(NativeLibraryException.class,
                () -> NativeLibrary.extractionDirectory(null, bad.toString(), null, null, tmp, notes::add));
        assertTrue(e.getMessage().contains(NativeLibrary.DIR_ENV), e.getMessage());
        assertEquals(List.of(), notes, "an explicit directory is refused, never skipped");
    }

    @Test
    void whenNoImplicitDirectoryPassesAFreshUnpredictableTemporaryOneIsUsed() throws Exception {
        Path badHome = dirWithMode("home", "rwxrwxrwx");
        Path badXdg = dirWithMode("xdg", "rwxrwx---");
        Path tmpdir = privateDir("tmpdir");
        List<String> notes = new ArrayList<>();
        Path first = NativeLibrary.extractionDirectory(null, null, badXdg.toString(), badHome.toString(), tmpdir, notes::add);
        Path second = NativeLibrary.extractionDirectory(null, null, badXdg.toString(), badHome.toString(), tmpdir, notes::add);
        assertEquals(tmpdir, first.getParent());
        assertTrue(first.getFileName().toString().startsWith("ctxprobe-"), first.toString());
        assertNotEquals(first, second, "a fresh directory each time, never a predictable name");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(first)));
        assertFalse(Files.exists(badHome.resolve(".cache")), "nothing is created under a directory others can change");
        assertFalse(Files.exists(badXdg.resolve("ctxprobe")));
        assertEquals(4, notes.size(), "each skipped location is named once per attempt: " + notes);
        assertTrue(notes.get(0).startsWith("'" + badXdg.resolve("ctxprobe") + "'"), notes.get(0));
        assertTrue(notes.get(1).contains("without the sticky bit"), notes.get(1));
    }

    @Test
    void theTemporaryDirectoryIsRemovedWhenTheJvmExits() throws Exception {
        Path badHome = dirWithMode("home", "rwxrwxrwx");
        Path tmpdir = privateDir("tmpdir");
        String java = ProcessHandle.current().info().command().orElseThrow();
        ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                "-Duser.home=" + badHome, "-Djava.io.tmpdir=" + tmpdir,
                "-cp", System.getProperty("java.class.path"), ExtractInFreshJvm.class.getName());
        pb.environment().remove("XDG_RUNTIME_DIR");
        pb.environment().remove(NativeLibrary.DIR_ENV);
        Process jvm = pb.redirectErrorStream(true).start();
        String out = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(jvm.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, jvm.exitValue(), out);
        List<String> lines = out.lines().filter(l -> l.startsWith("/")).toList();
        assertEquals(2, lines.size(), out);
        Path so = Path.of(lines.get(0));
        assertEquals(tmpdir, so.getParent().getParent(), "the library lived in a fresh directory under java.io.tmpdir");
        assertTrue(out.contains("not keeping native code in '" + badHome), "the skipped location is named: " + out);
        assertFalse(Files.exists(so.getParent()), "the temporary directory is gone after exit");
    }

    @Test
    void otherBuildsStaleFilesArePrunedAndNothingElse() throws Exception {
        Path dir = privateDir("native");
        FileTime old = FileTime.from(Instant.now().minus(Duration.ofHours(NativeLibrary.PRUNE_AFTER_HOURS + 1)));
        Path staleLib = Files.writeString(dir.resolve("libctxprobe-0123456789abcdef.so"), "old");
        Path staleHelper = Files.writeString(dir.resolve("ctxprobe-helper-0123456789abcdef"), "old");
        Path staleTmp = Files.writeString(dir.resolve(".libctxprobe-123.tmp"), "old");
        Path recent = Files.writeString(dir.resolve("libctxprobe-fedcba9876543210.so"), "in use");
        Path unrelated = Files.writeString(dir.resolve("notes.txt"), "mine");
        for (Path p : List.of(staleLib, staleHelper, staleTmp, unrelated)) {
            Files.setLastModifiedTime(p, old);
        }
        NativeLibrary.prune(dir);
        assertFalse(Files.exists(staleLib));
        assertFalse(Files.exists(staleHelper));
        assertFalse(Files.exists(staleTmp));
        assertTrue(Files.exists(recent), "a version used recently (perhaps by a running ctxprobe) stays");
        assertTrue(Files.exists(unrelated), "only ctxprobe's own file names are touched");
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static void assertReason(String problem, String expected) {
        assertTrue(problem != null && problem.contains(expected), "expected a reason with '" + expected + "', got: " + problem);
        assertFalse(problem.contains("\n"), "one line");
    }

    private Path privateDir(String name) throws IOException {
        return Files.createDirectory(tmp.resolve(name), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
    }

    private Path dirWithMode(String name, String mode) throws IOException {
        Path dir = Files.createDirectory(tmp.resolve(name));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(mode)); // not subject to the umask
        return dir;
    }

    private static void chownNobody(Path p) throws IOException {
        Files.setAttribute(p, "unix:uid", 65534, LinkOption.NOFOLLOW_LINKS);
    }

    /** A real shared object whose constructor creates {@code marker}. */
    private Path compileLibraryWritingMarker(Path marker, String name) throws Exception {
        Path src = tmp.resolve(name + ".c");
        Files.writeString(src, """
                #include <fcntl.h>
                #include <unistd.h>
                __attribute__((constructor)) static void planted(void)
                {
                    int fd = open(MARKER, O_CREAT | O_WRONLY, 0644);
                    if (fd >= 0) close(fd);
                }
                """);
        Path so = tmp.resolve("lib" + name + ".so");
        Process gcc = new ProcessBuilder("gcc", "-shared", "-fPIC", "-DMARKER=\"" + marker + "\"", "-o", so.toString(),
                src.toString()).redirectErrorStream(true).start();
        String out = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(gcc.waitFor(60, TimeUnit.SECONDS) && gcc.exitValue() == 0, "gcc: " + out);
        return so;
    }

    private static byte[] script(Path marker) {
        return ("#!/bin/sh\n: > '" + marker + "'\nexit 0\n#").getBytes(StandardCharsets.UTF_8);
    }

    /** {@code bytes} grown to {@code size} with trailing bytes (an ELF loader and sh both ignore them). */
    private static byte[] padded(byte[] bytes, int size) {
        assertTrue(bytes.length <= size, "the plant (" + bytes.length + " bytes) must fit the real size " + size);
        byte[] out = new byte[size];
        System.arraycopy(bytes, 0, out, 0, bytes.length);
        for (int i = bytes.length; i < size; i++) {
            out[i] = bytes[bytes.length - 1] == '#' ? (byte) 'x' : 0;
        }
        return out;
    }

    private static int exec(Path program, String arg) throws Exception {
        Process p = new ProcessBuilder(program.toString(), arg).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return p.exitValue();
    }

    private static byte[] packaged(String resource) throws IOException {
        try (InputStream in = NativeCodeSafetyTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertTrue(in != null, resource + " on the class path");
            return in.readAllBytes();
        }
    }

    private static String nameFor(String prefix, byte[] content, String suffix) throws Exception {
        return prefix + HexFormat.of().formatHex(sha256(content), 0, 8) + suffix;
    }

    private static byte[] sha256(byte[] bytes) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }
}
