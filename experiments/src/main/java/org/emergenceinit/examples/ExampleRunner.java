package org.emergenceinit.examples;

import org.emergenceinit.cli.options.RunOptions;
import org.emergenceinit.harness.RunResult;
import org.emergenceinit.harness.TrainingRun;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * What the example mains share: their command line ({@link RunOptions}, with defaults set by each example) and the
 * run through {@link TrainingRun}.
 */
public final class ExampleRunner {

    private ExampleRunner() {
    }

    /**
     * Parses {@code args} over the example's defaults and trains, printing progress to standard output.
     *
     * @param defaults the example's options before parsing
     * @param args     command-line options, as for {@code bin/emergence train}
     * @return the result
     * @throws CommandLine.ParameterException for an unknown or malformed option
     * @throws IllegalArgumentException       for a bad option value
     * @throws IOException                    if the data cannot be read or the results cannot be written
     */
    public static RunResult run(RunOptions defaults, String... args) throws IOException {
        new CommandLine(defaults).parseArgs(args);
        return TrainingRun.run(defaults.toSpec(), new PrintWriter(System.out, true));
    }

    /**
     * The {@code main} of an example: {@code --help} prints the options with the example's defaults; bad options
     * print one line and exit with status 2; otherwise it trains and prints where the results are.
     *
     * @param example  the example's class, naming it
     * @param defaults its options before parsing
     * @param args     the command line
     */
    public static void main(Class<?> example, RunOptions defaults, String... args) {
        CommandSpec spec = CommandSpec.forAnnotatedObject(defaults).name(example.getSimpleName());
        spec.mixinStandardHelpOptions(true);
        spec.usageMessage().description("Trains the example network and writes manifest.json and epochs.csv"
                + " into --out.");
        CommandLine cli = new CommandLine(spec);
        try {
            cli.parseArgs(args);
            if (CommandLine.printHelpIfRequested(cli.getParseResult())) {
                return;
            }
            RunResult r = TrainingRun.run(defaults.toSpec(), new PrintWriter(System.out, true));
            System.out.printf(Locale.ROOT, "%s: test accuracy %.4f after %d epoch(s)%s; %s and %s%n",
                    example.getSimpleName(), r.last().testAccuracy(), r.last().epoch(),
                    r.diverged() ? " (diverged)" : "", r.manifest(), r.csv());
        } catch (CommandLine.ParameterException | IllegalArgumentException | IOException | UncheckedIOException e) {
            System.err.println(example.getSimpleName() + ": " + e.getMessage());
            System.exit(2);
        }
    }
}
