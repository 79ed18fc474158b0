package dev.mmx.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The mmx command: subcommands only. */
@Command(name = "mmx", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Exhaustive model checker for Linux memory-management races.",
        subcommands = {CheckCommand.class, ShowCommand.class, ReplayCommand.class, TestCommand.class,
                LitmusCommand.class, GraphCommand.class, BenchCommand.class, ExplainCommand.class, FencesCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    public static final String VERSION = "0.1.0";

    public static final int PASS = 0;
    public static final int VIOLATION = 1;
    public static final int BAD_INPUT = 2;
    public static final int INCOMPLETE = 3;
    /** 128 + SIGINT, as shells report a run stopped by Ctrl-C. */
    public static final int INTERRUPTED = 130;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: check, show, replay or test");
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs mmx in-process (tests call this); returns the exit code. */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, line, parse) -> {
            // a bug in mmx, not the user's input: say so plainly, without a stack trace
            line.getErr().println("mmx: internal error: " + ex);
            return 70;
        });
        return cl.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"mmx " + VERSION};
        }
    }
}
