package org.emergenceinit.harness;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.emergenceinit.data.DatasetSource;
import org.emergenceinit.data.Layout;
import org.emergenceinit.weights.AlphaPilot;
import org.emergenceinit.weights.AutoRamp;
import org.emergenceinit.weights.EmergenceRamp;
import org.emergenceinit.weights.ExponentMode;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code --alpha auto} for a training run: builds the run's network as {@link TrainingRun} will (same arch, seed,
 * BatchNorm, optimizer, warm-up), runs the library's {@link EmergenceRamp#auto} pilot on the run's data (the stock
 * init and the ramp at {@link AlphaPilot#DEFAULT_ALPHAS}, {@value AlphaPilot#DEFAULT_SEEDS} seeds from the run's seed,
 * 5 % of one epoch, at least {@value AlphaPilot#DEFAULT_MIN_STEPS} steps, held-out accuracy on the first
 * {@value #HELD_OUT_EXAMPLES} test examples), sets the chosen alpha (1, the stock init, when nothing beats stock) and
 * records the pilot in {@link RunOptions#alphaPilot}, which the manifest keeps as {@code alphaPilot}.
 */
public final class AutoAlpha {

    /** Test examples the pilot's held-out accuracy is measured on (whole batches). */
    public static final int HELD_OUT_EXAMPLES = 1000;

    private AutoAlpha() {
    }

    /**
     * Resolves {@code --alpha auto} in {@code options}.
     *
     * @param options the run's options, with {@link TrainingOptions#alphaChoice()} auto and an emergence init
     * @param data    the run's data
     * @param jobs    pilot runs trained at once
     * @param log     progress lines, or null
     * @return the pilot's result
     * @throws IllegalArgumentException if the init is not an emergence init, or an option is bad
     */
    public static AlphaPilot.Result resolve(RunOptions options, DatasetSource data, int jobs, PrintWriter log) {
        InitSpec init = InitSpec.parse(options.init);
        if (!init.emergence()) {
            throw new IllegalArgumentException("--alpha auto picks the alpha of an emergence init: give --init"
                    + " emergence-<base> (e.g. emergence-kaiming), not " + options.init + ".");
        }
        RunOptions check = RunOptions.of(options, options.init, options.seed, options.out);
        check.resolveAlpha(1.0);
        check.validate();
        ArchSpec arch = ArchSpec.parse(options.arch);
        if (arch.outputs() != data.numClasses()) {
            throw new IllegalArgumentException("--arch " + options.arch + " has " + arch.outputs() + " outputs but "
                    + data.name() + " has " + data.numClasses() + " classes: end the arch with " + data.numClasses()
                    + ".");
        }
        int[] shape = data.inputShape();
        Layout layout = arch.cnn() ? Layout.IMAGE : Layout.FLAT;
        InputType input = arch.cnn() ? InputType.convolutional(shape[1], shape[2], shape[0])
                : InputType.feedForward((long) shape[0] * shape[1] * shape[2]);
        long full = (data.numTrain() + options.batch - 1) / options.batch;
        long batchesPerEpoch = options.maxBatches > 0 ? Math.min(full, options.maxBatches) : full;
        MultiLayerConfiguration conf = arch.build(options.seed, init.base().dl4jName(), options.batchNorm, input,
                options.updater(init.warmup() ? batchesPerEpoch : 0));
        AlphaPilot pilot = AlphaPilot.of(init.base()).withMode(ExponentMode.parse(options.mode))
                .withFirstSeed(options.seed).withJobs(jobs);
        AlphaPilot.Budget budget = AlphaPilot.Budget.forEpoch(batchesPerEpoch, AlphaPilot.DEFAULT_SEEDS);
        int evalBatches = (HELD_OUT_EXAMPLES + options.batch - 1) / options.batch;
        if (log != null) {
            log.printf(Locale.ROOT, "--alpha auto: pilot of %d steps x %d seeds, stock %s and alpha %s, %d at once%n",
                    budget.steps(), budget.seeds(), init.base().cliName(), pilot.alphas(), jobs);
            log.flush();
        }
        AutoRamp auto = EmergenceRamp.auto(pilot, conf, data.trainIterator(options.batch, options.seed, layout,
                options.maxBatches), data.testIterator(options.batch, layout, evalBatches), budget);
        options.resolveAlpha(auto.alpha());
        Map<String, Object> record = toMap(auto.pilot());
        record.put("requested", "auto");
        record.put("chosenAlpha", auto.alpha());
        record.put("epochFraction", (double) budget.steps() / batchesPerEpoch);
        options.alphaPilot = record;
        if (log != null) {
            log.printf(Locale.ROOT, "--alpha auto: alpha %s (pilot %.1f s): %s%n", auto.alpha(), auto.pilot().seconds(),
                    auto.pilot().verdict());
            log.flush();
        }
        return auto.pilot();
    }

    /**
     * A pilot's result as {@code advise --json} prints it and the manifest records it: {@code stock}, {@code
     * emergence}, {@code best} (null when nothing beats stock), {@code verdict}, {@code pilotSteps}, {@code seeds},
     * {@code firstSeed}, {@code endLossSteps}, {@code threshold}, {@code stockLossMean}, {@code stockAccuracyMean},
     * {@code candidates} ({@code alpha, lossDiffMean, lossDiffSd, t, df, accuracyDiffMean, diverged, beatsStock}) and
     * {@code seconds}; non-finite numbers as null.
     */
    public static Map<String, Object> toMap(AlphaPilot.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("stock", r.stock());
        m.put("emergence", r.emergence());
        m.put("best", r.best());
        m.put("verdict", r.verdict());
        m.put("pilotSteps", r.steps());
        m.put("seeds", r.seeds());
        m.put("firstSeed", r.firstSeed());
        m.put("endLossSteps", r.lastSteps());
        m.put("threshold", r.threshold());
        m.put("stockLossMean", EpochStats.finite(r.stockLossMean()));
        m.put("stockAccuracyMean", EpochStats.finite(r.stockRuns().stream()
                .mapToDouble(AlphaPilot.Run::heldOutAccuracy).filter(Double::isFinite).average().orElse(Double.NaN)));
        List<Map<String, Object>> cands = new ArrayList<>();
        for (AlphaPilot.Candidate c : r.candidates()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("alpha", c.alpha());
            x.put("lossDiffMean", EpochStats.finite(c.lossDiffMean()));
            x.put("lossDiffSd", EpochStats.finite(c.lossDiffSd()));
            x.put("t", EpochStats.finite(c.t()));
            x.put("df", EpochStats.finite(c.df()));
            x.put("accuracyDiffMean", EpochStats.finite(c.accuracyDiffMean()));
            x.put("diverged", c.diverged());
            x.put("beatsStock", c.beatsStock());
            cands.add(x);
        }
        m.put("candidates", cands);
        m.put("seconds", r.seconds());
        return m;
    }
}
