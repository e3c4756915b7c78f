package org.emergenceinit.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.deeplearning4j.datasets.iterator.EarlyTerminationDataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import org.nd4j.linalg.dataset.api.preprocessor.ImagePreProcessingScaler;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.dataset.api.preprocessor.serializer.NormalizerSerializer;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A loaded dataset: training and test images, where they came from, and iterators over them.
 * Made by {@link Datasets#load(String)}.
 *
 * <p>Identity for run manifests: {@link #name()} (as requested, e.g. {@code cifar10}),
 * {@link #displayLabel()} (what the results must be labelled with, e.g.
 * {@code cifar10-subset (5,085 train / 1,017 test)} when only the subset was found), {@link #files()} and
 * {@link #sha256()}.
 *
 * <p>Features: {@code pixel / 255}. If {@link #isStandardized()} (CIFAR-10), each channel is then
 * standardised with the mean and standard deviation of that channel over all training pixels
 * ({@link #channelMeanStd()}), applied alike to training and test batches by a DL4J
 * {@link NormalizerStandardize}. MNIST and Fashion-MNIST are only scaled, as by DL4J's
 * {@code MnistDataSetIterator}, and so are a user's image folders ({@code images:DIR}). A CSV table
 * ({@code csv:FILE}) holds float features, standardised per column by a {@link NormalizerStandardize} fitted
 * on the training rows only; it has only the {@link Layout#FLAT} layout.
 *
 * <pre>{@code
 * DatasetSource data = Datasets.load("cifar10", dataDir);
 * DataSetIterator train = data.trainIterator(128, 42L, Layout.IMAGE, 0);
 * DataSetIterator test = data.testIterator(256, Layout.IMAGE, 0);
 * }</pre>
 */
public final class DatasetSource {

    private final String name;
    private final String displayLabel;
    private final List<String> files;
    private final String sha256;
    private final ImageData train;
    private final ImageData test;
    private final List<String> classNames;
    private final double[][] channelMeanStd;
    private final NormalizerStandardize tableNormalizer;

    DatasetSource(String name, String displayLabel, List<String> files, String sha256, ImageData train,
            ImageData test, List<String> classNames, boolean standardize) {
        this(name, displayLabel, files, sha256, train, test, classNames,
                standardize ? train.channelMeanStd() : null, null);
    }

    private DatasetSource(String name, String displayLabel, List<String> files, String sha256, ImageData train,
            ImageData test, List<String> classNames, double[][] channelMeanStd,
            NormalizerStandardize tableNormalizer) {
        this.name = name;
        this.displayLabel = displayLabel;
        this.files = List.copyOf(files);
        this.sha256 = sha256;
        this.train = train;
        this.test = test;
        this.classNames = List.copyOf(classNames);
        this.channelMeanStd = channelMeanStd;
        this.tableNormalizer = tableNormalizer;
    }

    /** A table of float features; its {@link NormalizerStandardize} is fitted on {@code train} alone. */
    static DatasetSource table(String name, String displayLabel, List<String> files, String sha256, ImageData train,
            ImageData test, List<String> classNames) {
        NormalizerStandardize normalizer = new NormalizerStandardize();
        normalizer.fit(train.toDataSet(Layout.FLAT));
        return new DatasetSource(name, displayLabel, files, sha256, train, test, classNames, null, normalizer);
    }

    /**
     * @return the dataset name as requested: {@code mnist-embedded}, {@code mnist}, {@code fashion-mnist},
     *         {@code cifar10}, {@code images:DIR} or {@code csv:FILE}
     */
    public String name() {
        return name;
    }

    /**
     * @return the label for results: the name if the full canonical set was read, else
     *         {@code <name>-subset (<train> train / <test> test)}; {@code mnist-embedded (6,000 train / 1,000 test)}
     *         for the embedded subset
     */
    public String displayLabel() {
        return displayLabel;
    }

    /** @return the files read, in hashing order: absolute paths, or {@code classpath:/...} for resources */
    public List<String> files() {
        return files;
    }

    /** @return hex SHA-256 over the raw bytes of {@link #files()}, concatenated in order */
    public String sha256() {
        return sha256;
    }

    /** @return number of training examples */
    public int numTrain() {
        return train.size();
    }

    /** @return number of test examples */
    public int numTest() {
        return test.size();
    }

    /** @return channels per image */
    public int channels() {
        return train.channels();
    }

    /** @return image rows */
    public int height() {
        return train.height();
    }

    /** @return image columns */
    public int width() {
        return train.width();
    }

    /** @return {@code {channels, height, width}} */
    public int[] inputShape() {
        return new int[] {channels(), height(), width()};
    }

    /** @return number of classes */
    public int numClasses() {
        return train.numClasses();
    }

    /** @return class names, indexed by label */
    public List<String> classNames() {
        return classNames;
    }

    /** @return the training images */
    public ImageData train() {
        return train;
    }

    /** @return the test images */
    public ImageData test() {
        return test;
    }

    /** @return whether features are standardised per channel after scaling by 1/255 */
    public boolean isStandardized() {
        return channelMeanStd != null;
    }

    /**
     * @return {@code [2][channels]}: per-channel mean and population standard deviation of the training
     *         pixels on the {@code pixel / 255} scale, if {@link #isStandardized()}
     */
    public Optional<double[][]> channelMeanStd() {
        return Optional.ofNullable(channelMeanStd).map(m -> new double[][] {m[0].clone(), m[1].clone()});
    }

    /**
     * The normaliser applied to batches of the given layout: for {@link Layout#IMAGE} a per-channel
     * {@link NormalizerStandardize} (mean and std of shape {@code [1, channels]}, broadcast over rows and
     * columns, the same as {@code NormalizerStandardize.fit} computes for 4D data); for {@link Layout#FLAT}
     * the same statistics repeated for each pixel of a channel ({@code [1, c*h*w]}).
     *
     * For a table, the per-column normaliser fitted on the training rows.
     *
     * @return the normaliser, or empty if features are only scaled
     * @throws IllegalArgumentException for {@link Layout#IMAGE} on a table
     */
    public Optional<NormalizerStandardize> normalizer(Layout layout) {
        if (tableNormalizer != null) {
            if (layout != Layout.FLAT) {
                throw new IllegalArgumentException(name + " is a table of " + width() + " features, not images:"
                        + " use an mlp: arch.");
            }
            return Optional.of(tableNormalizer);
        }
        if (channelMeanStd == null) {
            return Optional.empty();
        }
        int repeat = layout == Layout.FLAT ? height() * width() : 1;
        float[] mean = new float[channels() * repeat];
        float[] std = new float[channels() * repeat];
        for (int c = 0; c < channels(); c++) {
            for (int j = 0; j < repeat; j++) {
                mean[c * repeat + j] = (float) channelMeanStd[0][c];
                std[c * repeat + j] = (float) channelMeanStd[1][c];
            }
        }
        return Optional.of(new NormalizerStandardize(Nd4j.create(mean, new long[] {1, mean.length}, 'c'),
                Nd4j.create(std, new long[] {1, std.length}, 'c')));
    }

    /**
     * Training batches in a new random order each epoch, reproducible from {@code seed}.
     *
     * @param batchSize  examples per batch
     * @param seed       seed of the per-epoch shuffles
     * @param layout     {@link Layout#FLAT} for MLPs, {@link Layout#IMAGE} for CNNs
     * @param maxBatches stop each epoch after this many batches; 0 for no cap
     * @return the iterator, normaliser attached
     */
    public DataSetIterator trainIterator(int batchSize, long seed, Layout layout, int maxBatches) {
        return iterator(train, batchSize, true, seed, layout, maxBatches);
    }

    /**
     * Training batches in file order, never shuffled: for measuring on the training set (the training accuracy)
     * without touching the order or the random numbers of a {@link #trainIterator}.
     *
     * @param batchSize  examples per batch
     * @param layout     {@link Layout#FLAT} for MLPs, {@link Layout#IMAGE} for CNNs
     * @param maxBatches stop after this many batches; 0 for no cap (the whole training set)
     * @return the iterator, normaliser attached
     */
    public DataSetIterator trainInOrderIterator(int batchSize, Layout layout, int maxBatches) {
        return iterator(train, batchSize, false, 0L, layout, maxBatches);
    }

    /**
     * Test batches in file order.
     *
     * @param batchSize  examples per batch
     * @param layout     {@link Layout#FLAT} for MLPs, {@link Layout#IMAGE} for CNNs
     * @param maxBatches stop after this many batches; 0 for no cap
     * @return the iterator, normaliser attached
     */
    public DataSetIterator testIterator(int batchSize, Layout layout, int maxBatches) {
        return iterator(test, batchSize, false, 0L, layout, maxBatches);
    }

    /**
     * The scaling from raw features, as DataVec's readers give them, to this dataset's network input, for use
     * with a saved model: {@code ImagePreProcessingScaler(0, 1)} for images that are only scaled; for
     * standardised images a per-channel {@link NormalizerStandardize} on raw pixels (mean and std times 255,
     * NCHW); for a table its fitted per-column {@link NormalizerStandardize}.
     *
     * @return the normaliser
     */
    public DataNormalization rawNormalizer() {
        if (tableNormalizer != null) {
            return tableNormalizer;
        }
        if (channelMeanStd == null) {
            return new ImagePreProcessingScaler(0, 1);
        }
        NormalizerStandardize perChannel = normalizer(Layout.IMAGE).orElseThrow();
        return new NormalizerStandardize(perChannel.getMean().mul(255), perChannel.getStd().mul(255));
    }

    /**
     * Writes {@link #rawNormalizer()} with DL4J's {@link NormalizerSerializer}; read it back with
     * {@code NormalizerSerializer.getDefault().restore(file)}.
     *
     * @param file the file to write
     */
    public void saveNormalizer(Path file) throws IOException {
        try {
            NormalizerSerializer.getDefault().write(rawNormalizer(), file.toFile());
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("Cannot write the normalizer to " + file + ": " + e.getMessage(), e);
        }
    }

    private DataSetIterator iterator(ImageData data, int batchSize, boolean shuffle, long seed, Layout layout,
            int maxBatches) {
        if (maxBatches < 0) {
            throw new IllegalArgumentException("maxBatches must be >= 0 (0 = no cap), got " + maxBatches);
        }
        DataSetIterator it = new ImageDataSetIterator(data, batchSize, layout, shuffle, seed, classNames);
        normalizer(layout).ifPresent(it::setPreProcessor);
        return maxBatches == 0 ? it : new EarlyTerminationDataSetIterator(it, maxBatches);
    }

    @Override
    public String toString() {
        return "DatasetSource[" + displayLabel + ", " + numTrain() + " train / " + numTest() + " test, "
                + channels() + "x" + height() + "x" + width() + ", " + numClasses() + " classes, sha256=" + sha256
                + "]";
    }
}
