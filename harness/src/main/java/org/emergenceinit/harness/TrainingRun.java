package org.emergenceinit.harness;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.emergenceinit.onednn.LeanDense;
import org.emergenceinit.data.DatasetSource;
import org.emergenceinit.data.Datasets;
import org.emergenceinit.data.Layout;
import org.emergenceinit.measure.ActivityProbe;
import org.emergenceinit.measure.EmergenceProfile;
import org.emergenceinit.baselines.Lsuv;
import org.emergenceinit.weights.RampPlan;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.deeplearning4j.util.ModelSerializer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.Locale;

/**
 * Trains an {@link ArchSpec} network with an {@link InitSpec} initialization on a dataset, recording per epoch the
 * training and test loss, test accuracy and the emergence {@code E} of the hidden layers on a fixed probe batch (the
 * first {@code --probe-samples} test images), with epoch 0 the network at initialization; with
 * {@link RunSpec.Evaluation#trainAccuracy()} also the accuracy over the training set, measured after each epoch in a
 * pass of its own over the training data in file order (the training iterator, its shuffles and the updates are
 * untouched: the run trains exactly as without it).
 *
 * <p>Into {@link RunSpec#outDir()} it writes {@value RunManifest#FILE} (see {@link RunManifest}) and
 * {@value #CSV_FILE} (columns {@link EpochStats#CSV_COLUMNS}, rewritten after every epoch), and {@value #NORMALIZER_FILE}
 * (the scaling from raw features to network input, for using a saved model later). Progress lines (per epoch,
 * and every {@code --log-every} batches) give the loss, the accuracy, the elapsed time and an estimate of the time
 * left. If the training loss becomes NaN or infinite the run is marked diverged and stops after that epoch; nothing
 * is thrown. An {@code lsuv-} init runs {@link Lsuv} on the first training minibatch after {@code init()}; a
 * {@code +warmup} init warms the learning rate up linearly over the first epoch.
 *
 * <p>After every epoch it also writes {@value #MODEL_FILE} (network, updater, progress). Started again on the same
 * folder with the same options, a run resumes after its last finished epoch (a finished one trains nothing); with
 * only {@code epochs} raised, it is continued to the new count, ending with the numbers a run of that many epochs
 * from the start gives (nothing in a run depends on its total epoch count). Other options are refused (or, for
 * {@link RunSpec.Output#replace}, trained anew).
 *
 * <pre>{@code
 * RunSpec spec = RunSpec.builder().init("emergence-kaiming").alpha(1.1).epochs(2).build();
 * RunResult r = TrainingRun.run(spec, new PrintWriter(System.out, true));
 * System.out.println(r.last().testAccuracy() + " " + r.initial().log10E());
 * }</pre>
 *
 * <p>For step-by-step control (e.g. alternating two networks): {@link #start}, {@link #epoch()} while
 * {@link #hasNextEpoch()}, then {@link #finish()}.
 */
public final class TrainingRun {

    /** The per-epoch CSV's file name. */
    public static final String CSV_FILE = "epochs.csv";

    /**
     * The input scaling's file name: DL4J's {@code NormalizerSerializer} format, see
     * {@link org.emergenceinit.data.DatasetSource#rawNormalizer()}.
     */
    public static final String NORMALIZER_FILE = "normalizer.bin";

    /**
     * The network after the last finished epoch, with its updater state ({@code ModelSerializer}: restore it with
     * {@code ModelSerializer.restoreMultiLayerNetwork(file, true)}), rewritten atomically after every epoch. It also
     * holds the run's progress (entry {@value #STATE_KEY}), so the same run started again on the same folder resumes
     * after that epoch and ends with the numbers an uninterrupted run gives.
     */
    public static final String MODEL_FILE = "model.zip";

    /** The files a run writes when it starts, removed again if starting fails. */
    private static final List<String> STARTED_FILES = List.of(RunManifest.FILE, CSV_FILE, NORMALIZER_FILE,
            MODEL_FILE);

    /** The {@code ModelSerializer} object entry of {@value #MODEL_FILE} holding the run's progress as JSON. */
    static final String STATE_KEY = "emergence-run-state";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RunSpec spec;
    private final DatasetSource data;
    private final PrintWriter progress;
    private final MultiLayerNetwork net;
    private final ActivityProbe probe = ActivityProbe.defaults();
    private final INDArray probeFeatures;
    private final DataSetIterator train;
    /** The training data in file order for {@link RunSpec.Evaluation#trainAccuracy()}; null when it is off. */
    private final DataSetIterator trainInOrder;
    private final Layout layout;
    private final RunManifest manifest;
    private final RampPlan plan;
    private final Path dir;
    private final Instant start;
    private final long startNanos;
    private final long batchesPerEpoch;
    private final List<EpochStats> epochs = new ArrayList<>();
    private long batchesDone;
    private boolean diverged;
    /** Whether {@value #MODEL_FILE} is written after every epoch (not for forks, which a sweep retrains). */
    private final boolean checkpoints;

    private TrainingRun(RunSpec spec, DatasetSource data, PrintWriter progress) throws IOException {
        spec.requireFixedAlpha();
        this.spec = spec;
        this.data = data;
        this.progress = progress;
        this.start = Instant.now();
        this.startNanos = System.nanoTime();
        ArchSpec arch = spec.network().archSpec();
        InitSpec init = spec.init().spec();
        if (arch.outputs() != data.numClasses()) {
            throw new IllegalArgumentException("--arch " + spec.network().arch() + " has " + arch.outputs() + " outputs but "
                    + data.name() + " has " + data.numClasses() + " classes: end the arch with " + data.numClasses()
                    + ".");
        }
        int[] shape = data.inputShape();
        layout = arch.cnn() ? Layout.IMAGE : Layout.FLAT;
        InputType input = arch.cnn() ? InputType.convolutional(shape[1], shape[2], shape[0])
                : InputType.feedForward((long) shape[0] * shape[1] * shape[2]);
        int batch = spec.schedule().batch();
        int maxBatches = spec.caps().maxBatches();
        long full = (data.numTrain() + batch - 1) / batch;
        batchesPerEpoch = maxBatches > 0 ? Math.min(full, maxBatches) : full;
        MultiLayerConfiguration conf = arch.build(spec.seed(), init.base().dl4jName(), spec.network().batchNorm(),
                input, spec.optimizer().updater(init.warmup() ? batchesPerEpoch : 0));
        plan = init.apply(conf, spec.init().alpha(), spec.init().exponentMode());
        plan.warnings().forEach(w -> print("warning: " + w));
        dir = spec.outDir();
        checkOutDir(dir);
        checkpoints = true;
        Resume resume = Resume.read(dir.resolve(MODEL_FILE), identity(spec), spec.output().replace());
        if (resume == null && !spec.output().replace() && Files.isRegularFile(dir.resolve(RunManifest.FILE))
                && !RunManifest.sameOptions(dir.resolve(RunManifest.FILE), spec)) {
            throw new IllegalStateException(dir + " holds a run with other options (see its " + RunManifest.FILE
                    + "): use another --out, or --force to replace it, or delete that folder.");
        }
        if (resume != null) {
            net = resume.net();
            leanDense(net);
        } else {
            MemoryCheck.requireFits(conf, spec.optimizer().updater(0), "--arch " + spec.network().arch());
            net = MemoryCheck.allocating("--arch " + spec.network().arch(), () -> {
                MultiLayerNetwork n = new MultiLayerNetwork(conf);
                n.init();
                return n;
            });
            if (init.lsuv()) {
                DataSet first = data.trainIterator(batch, spec.seed(), layout, 1).next();
                Lsuv.apply(net, first.getFeatures()).forEach(r -> print("LSUV " + r));
            }
            leanDense(net);
        }
        DataSet probeBatch = data.test().head(Math.min(spec.probe().samples(), data.numTest())).toDataSet(layout);
        data.normalizer(layout).ifPresent(n -> n.transform(probeBatch));
        probeFeatures = probeBatch.getFeatures();
        train = data.trainIterator(batch, spec.seed(), layout, maxBatches);
        trainInOrder = trainInOrder(spec, data, layout);
        manifest = new RunManifest(spec, data, net.getLayerWiseConfigurations(), plan, probe, probeBatch.numExamples(),
                start);
        if (spec.alphaPilot() != null) {
            manifest.note("alphaPilot", spec.alphaPilot());
        }
        if (resume != null) {
            // The shuffle of epoch k depends only on the seed and k: move the iterator to where the run stopped.
            for (int k = 0; k < resume.epochs().size() - 1; k++) {
                train.reset();
                train.next();
            }
            epochs.addAll(resume.epochs());
            batchesDone = resume.batchesDone();
            diverged = resume.diverged();
            manifest.note("resumedAfterEpoch", epochs.get(epochs.size() - 1).epoch());
            manifest.write(dir);
            writeCsv();
            print(String.format(Locale.ROOT, "%s on %s: resuming after epoch %d of %d from %s", spec.describe(probeBatch.numExamples()),
                    data.displayLabel(), epochs.get(epochs.size() - 1).epoch(), spec.epochs(),
                    dir.resolve(MODEL_FILE)));
            return;
        }
        // Measured once before anything is written, so that a network the measure cannot take (no hidden layer)
        // fails with its message and leaves no folder behind.
        probe.measure(net, probeFeatures);
        boolean existed = Files.exists(dir);
        List<String> before = new ArrayList<>();
        for (String f : STARTED_FILES) {
            if (Files.exists(dir.resolve(f))) {
                before.add(f);
            }
        }
        try {
            manifest.write(dir);
            data.saveNormalizer(dir.resolve(NORMALIZER_FILE));
            print(String.format(Locale.ROOT, "%s on %s, %d parameters; writing to %s",
                    spec.describe(probeBatch.numExamples()), data.displayLabel(), net.numParams(), dir));
            record(0, currentRate(), Double.NaN, 0);
            checkpoint();
        } catch (IOException | RuntimeException e) {
            removeStarted(dir, existed, before);
            throw e;
        }
    }

    /**
     * Refuses an {@code --out} that is a file, or inside a file, or cannot be created, before anything is written.
     */
    static void checkOutDir(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--out " + dir + " is a file, not a folder: give --out a folder"
                    + " (new or holding this run), or move that file away.");
        }
        Path existing = dir.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing != null && !Files.isDirectory(existing)) {
            throw new IllegalArgumentException("--out " + dir + " cannot be created: " + existing + " is a file, not"
                    + " a folder; give --out a path under a folder.");
        }
        if (existing != null && !Files.isWritable(existing)) {
            throw new IllegalArgumentException("--out " + dir + " cannot be written: " + existing + " is not"
                    + " writable by this user; give --out a folder you can write to.");
        }
    }

    /** Removes what a run that failed while starting wrote into {@code dir}, and the folder if it made it. */
    private static void removeStarted(Path dir, boolean existed, List<String> before) {
        try {
            for (String f : STARTED_FILES) {
                if (!before.contains(f)) {
                    Files.deleteIfExists(dir.resolve(f));
                }
            }
            if (!existed && Files.isDirectory(dir)) {
                try (java.util.stream.Stream<Path> left = Files.list(dir)) {
                    if (left.findAny().isEmpty()) {
                        Files.delete(dir);
                    }
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // the original error is the one to report
        }
    }

    /** The training data in file order when the spec measures the training-set accuracy, else null. */
    private static DataSetIterator trainInOrder(RunSpec spec, DatasetSource data, Layout layout) {
        return spec.evaluation().trainAccuracy()
                ? data.trainInOrderIterator(spec.schedule().batch(), layout, spec.caps().maxBatches()) : null;
    }

    /** What a run's {@value #MODEL_FILE} must match to be resumed: every option that changes its numbers. */
    static Map<String, Object> identity(RunSpec spec) {
        Map<String, Object> id = new LinkedHashMap<>(RunManifest.options(spec));
        id.put("seed", spec.seed());
        id.put("tag", spec.output().tag());
        return id;
    }

    /**
     * Whether {@code spec.outDir()} holds a run with other options than {@code spec} (which {@link #start}
     * refuses unless {@link RunSpec.Output#replace}): its {@value #MODEL_FILE} or, without one, its manifest differs. A
     * checkpoint of the same run with fewer epochs than {@code spec.epochs()} is not another run: it is continued.
     */
    public static boolean holdsOtherRun(RunSpec spec) {
        Path dir = spec.outDir();
        Path model = dir.resolve(MODEL_FILE);
        if (Files.isRegularFile(model)) {
            try {
                Map<String, Object> state = readState(model);
                Map<String, Object> found = JSON.convertValue(state.get("identity"),
                        new TypeReference<Map<String, Object>>() { });
                // the same run with fewer epochs is continued, not replaced
                return !RunManifest.identity(identity(spec)).matches(found, EPOCHS)
                        || ((List<?>) state.get("epochs")).size() - 1 > spec.epochs();
            } catch (IOException | RuntimeException e) {
                return true;
            }
        }
        Path manifest = dir.resolve(RunManifest.FILE);
        return Files.isRegularFile(manifest) && !RunManifest.sameOptions(manifest, spec);
    }

    /** The run's progress stored in a {@value #MODEL_FILE} (entry {@value #STATE_KEY}). */
    private static Map<String, Object> readState(Path model) throws IOException {
        String json = ModelSerializer.getObjectFromFile(model.toFile(), STATE_KEY);
        return JSON.readValue(json, new TypeReference<Map<String, Object>>() { });
    }

    /** Compared on its own: a run of N epochs is the start of the same run with more. */
    private static final java.util.Set<String> EPOCHS = java.util.Set.of("epochs");

    /** A run found in its folder: the network, its epochs so far and its progress. */
    private record Resume(MultiLayerNetwork net, List<EpochStats> epochs, long batchesDone, boolean diverged) {

        /**
         * Reads {@code file} if it exists.
         *
         * @return null when there is no such file
         * @throws IllegalStateException when it holds a run with other options, or cannot be read
         */
        static Resume read(Path file, Map<String, Object> identity, boolean replace) throws IOException {
            if (!Files.isRegularFile(file)) {
                return null;
            }
            Map<String, Object> state;
            try {
                state = readState(file);
            } catch (IOException | RuntimeException e) {
                throw unreadable(file, e);
            }
            Map<String, Object> found = JSON.convertValue(state.get("identity"),
                    new TypeReference<Map<String, Object>>() { });
            RunIdentity wanted = RunManifest.identity(identity);
            // A run of N epochs is the start of the same run with more: the epoch count is compared on its own.
            boolean same = wanted.matches(found, EPOCHS);
            Object wantedEpochs = wanted.values().get("epochs");
            if (same && state.get("epochs") instanceof List<?> rows && wantedEpochs instanceof Number w
                    && rows.size() - 1 > w.intValue()) {
                if (replace) {
                    return null;
                }
                RunIdentity.requireEpochs(file.getParent(), "a run", rows.size() - 1, w.intValue(), " (epochs "
                        + found.get("epochs") + " there)", "to see it, or use another --out, or --force to replace it");
            }
            if (!same && replace) {
                return null; // a sweep's own folder: the run with other options is trained anew
            }
            if (!same) {
                wanted.require(file.getParent(), "a run", found, EPOCHS, advice(wanted, found));
            }
            MultiLayerNetwork net; // restored only once the options are known to match
            try {
                net = ModelSerializer.restoreMultiLayerNetwork(file.toFile(), true);
            } catch (IOException | RuntimeException e) {
                throw unreadable(file, e);
            }
            List<EpochStats> epochs = new ArrayList<>();
            for (Object row : (List<?>) state.get("epochs")) {
                epochs.add(EpochStats.parseCsvRow((String) row));
            }
            return new Resume(net, epochs, ((Number) state.get("batchesDone")).longValue(),
                    Boolean.TRUE.equals(state.get("diverged")));
        }

        /**
         * What to do about a checkpoint of another run; when the training-set accuracy is what differs, why a resume
         * cannot bridge it.
         */
        private static String advice(RunIdentity wanted, Map<String, Object> found) {
            String advice = "use another --out, or --force to replace it, or delete that folder";
            boolean asked = Boolean.TRUE.equals(wanted.values().get("trainAccuracy"));
            if (wanted.differences(found, EPOCHS).stream().anyMatch(d -> d.startsWith("trainAccuracy "))) {
                return asked ? "that run was trained without --train-accuracy, so its epochs so far have no training"
                        + " accuracy, which resuming cannot add; " + advice + " (--force trains it anew with the"
                        + " training accuracy)"
                        : "that run measures the training accuracy: give --train-accuracy to resume it, or " + advice;
            }
            return advice;
        }

        private static IllegalStateException unreadable(Path file, Exception e) {
            return new IllegalStateException(file + " cannot be read as a run's checkpoint (" + e.getMessage()
                    + "): delete it to start the run anew, or use another --out.", e);
        }
    }

    /** Writes {@value #MODEL_FILE}: the network, its updater and the run's progress, atomically. */
    private void checkpoint() throws IOException {
        if (!checkpoints) {
            return;
        }
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("identity", identity(spec));
        state.put("batchesDone", batchesDone);
        state.put("diverged", diverged);
        state.put("epochs", epochs.stream().map(EpochStats::exactCsvRow).toList());
        Path file = dir.resolve(MODEL_FILE);
        Path tmp = Files.createTempFile(dir, MODEL_FILE, ".tmp");
        try {
            ModelSerializer.writeModel(net, tmp.toFile(), true);
            ModelSerializer.addObjectToFile(tmp.toFile(), STATE_KEY, JSON.writeValueAsString(state));
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** A copy of {@code parent}'s network, changed, with {@code parent}'s epochs as history; see {@link #fork}. */
    private TrainingRun(TrainingRun parent, RunSpec spec, String change, Consumer<MultiLayerNetwork> changer)
            throws IOException {
        spec.requireFixedAlpha();
        if (spec.epochs() <= parent.epochs.size() - 1) {
            throw new IllegalArgumentException("A continued run needs more epochs than the "
                    + (parent.epochs.size() - 1) + " already run, got --epochs " + spec.epochs() + ".");
        }
        if (spec.evaluation().trainAccuracy() != parent.spec.evaluation().trainAccuracy()) {
            throw new IllegalArgumentException("A continued run measures the training accuracy exactly when the run"
                    + " it continues does (its epochs so far are the new run's first rows): trainAccuracy is "
                    + parent.spec.evaluation().trainAccuracy() + " there, " + spec.evaluation().trainAccuracy()
                    + " here.");
        }
        this.spec = spec;
        this.data = parent.data;
        this.progress = parent.progress;
        this.start = Instant.now();
        this.startNanos = parent.startNanos;
        this.layout = parent.layout;
        this.plan = parent.plan;
        this.probeFeatures = parent.probeFeatures;
        this.batchesPerEpoch = parent.batchesPerEpoch;
        this.batchesDone = parent.batchesDone;
        this.checkpoints = false;
        net = parent.net.clone();
        leanDense(net);
        changer.accept(net);
        train = data.trainIterator(spec.schedule().batch(), spec.seed(), layout, spec.caps().maxBatches());
        trainInOrder = trainInOrder(spec, data, layout);
        dir = spec.outDir();
        manifest = new RunManifest(spec, data, net.getLayerWiseConfigurations(), plan, probe,
                (int) probeFeatures.size(0), start);
        EpochStats at = parent.epochs.get(parent.epochs.size() - 1);
        Map<String, Object> fork = new LinkedHashMap<>();
        fork.put("from", parent.dir.toString());
        fork.put("afterEpoch", at.epoch());
        fork.put("change", change);
        manifest.note("continuedFrom", fork);
        manifest.write(dir);
        print(String.format(Locale.ROOT, "%s: continued after epoch %d (%s); writing to %s", spec.describe((int) probeFeatures.size(0)), at.epoch(),
                change, dir));
        epochs.addAll(parent.epochs.subList(0, parent.epochs.size() - 1));
        record(at.epoch(), at.lr(), at.trainLoss(), at.seconds());
    }

    /** The system property that turns {@link LeanDense} off ({@code -Demergence.leanDense=false}); on by default. */
    public static final String LEAN_DENSE_PROPERTY = "emergence.leanDense";

    /**
     * Installs {@link LeanDense} (DL4J's dense layers without the forward product recomputed in the backward pass:
     * the same numbers bit for bit, fewer products), unless {@value #LEAN_DENSE_PROPERTY} is {@code false}; for code
     * that trains a network of its own the way a run does (the speed probes).
     */
    public static void leanDense(MultiLayerNetwork n) {
        if (!"false".equalsIgnoreCase(System.getProperty(LEAN_DENSE_PROPERTY, "true"))) {
            LeanDense.install(n);
        }
    }

    /**
     * Loads the dataset, trains for {@code --epochs} epochs (fewer if the loss diverges) and writes the files.
     *
     * @param spec     the run's spec
     * @param progress where progress lines go, or null for none
     * @throws IllegalArgumentException for a bad option
     * @throws IOException if the data cannot be read or the files cannot be written
     */
    public static RunResult run(RunSpec spec, PrintWriter progress) throws IOException {
        spec.requireFixedAlpha();
        TrainingRun run = start(spec, Datasets.load(spec.data().dataset(), spec.data().dataDir(), spec.data().own()),
                progress);
        while (run.hasNextEpoch()) {
            run.epoch();
        }
        return run.finish();
    }

    /**
     * Builds and initialises the network, measures it (epoch 0) and writes the manifest and the CSV so far.
     *
     * @param spec     the run's spec (its dataset is not read: {@code data} is used)
     * @param data     the dataset
     * @param progress where progress lines go, or null for none
     */
    public static TrainingRun start(RunSpec spec, DatasetSource data, PrintWriter progress) throws IOException {
        return new TrainingRun(spec, data, progress);
    }

    /**
     * Continues from this run in a new one: a copy of the network (parameters and optimizer state) is changed by
     * {@code changer} (e.g. pruned), measured again as the last epoch run (so the new run's CSV has this run's epochs,
     * the last one after the change), and trains on to {@code spec.epochs()} when {@link #epoch()} is called,
     * writing into {@code spec.outDir()}. This run is not affected and can be forked again.
     *
     * @param spec    the new run's spec (its data, network and optimizer must be this run's)
     * @param change  what {@code changer} does, recorded in the manifest as {@code continuedFrom.change}
     * @param changer changes the copy
     * @throws IllegalArgumentException if {@code spec.epochs()} does not exceed the epochs run
     */
    public TrainingRun fork(RunSpec spec, String change, Consumer<MultiLayerNetwork> changer)
            throws IOException {
        return new TrainingRun(this, spec, change, changer);
    }

    /** Whether another epoch is due: fewer than {@code --epochs} were run and the loss has not diverged. */
    public boolean hasNextEpoch() {
        return !diverged && epochs.size() <= spec.epochs();
    }

    /** The network being trained. */
    public MultiLayerNetwork network() {
        return net;
    }

    /**
     * Trains one epoch, then evaluates and measures the network and rewrites the CSV.
     *
     * @return the epoch's row
     * @throws IllegalStateException if no epoch is due
     */
    public EpochStats epoch() throws IOException {
        if (!hasNextEpoch()) {
            throw new IllegalStateException("No epoch is due: " + (diverged ? "the loss diverged" : spec.epochs()
                    + " epoch(s) were run"));
        }
        int epoch = epochs.size();
        double lossSum = 0;
        long examples = 0;
        long batches = 0;
        long fitNanos = 0;
        double rateSum = 0;
        long lastProgress = System.nanoTime();
        long progressNanos = (long) (spec.output().progressSeconds() * 1e9);
        int logEvery = spec.output().logEvery();
        train.reset();
        while (train.hasNext()) {
            DataSet batch = train.next();
            rateSum += currentRate();
            long t0 = System.nanoTime();
            net.fit(batch);
            fitNanos += System.nanoTime() - t0;
            double loss = net.score();
            batches++;
            batchesDone++;
            if (!Double.isFinite(loss)) {
                diverged = true;
                lossSum = loss;
                print(String.format(Locale.ROOT, "epoch %d batch %d: the training loss is %s: diverged, stopping",
                        epoch, batches, loss));
                break;
            }
            lossSum += loss * batch.numExamples();
            examples += batch.numExamples();
            long now = System.nanoTime();
            if (logEvery > 0 && batches % logEvery == 0
                    || progressNanos > 0 && now - lastProgress >= progressNanos) {
                lastProgress = now;
                print(String.format(Locale.ROOT, "epoch %d batch %d/%d  loss %.4f  %.0f examples/s  %s", epoch,
                        batches, batchesPerEpoch, loss, examples / (fitNanos / 1e9), timing()));
            }
        }
        net.incrementEpochCount();
        double trainLoss = diverged || examples == 0 ? lossSum : lossSum / examples;
        EpochStats stats = record(epoch, batches == 0 ? currentRate() : rateSum / batches, trainLoss, fitNanos / 1e9);
        checkpoint();
        return stats;
    }

    /** Writes the final manifest and returns the result. */
    public RunResult finish() throws IOException {
        RunResult result = new RunResult(spec.runName(), spec, data.displayLabel(), epochs, diverged,
                dir.resolve(RunManifest.FILE), dir.resolve(CSV_FILE), start, Instant.now());
        if (checkpoints && !spec.output().keepModel()) {
            Files.deleteIfExists(dir.resolve(MODEL_FILE));
        } else if (checkpoints) {
            manifest.note("model", MODEL_FILE);
        }
        manifest.finish(dir, result);
        return result;
    }

    /**
     * The learning rate the next step will use, read from the updater's schedule at the network's iteration and epoch
     * count (so a warm-up shows its ramp); the nominal {@code --lr} when no layer has a rate.
     */
    private double currentRate() {
        for (int i = 0; i < net.getnLayers(); i++) {
            Double rate = net.getLearningRate(i);
            if (rate != null) {
                return rate;
            }
        }
        return spec.optimizer().lr();
    }

    private EpochStats record(int epoch, double lr, double trainLoss, double seconds) throws IOException {
        double testLossSum = 0;
        long n = 0;
        long correct = 0;
        DataSetIterator test = data.testIterator(spec.schedule().batch(), layout, spec.caps().maxBatches());
        while (test.hasNext()) {
            DataSet batch = test.next();
            testLossSum += net.score(batch, false) * batch.numExamples();
            n += batch.numExamples();
            correct += correct(net.output(batch.getFeatures(), false), batch.getLabels());
        }
        EmergenceProfile profile = probe.measure(net, probeFeatures);
        double trainAccuracy = trainInOrder == null ? Double.NaN : accuracy(trainInOrder);
        EpochStats stats = new EpochStats(epoch, lr, trainLoss, testLossSum / n, (double) correct / n,
                profile.emergence(), profile.log10Emergence(), profile.relativeEmergence().doubleValue(), seconds,
                trainAccuracy);
        epochs.add(stats);
        writeCsv();
        String trained = epoch == 0 ? "at initialization" : String.format(Locale.ROOT, "train loss %.4f", trainLoss);
        String onTrain = stats.hasTrainAccuracy() ? String.format(Locale.ROOT, "  train accuracy %.4f",
                stats.trainAccuracy()) : "";
        print(String.format(Locale.ROOT, "epoch %d/%d  %s%s  test loss %.4f  test accuracy %.4f  log10 E %.3f"
                        + "  %.1f s  %s", epoch, spec.epochs(), trained, onTrain, stats.testLoss(),
                stats.testAccuracy(), stats.log10E(), seconds, timing()));
        return stats;
    }

    /**
     * The accuracy of the network, in inference mode, over the batches of {@code data} (from its start: it is
     * reset first), counted as {@link #correct} counts it.
     */
    private double accuracy(DataSetIterator data) {
        data.reset();
        long n = 0;
        long correct = 0;
        while (data.hasNext()) {
            DataSet batch = data.next();
            n += batch.numExamples();
            correct += correct(net.output(batch.getFeatures(), false), batch.getLabels());
        }
        return (double) correct / n;
    }

    private void writeCsv() throws IOException {
        StringBuilder csv = new StringBuilder(String.join(",", EpochStats.CSV_COLUMNS)).append('\n');
        epochs.forEach(e -> csv.append(e.csvRow()).append('\n'));
        RunManifest.writeAtomically(dir.resolve(CSV_FILE), csv.toString());
    }

    /**
     * Rows whose predicted class (the largest output) is the labelled one; a row with a NaN output (a diverged
     * network) counts as wrong. DL4J's {@code Evaluation} refuses NaN outputs instead.
     */
    private static long correct(INDArray output, INDArray labels) {
        INDArray hit = output.argMax(1).eq(labels.argMax(1));
        INDArray finite = output.isNaN().castTo(DataType.INT).sum(1).eq(0);
        return hit.castTo(DataType.INT).mul(finite.castTo(DataType.INT)).sumNumber().longValue();
    }

    /** Elapsed wall-clock time and the time left, extrapolated from the batches done. */
    private String timing() {
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        long total = batchesPerEpoch * spec.epochs();
        if (batchesDone == 0) {
            return String.format(Locale.ROOT, "(elapsed %.1f s)", elapsed);
        }
        double left = diverged ? 0 : elapsed / batchesDone * (total - batchesDone);
        return String.format(Locale.ROOT, "(elapsed %.1f s, about %.1f s left)", elapsed, left);
    }

    private void print(String line) {
        if (progress != null) {
            progress.println(line);
            progress.flush();
        }
    }
}
