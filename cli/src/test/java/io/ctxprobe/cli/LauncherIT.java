package io.ctxprobe.cli;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ./ctxprobe launcher around the built jar (failsafe: after package, so target/ctxprobe.jar
 * exists): options in CTXPROBE_JAVA_OPTS reach the JVM unexpanded even when the working directory
 * holds a file a glob would match, and an explicit native directory that cannot be trusted stops
 * both `run` and `list` with exit 2 and one line.
 */
class LauncherIT {

    private static final Path LAUNCHER = Path.of("..", "ctxprobe").toAbsolutePath().normalize();

    @TempDir
    static Path dir;

    /** name, environment, arguments, expected exit status, what the output must show. */
    static Stream<Arguments> rows() throws Exception {
        Path unsafe = Files.createDirectories(dir.resolve("group-writable"));
        Files.setPosixFilePermissions(unsafe, PosixFilePermissions.fromString("rwxrwxr-x"));
        Predicate<Output> oneLine = o -> o.stderr().strip().lines().count() == 1 && o.stderr().contains(unsafe.toString())
                && o.stdout().isBlank();
        return Stream.of(
                Arguments.of("options are not glob-expanded", Map.of("CTXPROBE_JAVA_OPTS", "-XshowSettings:properties -Dx=*"),
                        List.of("list"), 0, (Predicate<Output>) o -> o.all().contains("    x = *\n")
                                && !o.all().contains("x = oops") && !o.all().contains("-Dx=oops")),
                Arguments.of("an untrusted explicit native directory: run", Map.of("CTXPROBE_NATIVE_DIR", unsafe.toString()),
                        List.of("run", "syscall.null", "--quick", "--json", dir.resolve("r.json").toString()), 2, oneLine),
                Arguments.of("an untrusted explicit native directory: list", Map.of("CTXPROBE_NATIVE_DIR", unsafe.toString()),
                        List.of("list"), 2, oneLine));
    }

    record Output(int status, String stdout, String stderr) {
        String all() {
            return stdout + stderr;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void theLauncher(String name, Map<String, String> env, List<String> args, int status, Predicate<Output> shows)
            throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        Files.writeString(work.resolve("-Dx=oops"), "");   // what an unquoted -Dx=* would expand to
        List<String> cmd = new ArrayList<>(List.of(LAUNCHER.toString()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile())
                .redirectOutput(dir.resolve("stdout").toFile()).redirectError(dir.resolve("stderr").toFile());
        pb.environment().remove("CTXPROBE_JAVA_OPTS");
        pb.environment().remove("CTXPROBE_NATIVE_DIR");
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), name + ": still running");
        Output out = new Output(p.exitValue(), Files.readString(dir.resolve("stdout"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("stderr"), StandardCharsets.UTF_8));
        assertEquals(status, out.status(), name + ": " + out.stderr());
        assertTrue(shows.test(out), name + ": stdout\n" + out.stdout() + "\nstderr\n" + out.stderr());
        try (Stream<Path> left = Files.list(work)) {
            assertEquals(List.of("-Dx=oops"), left.map(f -> f.getFileName().toString()).toList(),
                    name + ": nothing written in the working directory (no hs_err log, no report)");
        }
    }
}
