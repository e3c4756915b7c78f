package org.emergenceinit.harness;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.emergenceinit.data.DatasetSource;
import org.emergenceinit.data.Layout;
import org.emergenceinit.weights.AlphaPilot;
import org.emergenceinit.weights.AutoRamp;
import org.emergenceinit.weights.EmergenceRamp;

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
 * {@value #HELD_OUT_EXAMPLES} test examples), and returns the run's spec with the chosen alpha (1, the stock init,
 * when nothing beats stock) and the pilot in {@link RunSpec#alphaPilot}, which the manifest keeps as
 * {@code alphaPilot}.
 */
public final class AutoAlpha {

    /** Test examples the pilot's held-out accuracy is measured on (whole batches). */
    public static final int HELD_OUT_EXAMPLES = 1000;

    private AutoAlpha() {
    }

    /**
     * The pilot's choice: the run's spec with alpha fixed and the pilot recorded, and the pilot's result.
     *
     * @param spec  the spec to train
     * @param pilot the pilot
     */
    public record Resolved(RunSpec spec, AlphaPilot.Result pilot) {
    }

    /**
     * Resolves {@code --alpha auto} in {@code spec}.
     *
     * @param spec the run's spec, with alpha auto and an emergence init
     * @param data the run's data
     * @param jobs pilot runs trained at once
     * @param log  progress lines, or null
     * @return the spec with the chosen alpha, and the pilot's result
     * @throws IllegalArgumentException if the init is not an emergence init, or an option is bad
     */
    public static Resolved resolve(RunSpec spec, DatasetSource data, int jobs, PrintWriter log) {
        InitSpec init = spec.init().spec();
        if (!init.emergence()) {
            throw new IllegalArgumentException("--alpha auto picks the alpha of an emergence init: give --init"
                    + " emergence-<base> (e.g. emergence-kaiming), not " + spec.init().name() + ".");
        }
        String archText = spec.network().arch();
        ArchSpec arch = spec.network().archSpec();
        if (arch.outputs() != data.numClasses()) {
            throw new IllegalArgumentException("--arch " + archText + " has " + arch.outputs() + " outputs but "
                    + data.name() + " has " + data.numClasses() + " classes: end the arch with " + data.numClasses()
                    + ".");
        }
        int batch = spec.schedule().batch();
        int maxBatches = spec.caps().maxBatches();
        int[] shape = data.inputShape();
        Layout layout = arch.cnn() ? Layout.IMAGE : Layout.FLAT;
        InputType input = arch.cnn() ? InputType.convolutional(shape[1], shape[2], shape[0])
                : InputType.feedForward((long) shape[0] * shape[1] * shape[2]);
        long full = (data.numTrain() + batch - 1) / batch;
        long batchesPerEpoch = maxBatches > 0 ? Math.min(full, maxBatches) : full;
        MultiLayerConfiguration conf = arch.build(spec.seed(), init.base().dl4jName(), spec.network().batchNorm(),
                input, spec.optimizer().updater(init.warmup() ? batchesPerEpoch : 0));
        AlphaPilot pilot = AlphaPilot.of(init.base()).withMode(spec.init().exponentMode())
                .withFirstSeed(spec.seed()).withJobs(jobs);
        AlphaPilot.Budget budget = AlphaPilot.Budget.forEpoch(batchesPerEpoch, AlphaPilot.DEFAULT_SEEDS);
        int evalBatches = (HELD_OUT_EXAMPLES + batch - 1) / batch;
        if (log != null) {
            log.printf(Locale.ROOT, "--alpha auto: pilot of %d steps x %d seeds, stock %s and alpha %s, %d at once%n",
                    budget.steps(), budget.seeds(), init.base().cliName(), pilot.alphas(), jobs);
            log.flush();
        }
        AutoRamp auto = EmergenceRamp.auto(pilot, conf, data.trainIterator(batch, spec.seed(), layout,
                maxBatches), data.testIterator(batch, layout, evalBatches), budget);
        Map<String, Object> record = toMap(auto.pilot());
        record.put("requested", "auto");
        record.put("chosenAlpha", auto.alpha());
        record.put("epochFraction", (double) budget.steps() / batchesPerEpoch);
        if (log != null) {
            log.printf(Locale.ROOT, "--alpha auto: alpha %s (pilot %.1f s): %s%n", auto.alpha(), auto.pilot().seconds(),
                    auto.pilot().verdict());
            log.flush();
        }
        return new Resolved(spec.toBuilder().alpha(auto.alpha()).alphaPilot(record).build(), auto.pilot());
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
