package org.emergenceinit.cli.options;

import picocli.CommandLine.Option;

import java.nio.file.Path;

import org.emergenceinit.harness.RunSpec;

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
    public String init = RunSpec.DEFAULT_INIT;

    /** {@code --seed}: seeds the configuration (weights) and the per-epoch shuffles; default 1. */
    @Option(names = "--seed", description = "Seed of the weights and of the shuffles (default: ${DEFAULT-VALUE}).")
    public long seed = RunSpec.DEFAULT_SEED;

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
        toSpec().requireFixedAlpha();
    }

    /**
     * The spec of this run ({@code --alpha auto} stays auto).
     *
     * @throws IllegalArgumentException with one line naming the first bad option
     */
    public RunSpec toSpec() {
        return toSpec(init, seed);
    }

    /** The run's name, {@link RunSpec#runName()}: byte-identical to the names of the runs made before. */
    public String runName() {
        return toSpec().runName();
    }

    /** The output folder: {@link #out}, or {@code runs/<run name>}. */
    public Path outDir() {
        return out != null ? out : Path.of("runs", runName());
    }
}
