package org.emergenceinit.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.emergenceinit.examples.RunOptions;
import org.emergenceinit.examples.RunResult;
import org.emergenceinit.examples.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code emergence train}: one training run ({@link TrainingRun}) with progress per epoch, writing manifest.json,
 * epochs.csv and model.zip (the network after every epoch: the same command again on the same --out resumes a killed
 * run after its last epoch; other options on that folder are refused); with {@code --json} the result as one JSON object on standard output (progress then goes to standard
 * error).
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a network with an init and record per epoch (0 = at initialization) the train and test"
                + " loss, test accuracy and the emergence E on a probe batch; writes manifest.json, epochs.csv and"
                + " model.zip into --out. Run again with the same options to resume a killed run.")
final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RunOptions run = new RunOptions();

    @Option(names = "--json", description = "Print the result as one JSON object (progress goes to standard error).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        RunResult r = TrainingRun.run(run, json ? spec.commandLine().getErr() : out);
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r.toMap()));
        } else {
            out.printf(Locale.ROOT, "%s: test accuracy %.4f after %d epoch(s)%s, %.1f s; wrote %s and %s%n",
                    r.name(), r.last().testAccuracy(), r.last().epoch(), r.diverged() ? " (the loss diverged)" : "",
                    r.seconds(), r.manifest(), r.csv());
            out.printf(Locale.ROOT, "the trained network, with its updater: %s (restore it with"
                    + " ModelSerializer.restoreMultiLayerNetwork(file, true))%n",
                    r.manifest().resolveSibling(TrainingRun.MODEL_FILE));
        }
        out.flush();
        return 0;
    }
}
