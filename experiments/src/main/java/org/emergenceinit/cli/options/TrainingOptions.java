package org.emergenceinit.cli.options;

import org.emergenceinit.harness.AlphaChoice;
import org.emergenceinit.harness.ArchSpec;
import org.emergenceinit.harness.RunSpec;
import org.nd4j.linalg.learning.config.IUpdater;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The options of a training run that do not name one initialization or one seed: data, network, optimizer, length,
 * output. A picocli mixin shared by the example mains, {@code bin/emergence train} and {@code bin/emergence compare};
 * {@link RunOptions} adds {@code --init} and {@code --seed}. It only parses: {@link #toSpec(String, long)} gives the
 * harness's immutable {@link RunSpec}, which checks the values.
 *
 * <p>The defaults are the fields' initial values (picocli shows them in {@code --help}), those of {@link RunSpec}; a
 * command or example sets other defaults by assigning the fields before parsing.
 */
public class TrainingOptions {

    /** {@code --dataset}: mnist-embedded (default), mnist, fashion-mnist, cifar10, images:DIR or csv:FILE. */
    @Option(names = "--dataset", paramLabel = "NAME",
            description = "mnist-embedded, mnist, fashion-mnist, cifar10, images:DIR (one subfolder per class) or"
                    + " csv:FILE (numeric table) (default: ${DEFAULT-VALUE}).")
    public String dataset = RunSpec.DEFAULT_DATASET;

    /** How {@code images:DIR} and {@code csv:FILE} are read and split. */
    @Mixin
    public DataOptions data = new DataOptions();

    /** {@code --arch}: the network shape, see {@link ArchSpec}; default {@code mlp:784-256-128-10}. */
    @Option(names = "--arch", paramLabel = "SPEC",
            description = "Network shape: mlp:784-256-128-10 or cnn:c32-c32-p-c64-c64-p-f256-10"
                    + " (default: ${DEFAULT-VALUE}).")
    public String arch = RunSpec.DEFAULT_ARCH;

    /** {@code --bn}: BatchNorm before each ReLU; default off. */
    @Option(names = "--bn", description = "BatchNorm before each ReLU.")
    public boolean batchNorm;

    /**
     * The ratio between neighbouring layers' weight scales of an emergence init, the value a run uses; default 1.2.
     * Set by {@code --alpha A}; {@code --alpha auto} leaves it to a pilot (see {@link #alphaChoice()}).
     */
    public double alpha = RunSpec.DEFAULT_ALPHA;

    /** Whether {@code --alpha auto} was given and no pilot has chosen alpha yet ({@link #resolveAlpha}). */
    private boolean alphaAuto;

    /** {@code --alpha A|auto}: a fixed alpha, or {@code auto} (train only: a pilot picks it, see {@link AutoAlpha}). */
    @Option(names = "--alpha", paramLabel = "A|auto", converter = AlphaChoiceConverter.class,
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

    /** Asks for {@code --alpha auto}, as the option does. */
    public void autoAlpha() {
        alphaAuto = true;
    }

    /** {@code --mode}: exponents centred (default) or integer, see {@link ExponentMode}. */
    @Option(names = "--mode", description = "Exponents: centred or integer (default: ${DEFAULT-VALUE}).")
    public String mode = RunSpec.DEFAULT_MODE;

    /** Default {@link #epochs}, the same for every command and example. */
    public static final int DEFAULT_EPOCHS = RunSpec.DEFAULT_EPOCHS;

    /** {@code --epochs}: passes over the training set, at least 1; default {@value #DEFAULT_EPOCHS}. */
    @Option(names = "--epochs", description = "Passes over the training set, >= 1 (default: ${DEFAULT-VALUE}).")
    public int epochs = DEFAULT_EPOCHS;

    /** {@code --batch}: examples per minibatch, at least 1; default 128. */
    @Option(names = "--batch", description = "Examples per minibatch, >= 1 (default: ${DEFAULT-VALUE}).")
    public int batch = RunSpec.DEFAULT_BATCH;

    /** {@code --lr}: the learning rate, constant, above 0; default 0.01. */
    @Option(names = "--lr", description = "Learning rate, constant, > 0 (default: ${DEFAULT-VALUE}).")
    public double lr = RunSpec.DEFAULT_LR;

    /** {@code --optimizer}: sgd (default) or adam. */
    @Option(names = "--optimizer", description = "sgd or adam (default: ${DEFAULT-VALUE}).")
    public String optimizer = RunSpec.DEFAULT_OPTIMIZER;

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
    public static final int DEFAULT_PROBE_SAMPLES = RunSpec.DEFAULT_PROBE_SAMPLES;

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
    public double progressSeconds = RunSpec.DEFAULT_PROGRESS_SECONDS;

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
     * The spec of one run with these options and the given init and seed, writing into {@link #out} (null:
     * {@code runs/<run name>}); {@code --alpha auto} stays auto.
     *
     * @throws IllegalArgumentException with one line naming the first bad option
     */
    public RunSpec toSpec(String init, long seed) {
        return toBuilder().init(init).seed(seed).build();
    }

    /** A spec builder holding these options (init and seed at their defaults). */
    public RunSpec.Builder toBuilder() {
        RunSpec.Builder b = RunSpec.builder().dataset(dataset).dataDir(dataDir).own(data.toSpec()).arch(arch)
                .batchNorm(batchNorm).mode(mode).optimizer(optimizer).lr(lr).momentum(momentum).epochs(epochs)
                .batch(batch).probeSamples(probeSamples).maxBatches(maxBatches).out(out).logEvery(logEvery)
                .progressSeconds(progressSeconds);
        return alphaAuto ? b.alphaAuto() : b.alpha(alpha);
    }

    /**
     * Checks every option that does not need the data; {@code --alpha auto} is refused (only train takes it).
     *
     * @throws IllegalArgumentException with one line naming the option, the value and what is accepted
     */
    public void validate() {
        toSpec("xavier", RunSpec.DEFAULT_SEED).requireFixedAlpha();
    }

    /** The optimizer with a constant rate, see {@link RunSpec.Optimizer#updater(long)}. */
    public IUpdater updater() {
        return optimizer().updater();
    }

    /** The momentum in effect, see {@link RunSpec.Optimizer#momentumValue()}. */
    public double momentumValue() {
        return optimizer().momentumValue();
    }

    /** The optimizer as written in names and tables: {@code sgd}, {@code sgd+nesterov0.9} or {@code adam}. */
    public String optimizerLabel() {
        return optimizer().label();
    }

    private RunSpec.Optimizer optimizer() {
        return new RunSpec.Optimizer(optimizer, lr, momentum);
    }
}
