package io.ctxprobe.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The stdout lines of a command, or why there are none (never both). */
public record CommandOutput(List<String> lines, String error) {

    public CommandOutput {
        lines = List.copyOf(lines);
    }

    public static CommandOutput of(List<String> lines) {
        return new CommandOutput(lines, null);
    }

    public static CommandOutput failed(String reason) {
        return new CommandOutput(List.of(), reason);
    }

    boolean ok() {
        return error == null;
    }

    /** A fixture or saved output: the file's lines. */
    public static CommandOutput fromFile(Path file) {
        try {
            return of(Files.readAllLines(file, StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            return failed("cannot read " + file + ": " + e.getMessage());
        }
    }

    /**
     * Runs the system program {@code name} (found by {@link SystemPrograms}, never through PATH)
     * with a deadline.
     */
    public static CommandOutput runSystem(Duration timeout, String name, String... args) {
        Path program = SystemPrograms.locate(name);
        if (program == null) {
            return failed(SystemPrograms.whyNot(name));
        }
        String[] command = new String[args.length + 1];
        command[0] = program.toString();
        System.arraycopy(args, 0, command, 1, args.length);
        return run(timeout, command);
    }

    /**
     * Runs a command with a deadline. Output goes to temporary files, not pipes, so a chatty command
     * cannot block on a full pipe while we wait for it.
     */
    public static CommandOutput run(Duration timeout, String... command) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("ctxprobe-cmd", ".out");
            err = Files.createTempFile("ctxprobe-cmd", ".err");
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(1, TimeUnit.SECONDS);
                return failed(command[0] + " did not finish within " + timeout.toSeconds() + " s");
            }
            if (p.exitValue() != 0) {
                List<String> e = Files.readAllLines(err, StandardCharsets.ISO_8859_1);
                String why = e.isEmpty() ? "" : ": " + e.getFirst().trim();
                return failed(command[0] + " exited with " + p.exitValue() + why);
            }
            return of(Files.readAllLines(out, StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            return failed(command[0] + " could not run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(command[0] + " interrupted");
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // A leftover temp file is harmless; the command's result matters more.
            }
        }
    }
}
