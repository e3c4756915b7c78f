package org.emergenceinit.harness;

import org.emergenceinit.weights.ExponentMode;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.emergenceinit.data.DataOptions;
import org.nd4j.linalg.schedule.ISchedule;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The options of a training run that do not name one initialization or one seed: data, network, optimizer, length,
 * output. A picocli mixin shared by the example mains, {@code bin/emergence train} and {@code bin/emergence compare};
 * {@link RunOptions} adds {@code --init} and {@code --seed}.
 *
 * <p>The defaults are the fields' initial values (picocli shows them in {@code --help}); a command or example sets
 * other defaults by assigning the fields before parsing. {@link #toString()} prints every option.
 */
public class TrainingOptions {

    /** {@code --dataset}: mnist-embedded (default), mnist, fashion-mnist, cifar10, images:DIR or csv:FILE. */
    @Option(names = "--dataset", paramLabel = "NAME",
            description = "mnist-embedded, mnist, fashion-mnist, cifar10, images:DIR (one subfolder per class) or"
                    + " csv:FILE (numeric table) (default: ${DEFAULT-VALUE}).")
    public String dataset = "mnist-embedded";

    /** How {@code images:DIR} and {@code csv:FILE} are read and split. */
    @Mixin
    public DataOptions data = new DataOptions();

    /** {@code --arch}: the network shape, see {@link ArchSpec}; default {@code mlp:784-256-128-10}. */
    @Option(names = "--arch", paramLabel = "SPEC",
            description = "Network shape: mlp:784-256-128-10 or cnn:c32-c32-p-c64-c64-p-f256-10"
                    + " (default: ${DEFAULT-VALUE}).")
    public String arch = "mlp:784-256-128-10";

    /** {@code --bn}: BatchNorm before each ReLU; default off. */
    @Option(names = "--bn", description = "BatchNorm before each ReLU.")
    public boolean batchNorm;

    /**
     * The ratio between neighbouring layers' weight scales of an emergence init, the value a run uses; default 1.2.
     * Set by {@code --alpha A}; {@code --alpha auto} leaves it to a pilot (see {@link #alphaChoice()}).
     */
    public double alpha = 1.2;

    /** Whether {@code --alpha auto} was given and no pilot has chosen alpha yet ({@link #resolveAlpha}). */
    private boolean alphaAuto;

    /** {@code --alpha A|auto}: a fixed alpha, or {@code auto} (train only: a pilot picks it, see {@link AutoAlpha}). */
    @Option(names = "--alpha", paramLabel = "A|auto", converter = AlphaChoice.Converter.class,
            description = "Ratio between neighbouring layers' weight scales of an emergence init, > 0 (default: 1.2);"
                    + " train also takes auto: a short multi-seed pilot picks it (1 = stock when nothing beats stock).")
    void alphaOption(AlphaChoice choice) {
        if (choice instanceof AlphaChoice.Fixed f) {
            alpha = f.value();
            alphaAuto = false;
        } else {
            alphaAuto = true;
        }
    }

    /** What {@code --alpha} asks for: {@link AlphaChoice#AUTO} until a pilot has chosen, else the fixed alpha. */
    public AlphaChoice alphaChoice() {
        return alphaAuto ? AlphaChoice.AUTO : new AlphaChoice.Fixed(alpha);
    }

    /** Sets the alpha a pilot (or the caller) chose; {@code --alpha auto} is then resolved. */
    public void resolveAlpha(double chosen) {
        alpha = chosen;
        alphaAuto = false;
    }

    /** Asks for {@code --alpha auto}, as the option does. */
    public void autoAlpha() {
        alphaAuto = true;
    }

    /** {@code --mode}: exponents centred (default) or integer, see {@link ExponentMode}. */
    @Option(names = "--mode", description = "Exponents: centred or integer (default: ${DEFAULT-VALUE}).")
    public String mode = "centred";

    /** Default {@link #epochs}, the same for every command and example. */
    public static final int DEFAULT_EPOCHS = 2;
    /** The momentum {@code sgd} gets when {@code --momentum} is not given: Nesterov 0.9. */
    public static final double DEFAULT_SGD_MOMENTUM = 0.9;

    /** {@code --epochs}: passes over the training set, at least 1; default {@value #DEFAULT_EPOCHS}. */
    @Option(names = "--epochs", description = "Passes over the training set, >= 1 (default: ${DEFAULT-VALUE}).")
    public int epochs = DEFAULT_EPOCHS;

    /** {@code --batch}: examples per minibatch, at least 1; default 128. */
    @Option(names = "--batch", description = "Examples per minibatch, >= 1 (default: ${DEFAULT-VALUE}).")
    public int batch = 128;

    /** {@code --lr}: the learning rate, constant, above 0; default 0.01. */
    @Option(names = "--lr", description = "Learning rate, constant, > 0 (default: ${DEFAULT-VALUE}).")
    public double lr = 0.01;

    /** {@code --optimizer}: sgd (default) or adam. */
    @Option(names = "--optimizer", description = "sgd or adam (default: ${DEFAULT-VALUE}).")
    public String optimizer = "sgd";

    /**
     * {@code --momentum}: Nesterov momentum of sgd, in [0, 1), 0 for plain SGD; null (not given, the default): 0.9
     * for sgd, none for adam (which takes no momentum). See {@link #momentumValue()}.
     */
    @Option(names = "--momentum", paramLabel = "M", description = "Nesterov momentum for sgd, in [0, 1); 0 is plain"
            + " SGD (default: 0.9 for sgd; adam takes none).")
    public Double momentum;

    /** {@code --max-batches}: stop each epoch, and each evaluation, after this many batches; 0 (default): no cap. */
    @Option(names = "--max-batches", paramLabel = "K", description = "Stop each epoch and each test evaluation after"
            + " K batches; 0 = no cap (default: ${DEFAULT-VALUE}).")
    public int maxBatches;

    /** {@code --data-dir}: the data folder; default {@code $EMERGENCE_DATA}, then DL4J's cache and download. */
    @Option(names = "--data-dir", paramLabel = "DIR", description = "Folder laid out like shared/datasets (mnist/,"
            + " fashion-mnist/, cifar-10-batches-bin/ or cifar-10-subset/); default: $EMERGENCE_DATA, then DL4J's"
            + " cache and download.")
    public Path dataDir;

    /** {@code --out}: the folder receiving manifest.json and epochs.csv; default {@code runs/<run name>}. */
    @Option(names = "--out", paramLabel = "DIR",
            description = "Folder for manifest.json and epochs.csv (default: runs/<run name>).")
    public Path out;

    /** Default {@link #probeSamples}. */
    public static final int DEFAULT_PROBE_SAMPLES = 1000;

    /** {@code --probe-samples}: the emergence probe batch, the first N test images; default 1000. */
    @Option(names = "--probe-samples", paramLabel = "N", description = "Emergence probe batch: the first N test"
            + " images, >= 1 (default: ${DEFAULT-VALUE}).")
    public int probeSamples = DEFAULT_PROBE_SAMPLES;

    /** {@code --log-every}: a progress line every N batches besides the one per epoch; 0 (default): per epoch only. */
    @Option(names = "--log-every", paramLabel = "N", description = "Also print progress every N batches; 0 = once"
            + " per epoch (default: ${DEFAULT-VALUE}).")
    public int logEvery;

    /** {@code --progress-seconds}: a progress line at least this often while an epoch trains; 0 turns it off. */
    @Option(names = "--progress-seconds", paramLabel = "S", description = "Also print progress (batches done,"
            + " examples/s, time left) every S seconds while an epoch trains; 0 = off (default: ${DEFAULT-VALUE}).")
    public double progressSeconds = 10;

    /** Whether {@link #dataset} is the user's own data ({@code images:DIR} or {@code csv:FILE}), read with {@link #data}. */
    public boolean ownData() {
        String d = dataset == null ? "" : dataset.trim().toLowerCase(Locale.ROOT);
        return d.startsWith("images:") || d.startsWith("csv:");
    }

    /** Options with the defaults above. */
    public TrainingOptions() {
    }

    /** A copy of {@code other}'s options. */
    protected TrainingOptions(TrainingOptions other) {
        dataset = other.dataset;
        arch = other.arch;
        batchNorm = other.batchNorm;
        alpha = other.alpha;
        alphaAuto = other.alphaAuto;
        mode = other.mode;
        epochs = other.epochs;
        batch = other.batch;
        lr = other.lr;
        optimizer = other.optimizer;
        momentum = other.momentum;
        maxBatches = other.maxBatches;
        dataDir = other.dataDir;
        data = new DataOptions(other.data);
        out = other.out;
        probeSamples = other.probeSamples;
        logEvery = other.logEvery;
        progressSeconds = other.progressSeconds;
    }

    /**
     * Checks every option that does not need the data.
     *
     * @throws IllegalArgumentException with one line naming the option, the value and what is accepted
     */
    public void validate() {
        ArchSpec.parse(arch);
        ExponentMode.parse(mode);
        if (alphaAuto) {
            throw new IllegalArgumentException("--alpha auto is chosen by a pilot before one training run: only"
                    + " train takes it (with an emergence- init); give a number here.");
        }
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("--alpha must be a finite number > 0, got " + alpha + ".");
        }
        data.validate();
        positive("--epochs", epochs);
        positive("--batch", batch);
        positive("--probe-samples", probeSamples);
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("--lr must be a finite number > 0, got " + lr + ".");
        }
        if (maxBatches < 0) {
            throw new IllegalArgumentException("--max-batches must be >= 0 (0 = no cap), got " + maxBatches + ".");
        }
        if (logEvery < 0) {
            throw new IllegalArgumentException("--log-every must be >= 0 (0 = once per epoch), got " + logEvery + ".");
        }
        if (!(progressSeconds >= 0) || Double.isInfinite(progressSeconds)) {
            throw new IllegalArgumentException("--progress-seconds must be a finite number >= 0 (0 = off), got "
                    + progressSeconds + ".");
        }
        updater();
    }

    private static void positive(String option, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(option + " must be at least 1, got " + value + ".");
        }
    }

    /**
     * The optimizer: {@code Sgd(lr)}, {@code Nesterovs(lr, momentum)} for sgd with momentum, or {@code Adam(lr)}.
     *
     * @throws IllegalArgumentException for an unknown optimizer or a momentum out of range
     */
    public IUpdater updater() {
        return updater(0);
    }

    /**
     * The optimizer as {@link #updater()}, with the learning rate warmed up linearly over the first
     * {@code warmupIterations} iterations: {@code lr * (i + 1) / n} at iteration {@code i < n - 1}, then {@code lr}
     * (a {@link WarmupSchedule}, stored in the configuration JSON).
     *
     * @param warmupIterations iterations of the ramp, typically one epoch's batches; 0 for a constant rate
     * @throws IllegalArgumentException for an unknown optimizer, a momentum out of range or a negative count
     */
    public IUpdater updater(long warmupIterations) {
        double momentum = momentumValue();
        if (warmupIterations < 0 || warmupIterations > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Warm-up iterations must be in [0, 2^31), got " + warmupIterations
                    + ".");
        }
        ISchedule rate = warmupIterations == 0 ? null : new WarmupSchedule(lr, (int) warmupIterations);
        switch (optimizer.trim().toLowerCase(Locale.ROOT)) {
            case "sgd":
                if (momentum == 0) {
                    return rate == null ? new Sgd(lr) : new Sgd(rate);
                }
                return rate == null ? new Nesterovs(lr, momentum) : new Nesterovs(rate, momentum);
            case "adam":
                if (this.momentum != null && this.momentum != 0) {
                    throw new IllegalArgumentException("--momentum applies to --optimizer sgd only, got adam with"
                            + " momentum " + momentum + ".");
                }
                return rate == null ? new Adam(lr) : new Adam(rate);
            default:
                throw new IllegalArgumentException("Unknown --optimizer '" + optimizer + "': use sgd or adam.");
        }
    }

    /**
     * The momentum in effect: {@link #momentum} when given, else {@value #DEFAULT_SGD_MOMENTUM} for sgd and 0 for
     * adam (and for an unknown optimizer, which {@link #updater()} refuses).
     *
     * @throws IllegalArgumentException for a given momentum outside [0, 1)
     */
    public double momentumValue() {
        if (momentum != null) {
            if (!(momentum >= 0 && momentum < 1)) {
                throw new IllegalArgumentException("--momentum must be in [0, 1), got " + momentum + ".");
            }
            return momentum;
        }
        return "sgd".equals(optimizer.trim().toLowerCase(Locale.ROOT)) ? DEFAULT_SGD_MOMENTUM : 0;
    }

    /** The optimizer as written in names and tables: {@code sgd}, {@code sgd+nesterov0.9} or {@code adam}. */
    public String optimizerLabel() {
        String name = optimizer.trim().toLowerCase(Locale.ROOT);
        double m = momentumValue();
        return m == 0 ? name : name + "+nesterov" + m;
    }

    @Override
    public String toString() {
        return describe(true, probeSamples);
    }

    /**
     * The options in words.
     *
     * @param withAlpha   whether alpha and the exponent mode are shown (not for a stock init, which has no ramp)
     * @param probeImages the probe images actually used (at most the test set's size)
     */
    protected String describe(boolean withAlpha, int probeImages) {
        return String.format(Locale.ROOT, "dataset %s, arch %s%s%s, %s lr %s, batch %d, %d epoch(s)%s,"
                        + " probe %d test images", dataset, arch, batchNorm ? " + BatchNorm" : "",
                withAlpha ? String.format(Locale.ROOT, ", alpha %s (%s)", alpha, mode) : "",
                optimizerLabel(), lr, batch, epochs, maxBatches > 0 ? ", at most " + maxBatches + " batches each" : "",
                probeImages);
    }
}
