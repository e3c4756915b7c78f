package org.emergenceinit.harness;

import com.fasterxml.jackson.annotation.JsonIgnore;
import org.emergenceinit.data.OwnDataSpec;
import org.emergenceinit.weights.ExponentMode;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.schedule.ISchedule;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Everything one training run ({@link TrainingRun}) needs, immutable and checked when built: the data, the network,
 * the initialization, the optimizer, the schedule, the seed, the emergence probe, the caps and where the output
 * goes. Each part checks its own values in its constructor and refuses a bad one with a one-line
 * {@link IllegalArgumentException} naming the command-line option ({@code --epochs must be at least 1, got 0.}). The
 * command line (module {@code experiments}) only parses into a spec; code builds one with {@link #builder()}:
 *
 * <pre>{@code
 * RunSpec spec = RunSpec.builder().init("emergence-kaiming").alpha(1.1).epochs(2).build();
 * RunResult r = TrainingRun.run(spec, new PrintWriter(System.out, true));
 * }</pre>
 *
 * @param data       the dataset and how a user's own data is read
 * @param network    the network shape and BatchNorm
 * @param init       the initialization, its alpha and exponent mode
 * @param optimizer  the optimizer, learning rate and momentum
 * @param schedule   epochs and batch size
 * @param seed       seeds the configuration (weights) and the per-epoch shuffles
 * @param probe      the emergence probe batch
 * @param caps       the cap on batches per epoch and evaluation
 * @param evaluation what is measured besides the test set and {@code E}: the training-set accuracy
 *                   ({@link Evaluation}); none of it changes the training or the run name; null (a spec written
 *                   before it existed) is {@link Evaluation#DEFAULT}
 * @param output     where the run writes and what it keeps; progress lines
 * @param alphaPilot the pilot that chose alpha for {@code --alpha auto} ({@link AutoAlpha#toMap} plus its choice),
 *                   recorded in the manifest as {@code alphaPilot} (not inside its {@code spec}); null when alpha
 *                   was given
 */
public record RunSpec(Data data, Network network, Init init, Optimizer optimizer, Schedule schedule, long seed,
                      Probe probe, Caps caps, Evaluation evaluation, Output output,
                      @JsonIgnore Map<String, Object> alphaPilot) {

    /** Default epochs, the same for every command and example. */
    public static final int DEFAULT_EPOCHS = 2;
    /** The momentum {@code sgd} gets when no momentum is given: Nesterov 0.9. */
    public static final double DEFAULT_SGD_MOMENTUM = 0.9;
    /** Default probe batch: the first 1000 test images. */
    public static final int DEFAULT_PROBE_SAMPLES = 1000;
    /** Default dataset. */
    public static final String DEFAULT_DATASET = "mnist-embedded";
    /** Default network. */
    public static final String DEFAULT_ARCH = "mlp:784-256-128-10";
    /** Default init. */
    public static final String DEFAULT_INIT = "emergence-xavier";
    /** Default alpha. */
    public static final double DEFAULT_ALPHA = 1.2;
    /** Default exponent mode. */
    public static final String DEFAULT_MODE = "centred";
    /** Default batch size. */
    public static final int DEFAULT_BATCH = 128;
    /** Default learning rate. */
    public static final double DEFAULT_LR = 0.01;
    /** Default optimizer. */
    public static final String DEFAULT_OPTIMIZER = "sgd";
    /** Default seed. */
    public static final long DEFAULT_SEED = 1;
    /** Default seconds between progress lines while an epoch trains. */
    public static final double DEFAULT_PROGRESS_SECONDS = 10;

    /**
     * Checks that every part is there ({@code evaluation} may be null: {@link Evaluation#DEFAULT}, as in the specs
     * recorded before it existed); copies {@code alphaPilot}.
     */
    public RunSpec {
        evaluation = evaluation == null ? Evaluation.DEFAULT : evaluation;
        if (data == null || network == null || init == null || optimizer == null || schedule == null
                || probe == null || caps == null || output == null) {
            throw new IllegalArgumentException("A run spec needs data, network, init, optimizer, schedule, probe,"
                    + " caps and output.");
        }
        alphaPilot = alphaPilot == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(alphaPilot));
    }

    /**
     * The data.
     *
     * @param dataset mnist-embedded, mnist, fashion-mnist, cifar10, images:DIR or csv:FILE
     * @param dataDir the data folder, or null ({@code $EMERGENCE_DATA}, then DL4J's cache and download)
     * @param own     how {@code images:DIR} and {@code csv:FILE} are read and split (null: the defaults)
     */
    public record Data(String dataset, Path dataDir, OwnDataSpec own) {
        /** @throws IllegalArgumentException when there is no dataset */
        public Data {
            if (dataset == null) {
                throw new IllegalArgumentException("--dataset is required: mnist-embedded, mnist, fashion-mnist,"
                        + " cifar10, images:DIR or csv:FILE.");
            }
            own = own == null ? OwnDataSpec.DEFAULTS : own;
        }

        /** Whether {@link #dataset} is the user's own data ({@code images:DIR} or {@code csv:FILE}). */
        public boolean ownData() {
            String d = dataset.trim().toLowerCase(Locale.ROOT);
            return d.startsWith("images:") || d.startsWith("csv:");
        }
    }

    /**
     * The network.
     *
     * @param arch      the shape as written ({@link ArchSpec}), e.g. {@code mlp:784-256-128-10}
     * @param batchNorm BatchNorm before each ReLU
     */
    public record Network(String arch, boolean batchNorm) {
        /** @throws IllegalArgumentException for a malformed {@code arch} */
        public Network {
            ArchSpec.parse(arch);
        }

        /** The parsed shape. */
        public ArchSpec archSpec() {
            return ArchSpec.parse(arch);
        }
    }

    /**
     * The initialization.
     *
     * @param name      the init by name ({@link InitSpec}, LSUV and warm-up baselines included)
     * @param alpha     the ratio between neighbouring layers' weight scales of an emergence init
     * @param alphaAuto whether alpha is still to be chosen by a pilot ({@code --alpha auto}, see {@link AutoAlpha})
     * @param mode      exponents: centred or integer ({@link ExponentMode})
     */
    public record Init(String name, double alpha, boolean alphaAuto, String mode) {
        /** @throws IllegalArgumentException for a bad mode, alpha or init name */
        public Init {
            ExponentMode.parse(mode);
            if (!alphaAuto && (!(alpha > 0) || Double.isInfinite(alpha))) {
                throw new IllegalArgumentException("--alpha must be a finite number > 0, got " + alpha + ".");
            }
            InitSpec.parse(name);
        }

        /** The parsed init. */
        public InitSpec spec() {
            return InitSpec.parse(name);
        }

        /** The parsed exponent mode. */
        public ExponentMode exponentMode() {
            return ExponentMode.parse(mode);
        }

        /** What was asked for: {@link AlphaChoice#AUTO}, or the fixed alpha. */
        public AlphaChoice alphaChoice() {
            return alphaAuto ? AlphaChoice.AUTO : new AlphaChoice.Fixed(alpha);
        }
    }

    /**
     * The optimizer.
     *
     * @param kind     sgd or adam
     * @param lr       the learning rate, constant (or warmed up by a {@code +warmup} init), > 0
     * @param momentum Nesterov momentum of sgd in [0, 1), 0 for plain SGD; null (not given): 0.9 for sgd, none for
     *                 adam (which takes none)
     */
    public record Optimizer(String kind, double lr, Double momentum) {
        /** @throws IllegalArgumentException for a bad rate, an unknown optimizer or a momentum out of range */
        public Optimizer {
            if (!(lr > 0) || Double.isInfinite(lr)) {
                throw new IllegalArgumentException("--lr must be a finite number > 0, got " + lr + ".");
            }
            if (kind == null) {
                throw new IllegalArgumentException("Unknown --optimizer 'null': use sgd or adam.");
            }
            build(kind, lr, momentum, 0);
        }

        /**
         * The optimizer: {@code Sgd(lr)}, {@code Nesterovs(lr, momentum)} for sgd with momentum, or
         * {@code Adam(lr)}, with the learning rate warmed up linearly over the first {@code warmupIterations}
         * iterations: {@code lr * (i + 1) / n} at iteration {@code i < n - 1}, then {@code lr} (a
         * {@link WarmupSchedule}, stored in the configuration JSON).
         *
         * @param warmupIterations iterations of the ramp, typically one epoch's batches; 0 for a constant rate
         */
        public IUpdater updater(long warmupIterations) {
            return build(kind, lr, momentum, warmupIterations);
        }

        private static IUpdater build(String kind, double lr, Double momentum, long warmupIterations) {
            double m = momentumOf(kind, momentum);
            if (warmupIterations < 0 || warmupIterations > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("Warm-up iterations must be in [0, 2^31), got " + warmupIterations
                        + ".");
            }
            ISchedule rate = warmupIterations == 0 ? null : new WarmupSchedule(lr, (int) warmupIterations);
            switch (kind.trim().toLowerCase(Locale.ROOT)) {
                case "sgd":
                    if (m == 0) {
                        return rate == null ? new Sgd(lr) : new Sgd(rate);
                    }
                    return rate == null ? new Nesterovs(lr, m) : new Nesterovs(rate, m);
                case "adam":
                    if (momentum != null && momentum != 0) {
                        throw new IllegalArgumentException("--momentum applies to --optimizer sgd only, got adam"
                                + " with momentum " + m + ".");
                    }
                    return rate == null ? new Adam(lr) : new Adam(rate);
                default:
                    throw new IllegalArgumentException("Unknown --optimizer '" + kind + "': use sgd or adam.");
            }
        }

        private static double momentumOf(String kind, Double momentum) {
            if (momentum != null) {
                if (!(momentum >= 0 && momentum < 1)) {
                    throw new IllegalArgumentException("--momentum must be in [0, 1), got " + momentum + ".");
                }
                return momentum;
            }
            return "sgd".equals(kind.trim().toLowerCase(Locale.ROOT)) ? DEFAULT_SGD_MOMENTUM : 0;
        }

        /** The optimizer with a constant rate. */
        public IUpdater updater() {
            return updater(0);
        }

        /**
         * The momentum in effect: {@link #momentum} when given, else {@value RunSpec#DEFAULT_SGD_MOMENTUM} for sgd
         * and 0 for adam.
         *
         * @throws IllegalArgumentException for a given momentum outside [0, 1)
         */
        public double momentumValue() {
            return momentumOf(kind, momentum);
        }

        /** The optimizer as written in names and tables: {@code sgd}, {@code sgd+nesterov0.9} or {@code adam}. */
        public String label() {
            String name = kind.trim().toLowerCase(Locale.ROOT);
            double m = momentumValue();
            return m == 0 ? name : name + "+nesterov" + m;
        }
    }

    /**
     * How long and in what steps.
     *
     * @param epochs passes over the training set, >= 1
     * @param batch  examples per minibatch, >= 1
     */
    public record Schedule(int epochs, int batch) {
        /** @throws IllegalArgumentException for a count below 1 */
        public Schedule {
            positive("--epochs", epochs);
            positive("--batch", batch);
        }
    }

    /**
     * The emergence probe: the first {@code samples} test images, the measure's default rule and threshold.
     *
     * @param samples probe images, >= 1 (at most the test set's size are used)
     */
    public record Probe(int samples) {
        /** @throws IllegalArgumentException for a count below 1 */
        public Probe {
            positive("--probe-samples", samples);
        }
    }

    /**
     * Caps.
     *
     * @param maxBatches stop each epoch, and each evaluation, after this many batches; 0: no cap
     */
    public record Caps(int maxBatches) {
        /** @throws IllegalArgumentException for a negative cap */
        public Caps {
            if (maxBatches < 0) {
                throw new IllegalArgumentException("--max-batches must be >= 0 (0 = no cap), got " + maxBatches
                        + ".");
            }
        }
    }

    /**
     * What a run measures besides the test loss and accuracy and {@code E} on the probe. Nothing here changes the
     * training: the network, its updates and the batch order are those of the same run without it (tested bit for
     * bit), and the run name is the same; the rows get more numbers, so the option is part of the run's recorded
     * {@code options} (a run made without it is not resumed or reused as one with it).
     *
     * @param trainAccuracy the accuracy over the training set after every epoch and at epoch 0
     *                      ({@link EpochStats#trainAccuracy()}, else NaN): a separate pass over the training data in
     *                      file order, not shuffled (the training batches' order and random numbers are untouched), in
     *                      inference mode (BatchNorm's running statistics, as for the test set), in batches of
     *                      {@code --batch} and, like the test evaluation, at most {@code --max-batches} of them (so the
     *                      whole training set without a cap); its time is not in {@link EpochStats#seconds()}. It
     *                      costs one inference pass over the training set per epoch. Off by default.
     */
    public record Evaluation(boolean trainAccuracy) {
        /** Nothing more than the test set and {@code E}: the default, and what a run recorded before had. */
        public static final Evaluation DEFAULT = new Evaluation(false);
    }

    /**
     * Where the run writes and what it prints; none of it changes the numbers except {@link #tag}, which names
     * another run.
     *
     * @param out             the folder receiving manifest.json and epochs.csv; null: {@code runs/<run name>}
     * @param tag             a label appended to the run name ({@code _<tag>}), e.g. {@code prune30}; null for none
     * @param keepModel       whether {@value TrainingRun#MODEL_FILE} stays after the run finishes (false in sweeps)
     * @param replace         whether a run with other options in the folder is trained anew over (true in sweeps,
     *                        whose folders are their own) instead of refused
     * @param logEvery        a progress line every N batches besides the one per epoch; 0: per epoch only
     * @param progressSeconds a progress line at least this often while an epoch trains; 0 turns it off
     */
    public record Output(Path out, String tag, boolean keepModel, boolean replace, int logEvery,
                         double progressSeconds) {
        /** @throws IllegalArgumentException for a negative count or time */
        public Output {
            if (logEvery < 0) {
                throw new IllegalArgumentException("--log-every must be >= 0 (0 = once per epoch), got " + logEvery
                        + ".");
            }
            if (!(progressSeconds >= 0) || Double.isInfinite(progressSeconds)) {
                throw new IllegalArgumentException("--progress-seconds must be a finite number >= 0 (0 = off), got "
                        + progressSeconds + ".");
            }
        }
    }

    private static void positive(String option, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(option + " must be at least 1, got " + value + ".");
        }
    }

    /**
     * Refuses a spec whose alpha is still {@code auto}.
     *
     * @throws IllegalArgumentException saying that only train takes {@code --alpha auto}
     */
    public RunSpec requireFixedAlpha() {
        if (init.alphaAuto()) {
            throw new IllegalArgumentException("--alpha auto is chosen by a pilot before one training run: only"
                    + " train takes it (with an emergence- init); give a number here.");
        }
        return this;
    }

    /** Whether the dataset is the user's own data ({@code images:DIR} or {@code csv:FILE}). */
    public boolean ownData() {
        return data.ownData();
    }

    /**
     * The run's name, encoding every option that changes its numbers except the epoch count (a run of N epochs is
     * the start of a run of more: the same folder is continued, see {@link TrainingRun}), e.g.
     * {@code mnist-embedded_mlp-784-256-128-10_emergence-kaiming-a1.1_bn_sgd+nesterov0.9-lr0.01_b128_s1}. Options
     * at their defaults are left out, so that the names of runs made before they were added stay the same; others
     * are appended before the seed: integer exponents ({@code -a1.1-integer}), a batch cap ({@code _mb20}), the
     * probe size ({@code _p500}), the own-data options of {@code images:DIR} and {@code csv:FILE}
     * ({@link OwnDataSpec#nameSuffix()}), and a tag ({@code _prune30}). The training-set accuracy
     * ({@link Evaluation}) is not in it: it adds a measurement, the training is the same. Usable as a folder name.
     */
    public String runName() {
        return settingName() + "_s" + seed;
    }

    /**
     * The name of the run's setting: {@link #runName()} without its {@code _s<seed>} suffix (the runs of one setting
     * differ only in their seed).
     */
    public String settingName() {
        InitSpec spec = init.spec();
        boolean integer = spec.emergence() && init.exponentMode() != ExponentMode.CENTRED;
        String name = String.join("_", data.dataset(), network.arch().trim(), spec.name()
                        + (spec.emergence() ? "-a" + init.alpha() : "") + (integer ? "-integer" : ""))
                + (network.batchNorm() ? "_bn" : "") + "_" + optimizer.label() + "-lr" + optimizer.lr() + "_b"
                + schedule.batch()
                + (caps.maxBatches() > 0 ? "_mb" + caps.maxBatches() : "")
                + (probe.samples() != DEFAULT_PROBE_SAMPLES ? "_p" + probe.samples() : "")
                + (ownData() ? data.own().nameSuffix() : "")
                + (output.tag() == null ? "" : "_" + output.tag());
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._+-]", "-");
    }

    /** The output folder: {@link Output#out}, or {@code runs/<run name>}. */
    public Path outDir() {
        return output.out() != null ? output.out() : Path.of("runs", runName());
    }

    /** The epochs to train. */
    public int epochs() {
        return schedule.epochs();
    }

    @Override
    public String toString() {
        return describe(probe.samples());
    }

    /**
     * The spec in words, with the number of probe images actually used (the probe size capped at the test set's
     * size); alpha only for an emergence init.
     */
    public String describe(int probeImages) {
        boolean ramp = init.spec().emergence();
        return "init " + init.name() + ", seed " + seed + ", " + describeTraining(ramp, probeImages);
    }

    /**
     * The options other than init and seed, in words.
     *
     * @param withAlpha   whether alpha and the exponent mode are shown
     * @param probeImages the probe images actually used
     */
    public String describeTraining(boolean withAlpha, int probeImages) {
        return String.format(Locale.ROOT, "dataset %s, arch %s%s%s, %s lr %s, batch %d, %d epoch(s)%s,"
                        + " probe %d test images%s", data.dataset(), network.arch(),
                network.batchNorm() ? " + BatchNorm" : "",
                withAlpha ? String.format(Locale.ROOT, ", alpha %s (%s)", init.alpha(), init.mode()) : "",
                optimizer.label(), optimizer.lr(), schedule.batch(), schedule.epochs(),
                caps.maxBatches() > 0 ? ", at most " + caps.maxBatches() + " batches each" : "", probeImages,
                evaluation.trainAccuracy() ? ", training-set accuracy each epoch" : "");
    }

    /** A builder with the defaults of every command. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this spec's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.dataset = data.dataset();
        b.dataDir = data.dataDir();
        b.own = data.own();
        b.arch = network.arch();
        b.batchNorm = network.batchNorm();
        b.init = init.name();
        b.alpha = init.alpha();
        b.alphaAuto = init.alphaAuto();
        b.mode = init.mode();
        b.optimizer = optimizer.kind();
        b.lr = optimizer.lr();
        b.momentum = optimizer.momentum();
        b.epochs = schedule.epochs();
        b.batch = schedule.batch();
        b.seed = seed;
        b.probeSamples = probe.samples();
        b.maxBatches = caps.maxBatches();
        b.trainAccuracy = evaluation.trainAccuracy();
        b.out = output.out();
        b.tag = output.tag();
        b.keepModel = output.keepModel();
        b.replace = output.replace();
        b.logEvery = output.logEvery();
        b.progressSeconds = output.progressSeconds();
        b.alphaPilot = alphaPilot;
        return b;
    }

    /** This spec with another init and seed. */
    public RunSpec withInitAndSeed(String initName, long newSeed) {
        return toBuilder().init(initName).seed(newSeed).build();
    }

    /** This spec writing into {@code dir} (null: {@code runs/<run name>}). */
    public RunSpec withOut(Path dir) {
        return toBuilder().out(dir).build();
    }

    /** Collects a spec's values, with the defaults of every command; {@link #build()} checks them. */
    public static final class Builder {
        private String dataset = DEFAULT_DATASET;
        private Path dataDir;
        private OwnDataSpec own = OwnDataSpec.DEFAULTS;
        private String arch = DEFAULT_ARCH;
        private boolean batchNorm;
        private String init = DEFAULT_INIT;
        private double alpha = DEFAULT_ALPHA;
        private boolean alphaAuto;
        private String mode = DEFAULT_MODE;
        private String optimizer = DEFAULT_OPTIMIZER;
        private double lr = DEFAULT_LR;
        private Double momentum;
        private int epochs = DEFAULT_EPOCHS;
        private int batch = DEFAULT_BATCH;
        private long seed = DEFAULT_SEED;
        private int probeSamples = DEFAULT_PROBE_SAMPLES;
        private int maxBatches;
        private boolean trainAccuracy;
        private Path out;
        private String tag;
        private boolean keepModel = true;
        private boolean replace;
        private int logEvery;
        private double progressSeconds = DEFAULT_PROGRESS_SECONDS;
        private Map<String, Object> alphaPilot;

        private Builder() {
        }

        public Builder dataset(String v) { dataset = v; return this; }
        public Builder dataDir(Path v) { dataDir = v; return this; }
        public Builder own(OwnDataSpec v) { own = v; return this; }
        public Builder arch(String v) { arch = v; return this; }
        public Builder batchNorm(boolean v) { batchNorm = v; return this; }
        public Builder init(String v) { init = v; return this; }
        /** A fixed alpha (no pilot). */
        public Builder alpha(double v) { alpha = v; alphaAuto = false; return this; }
        /** Alpha to be chosen by a pilot ({@code --alpha auto}). */
        public Builder alphaAuto() { alphaAuto = true; return this; }
        /** {@link AlphaChoice#AUTO} or a fixed alpha. */
        public Builder alpha(AlphaChoice choice) {
            return choice instanceof AlphaChoice.Fixed f ? alpha(f.value()) : alphaAuto();
        }
        public Builder mode(String v) { mode = v; return this; }
        public Builder optimizer(String v) { optimizer = v; return this; }
        public Builder lr(double v) { lr = v; return this; }
        public Builder momentum(Double v) { momentum = v; return this; }
        public Builder epochs(int v) { epochs = v; return this; }
        public Builder batch(int v) { batch = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder probeSamples(int v) { probeSamples = v; return this; }
        public Builder maxBatches(int v) { maxBatches = v; return this; }
        /** {@link Evaluation#trainAccuracy()}: the training-set accuracy after every epoch (default off). */
        public Builder trainAccuracy(boolean v) { trainAccuracy = v; return this; }
        public Builder out(Path v) { out = v; return this; }
        public Builder tag(String v) { tag = v; return this; }
        public Builder keepModel(boolean v) { keepModel = v; return this; }
        public Builder replace(boolean v) { replace = v; return this; }
        public Builder logEvery(int v) { logEvery = v; return this; }
        public Builder progressSeconds(double v) { progressSeconds = v; return this; }
        public Builder alphaPilot(Map<String, Object> v) { alphaPilot = v; return this; }

        /**
         * The spec.
         *
         * @throws IllegalArgumentException with one line naming the first bad option
         */
        public RunSpec build() {
            Network n = new Network(arch, batchNorm);
            Init i = new Init(init, alpha, alphaAuto, mode);
            Data d = new Data(dataset, dataDir, own);
            Schedule s = new Schedule(epochs, batch);
            Probe p = new Probe(probeSamples);
            Optimizer o = new Optimizer(optimizer, lr, momentum);
            Caps c = new Caps(maxBatches);
            Evaluation e = new Evaluation(trainAccuracy);
            Output w = new Output(out, tag, keepModel, replace, logEvery, progressSeconds);
            return new RunSpec(d, n, i, o, s, seed, p, c, e, w, alphaPilot);
        }
    }
}
