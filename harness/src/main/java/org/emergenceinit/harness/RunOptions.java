package org.emergenceinit.harness;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;

import org.emergenceinit.data.DataOptions;
import org.emergenceinit.weights.ExponentMode;

/**
 * The options of one training run: the {@link TrainingOptions} plus one initialization and one seed. The options of
 * the example mains and of {@code bin/emergence train}.
 */
public class RunOptions extends TrainingOptions {

    /** {@code --init}: the initialization by name (LSUV and warm-up baselines included), see {@link InitSpec}; default
     * emergence-xavier. */
    @Option(names = "--init", paramLabel = "NAME", description = "xavier, xavier-uniform, kaiming, kaiming-uniform,"
            + " emergence-<one of those>, lsuv-<one of those>; +warmup after any of them warms the learning rate up"
            + " over epoch 1 (default: ${DEFAULT-VALUE}).")
    public String init = "emergence-xavier";

    /** {@code --seed}: seeds the configuration (weights) and the per-epoch shuffles; default 1. */
    @Option(names = "--seed", description = "Seed of the weights and of the shuffles (default: ${DEFAULT-VALUE}).")
    public long seed = 1;

    /**
     * A label appended to the run name ({@code _<tag>}), e.g. {@code prune30} for a run continued from another after
     * pruning; null (default) for none. Not a command-line option.
     */
    public String tag;

    /**
     * Whether the run's {@value TrainingRun#MODEL_FILE} (the trained network, also its per-epoch checkpoint) stays
     * after the run finishes; true by default, false in sweeps, whose folders hold results, not models. Not a
     * command-line option.
     */
    public boolean keepModel = true;

    /**
     * Whether a run with other options in {@link #outDir()} is trained anew over (true in sweeps, whose folders are
     * their own) instead of refused (false, the default). Not a command-line option: {@code train --force} replaces
     * a run through a sibling folder, swapped in when the new run has finished.
     */
    public boolean replace;

    /**
     * The pilot that chose alpha for {@code --alpha auto} ({@link AutoAlpha#toMap}), recorded in the manifest as
     * {@code alphaPilot}; null (default) when alpha was given. Not a command-line option.
     */
    public java.util.Map<String, Object> alphaPilot;

    /** Options with the defaults. */
    public RunOptions() {
    }

    /**
     * One run of a series: the shared options with the given init and seed, writing into {@code out} (or, if it is
     * null, into {@code runs/<run name>}).
     */
    public static RunOptions of(TrainingOptions training, String init, long seed, Path out) {
        RunOptions run = new RunOptions(training);
        run.init = init;
        run.seed = seed;
        run.out = out;
        return run;
    }

    private RunOptions(TrainingOptions training) {
        super(training);
    }

    /** Also checks {@code --init}. */
    @Override
    public void validate() {
        super.validate();
        InitSpec.parse(init);
    }

    /**
     * The run's name, encoding every option that changes its numbers except the epoch count (a run of N epochs is
     * the start of a run of more: the same folder is continued, see {@link TrainingRun}), e.g.
     * {@code mnist-embedded_mlp-784-256-128-10_emergence-kaiming-a1.1_bn_sgd+nesterov0.9-lr0.01_b128_s1}. Options
     * at their defaults are left out, so that the names of runs made before they were added stay the same; others
     * are appended before the seed: integer exponents ({@code -a1.1-integer}), {@code --max-batches}
     * ({@code _mb20}), {@code --probe-samples} ({@code _p500}), the own-data options of {@code images:DIR} and
     * {@code csv:FILE} ({@link DataOptions#nameSuffix()}), and a {@link #tag} ({@code _prune30}). Usable as a folder
     * name.
     */
    public String runName() {
        InitSpec spec = InitSpec.parse(init);
        boolean integer = spec.emergence() && ExponentMode.parse(mode) != ExponentMode.CENTRED;
        String name = String.join("_", dataset, arch.trim(), spec.name() + (spec.emergence() ? "-a" + alpha : "")
                        + (integer ? "-integer" : ""))
                + (batchNorm ? "_bn" : "") + "_" + optimizerLabel() + "-lr" + lr + "_b" + batch
                + (maxBatches > 0 ? "_mb" + maxBatches : "")
                + (probeSamples != DEFAULT_PROBE_SAMPLES ? "_p" + probeSamples : "")
                + (ownData() ? data.nameSuffix() : "")
                + (tag == null ? "" : "_" + tag) + "_s" + seed;
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._+-]", "-");
    }

    /** The output folder: {@link #out}, or {@code runs/<run name>}. */
    public Path outDir() {
        return out != null ? out : Path.of("runs", runName());
    }

    @Override
    public String toString() {
        return describe(probeSamples);
    }

    /**
     * The options in words, with the number of probe images actually used ({@code --probe-samples} capped at the
     * test set's size); alpha only for an emergence init.
     */
    public String describe(int probeImages) {
        boolean ramp;
        try {
            ramp = InitSpec.parse(init).emergence();
        } catch (IllegalArgumentException e) {
            ramp = true;
        }
        return "init " + init + ", seed " + seed + ", " + describe(ramp, probeImages);
    }
}
