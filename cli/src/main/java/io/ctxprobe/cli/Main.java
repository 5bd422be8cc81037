package io.ctxprobe.cli;

import io.ctxprobe.BuildInfo;
import io.ctxprobe.linux.NativeLibrary;
import io.ctxprobe.linux.NativeLibraryException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * ctxprobe's command line. Bad input is one line on stderr and exit code 2; an internal failure is
 * exit code 1 with the error's message.
 */
@Command(name = "ctxprobe",
        description = "Measures what processes, kernel threads, user threads and fibers really cost on this host.",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        subcommands = {HostCommand.class, ListCommand.class, RunCommand.class, ShowCommand.class, ReportCommand.class, CompareCommand.class, FleetCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI and returns its exit code (tests call this instead of main). */
    public static int execute(String... args) {
        String platform = NativeLibrary.platformProblem();
        if (platform != null) {
            System.err.println("ctxprobe: " + platform);
            return ExitCodes.USAGE;
        }
        CommandLine cli = new CommandLine(new Main());
        cli.setParameterExceptionHandler((e, a) -> {
            String command = e.getCommandLine().getCommandSpec().qualifiedName();
            System.err.println(command + ": " + printable(e.getMessage()) + " (see '" + command + " --help')");
            return ExitCodes.USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof UsageException || e instanceof NativeLibraryException n && n.isUsage()) {
                System.err.println(commandLine.getCommandSpec().qualifiedName() + ": " + printable(e.getMessage()));
                return ExitCodes.USAGE;
            }
            System.err.println("ctxprobe: internal error: " + printable(String.valueOf(e)));
            if (System.getenv("CTXPROBE_DEBUG") != null) e.printStackTrace();
            return ExitCodes.INTERNAL;
        });
        int code = cli.execute(args);
        // A full disk or a closed pipe on stdout loses output silently unless asked: then it is a failure.
        if (System.out.checkError()) {
            System.err.println("ctxprobe: writing to standard output failed; the output is incomplete");
            return code == ExitCodes.OK ? ExitCodes.INTERNAL : code;
        }
        return code;
    }

    /** {@code text} with control characters shown as \xNN, so what a user typed cannot drive the terminal. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\x%02x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            BuildInfo info = BuildInfo.load();
            return new String[] {"ctxprobe " + info.version() + (info.commit() != null ? " (" + info.commit() + ")" : "")};
        }
    }
}
