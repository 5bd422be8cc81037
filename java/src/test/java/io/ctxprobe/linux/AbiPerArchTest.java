package io.ctxprobe.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * AbiContractTest's libc half on the other architecture: the same printer of every libc constant
 * the linux package mirrors and every struct it lays out by hand (rusage, timespec, statvfs),
 * cross-compiled for that architecture and run under qemu-user, compared with the Java side as it
 * would be there. The host's own architecture is AbiContractTest's job; this one is skipped with the
 * packages to install when the cross compiler or qemu-user is missing (.ci/run installs both).
 */
class AbiPerArchTest {

    /** The libc constants whose value depends on the architecture, as the Java side computes them. */
    private static final Map<String, ToLongFunction<Arch>> PER_ARCH = Map.of("O_NOFOLLOW", FileLocks::oNofollow);

    @ParameterizedTest
    @EnumSource(Arch.class)
    void libcConstantsAndStructsMatchTheArchitecturesHeaders(Arch arch) throws Exception {
        assumeTrue(arch != Arch.current(), "the host's architecture: AbiContractTest checks it");
        String gcc = arch.gnuTriplet() + "-gcc";
        String qemu = "qemu-" + arch.unameMachine();
        assumeTrue(runs(List.of(gcc, "--version")) && runs(List.of(qemu, "--version")), gcc + " or " + qemu
                + " missing: apt-get install gcc-" + arch.gnuTriplet() + " libc6-dev-arm64-cross qemu-user");

        Map<String, Long> java = new TreeMap<>(AbiContract.namedConstants(AbiContractTest.libcClasses()));
        PER_ARCH.forEach((name, value) -> java.put(name, value.applyAsLong(arch)));
        Path dir = Files.createDirectories(AbiContract.WORK);
        Path src = dir.resolve("libc-" + arch.unameMachine() + ".c");
        Path exe = dir.resolve("libc-" + arch.unameMachine());
        Files.writeString(src, AbiContract.printerSource(java.keySet(), AbiContractTest.structs()));
        // Static: the emulator then needs no library path for the target's loader and libc.
        assertEquals(0, run(List.of(gcc, "-std=gnu11", "-Wall", "-Werror", "-static", "-I" + AbiContract.INCLUDE,
                "-o", exe.toString(), src.toString())).exit(), "cross-compiling the printer");
        Result r = run(List.of(qemu, exe.toAbsolutePath().toString()));
        assertEquals(0, r.exit(), "the printer under " + qemu + ":\n" + r.out());

        assertEquals(List.of(), AbiContract.defineMismatches(r.out(), java, List.of()), arch.toString());
        assertEquals(List.of(), AbiContract.structMismatches(r.out(), AbiContractTest.structs()), arch.toString());
        long compared = r.out().stream().filter(l -> l.startsWith("define ")).count();
        assertEquals(true, compared >= 40, "only " + compared + " constants compared on " + arch);
    }

    /** Each per-architecture constant's Java field holds this host's value. */
    @Test
    void perArchitectureConstantsHoldTheHostsValue() throws Exception {
        Map<String, Long> host = AbiContract.namedConstants(AbiContractTest.libcClasses());
        PER_ARCH.forEach((name, value) -> assertEquals(value.applyAsLong(Arch.current()), host.get(name), name));
    }

    private record Result(int exit, List<String> out) {}

    private static Result run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, List.of(String.join(" ", cmd) + " did not finish"));
        }
        return new Result(p.exitValue(), out.lines().toList());
    }

    private static boolean runs(List<String> cmd) throws InterruptedException {
        try {
            return run(cmd).exit() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
