package org.emergenceinit.cli;

import org.emergenceinit.onednn.OneDnn;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * {@code bin/emergence}: the project's command line. Bad arguments and bad input print one line that says what was
 * wrong and what to do, and exit with status 2.
 */
@Command(name = "emergence", mixinStandardHelpOptions = true, version = "dl4j-emergence-init 0.1.0",
        description = "Emergence-promoting initialization for DL4J: plans, measurements and experiments.",
        subcommands = {CompareCommand.class, TrainCommand.class, InspectCommand.class, PlanCommand.class,
                SweepCommand.class, ReportCommand.class, TranslateCommand.class, BleuCommand.class, SpeedCommand.class,
                CommandLine.HelpCommand.class})
public final class EmergenceCli {

    /** Exit status for bad arguments or bad input. */
    public static final int USAGE = 2;

    public static void main(String[] args) {
        try {
            OneDnn.enable(); // before anything touches ND4J: the natives for this CPU, DL4J's layers through oneDNN
        } catch (IllegalArgumentException e) {
            System.err.println("emergence: " + e.getMessage());
            System.exit(USAGE);
        }
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs a command with the given streams; returns the exit status. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new EmergenceCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("emergence: " + ex.getMessage() + " (see '"
                    + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return USAGE;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof IllegalArgumentException || ex instanceof IllegalStateException
                    || ex instanceof IOException || ex instanceof UncheckedIOException) {
                commandLine.getErr().println("emergence: " + ex.getMessage());
                return USAGE;
            }
            throw ex;
        });
        return cli.execute(args);
    }
}
