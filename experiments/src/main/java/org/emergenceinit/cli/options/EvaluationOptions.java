package org.emergenceinit.cli.options;

import org.emergenceinit.harness.RunSpec;
import picocli.CommandLine.Option;

import java.util.Optional;

/**
 * What a run measures besides the test set and {@code E}: {@code --[no-]train-accuracy}, the accuracy over the
 * training set after every epoch ({@link RunSpec.Evaluation#trainAccuracy()}). A picocli mixin of
 * {@code bin/emergence train} (off unless given) and {@code bin/emergence sweep} (unless given, the grid's
 * {@code trainAccuracy}). It only parses.
 */
public class EvaluationOptions {

    /** {@code --train-accuracy} (true), {@code --no-train-accuracy} (false), or neither (null). */
    @Option(names = "--train-accuracy", negatable = true,
            description = "Also measure the accuracy over the training set after every epoch and at epoch 0 (column"
                    + " trainAccuracy of epochs.csv and results.csv), in file order and inference mode, at most"
                    + " --max-batches batches as the test set. Costs one extra inference pass over the training set"
                    + " per epoch (not counted in the seconds column); the training and the run name stay those of"
                    + " the run without it. train: off unless given; sweep: default the grid's trainAccuracy (on in"
                    + " paper2-pruning), --no-train-accuracy turns it off.")
    public Boolean trainAccuracy;

    /** Options with nothing given. */
    public EvaluationOptions() {
    }

    /** What was given: {@code --train-accuracy} (true), {@code --no-train-accuracy} (false), or empty. */
    public Optional<Boolean> trainAccuracy() {
        return Optional.ofNullable(trainAccuracy);
    }

    /** {@code spec} measuring the training accuracy as given (unchanged when neither option was given). */
    public RunSpec apply(RunSpec spec) {
        return trainAccuracy == null ? spec : spec.toBuilder().trainAccuracy(trainAccuracy).build();
    }
}
