package io.ctxprobe.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The system call numbers the Java side uses, against each architecture's own headers: every
 * {@link SyscallTable} entry becomes {@code _Static_assert(__NR_<name> == n)} over that
 * architecture's {@code <asm/unistd.h>}, compiled by its gcc (x86-64: the host gcc; AArch64:
 * Debian's {@code aarch64-linux-gnu-gcc}, or the host gcc over {@code /usr/aarch64-linux-gnu/include}
 * from {@code libc6-dev-arm64-cross}). The host's own architecture is required; another one whose
 * headers are not installed is skipped with the package that provides them (.ci/run installs it).
 */
class SyscallTableTest {

    @ParameterizedTest
    @EnumSource(Arch.class)
    void everyNumberMatchesTheArchitecturesHeaders(Arch arch) throws Exception {
        List<String> compiler = compilerFor(arch);
        boolean host = arch == Arch.current();
        assumeTrue(host || compiler != null, arch + " headers not installed: apt-get install gcc-"
                + arch.gnuTriplet() + " libc6-dev-arm64-cross (or linux-libc-dev-*-cross)");
        assertNotNull(compiler, "no gcc for the host architecture " + arch);
        String out = compile(compiler, source(arch));
        assertEquals("", out, arch + ": a number in SyscallTable disagrees with <asm/unistd.h>");
    }

    @Test
    void numbersAreDistinctPerArchitecture() {
        for (Arch arch : Arch.values()) {
            Set<Long> seen = new HashSet<>();
            for (SyscallTable s : SyscallTable.values()) {
                assertTrue(s.number(arch) >= 0 && seen.add(s.number(arch)), arch + " " + s);
            }
        }
    }

    /** Every SYS_* constant of Unistd is this architecture's entry of the table (no hand-typed number). */
    @Test
    void unistdTakesEveryNumberFromTheTable() throws Exception {
        Arch arch = Arch.current();
        assertNotNull(arch, "ctxprobe builds for this host's os.arch " + System.getProperty("os.arch"));
        int constants = 0;
        for (Field f : Unistd.class.getFields()) {
            if (!f.getName().startsWith("SYS_") || !Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            constants++;
            SyscallTable entry = SyscallTable.valueOf(f.getName().substring(4));
            assertEquals(entry.number(arch), f.getLong(null), f.getName());
            assertEquals(entry.cName(), Unistd.syscallName(f.getLong(null)), f.getName());
            assertEquals(entry.name().toLowerCase(Locale.ROOT), entry.cName());
        }
        assertEquals(SyscallTable.values().length, constants, "one Unistd.SYS_* per table entry");
        assertEquals("syscall(100000)", Unistd.syscallName(100_000));
    }

    @Test
    void architecturesByOsArch() {
        assertEquals(Arch.X86_64, Arch.fromOsArch("amd64"));
        assertEquals(Arch.X86_64, Arch.fromOsArch("x86_64"));
        assertEquals(Arch.AARCH64, Arch.fromOsArch("aarch64"));
        assertEquals(Arch.AARCH64, Arch.fromOsArch("ARM64"));
        assertNull(Arch.fromOsArch("riscv64"));
        assertNull(Arch.fromOsArch(null));
    }

    private static String source(Arch arch) {
        StringBuilder c = new StringBuilder("#include <asm/unistd.h>\n");
        for (SyscallTable s : SyscallTable.values()) {
            c.append(String.format("_Static_assert(__NR_%s == %d, \"%s: __NR_%s is not %d\");%n", s.cName(),
                    s.number(arch), arch, s.cName(), s.number(arch)));
        }
        return c.toString();
    }

    /** The command that preprocesses and checks C for {@code arch}, or null when none is installed. */
    static List<String> compilerFor(Arch arch) throws InterruptedException {
        String cross = arch.gnuTriplet() + "-gcc";
        if (runs(List.of(cross, "-dumpmachine"))) {
            return List.of(cross);
        }
        if (arch == Arch.current() && runs(List.of("gcc", "-dumpmachine"))) {
            return List.of("gcc");
        }
        Path headers = Path.of("/usr", arch.gnuTriplet(), "include");
        if (Files.isRegularFile(headers.resolve("asm/unistd.h")) && runs(List.of("gcc", "-dumpmachine"))) {
            return List.of("gcc", "-nostdinc", "-isystem", headers.toString());
        }
        return null;
    }

    private static boolean runs(List<String> cmd) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** Compiles {@code src} (syntax only); returns the compiler's messages, empty when it passed. */
    private static String compile(List<String> compiler, String src) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(compiler);
        cmd.addAll(List.of("-std=gnu11", "-fsyntax-only", "-x", "c", "-"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().write(src.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "compiler timed out");
        return p.exitValue() == 0 ? "" : "exit " + p.exitValue() + ": " + out;
    }
}
