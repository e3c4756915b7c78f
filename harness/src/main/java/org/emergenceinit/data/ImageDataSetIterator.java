package org.emergenceinit.data;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Mini-batches over an {@link ImageData}, optionally in a new random order every epoch, reproducible from a
 * seed. Features are built per batch from the compact bytes ({@code pixel / 255}, then the pre-processor,
 * if any).
 *
 * <p>Why not a stock DL4J iterator: {@code ListDataSetIterator}, {@code INDArrayDataSetIterator} and
 * {@code ExistingDataSetIterator} need every batch as float arrays up front and keep one fixed order;
 * {@code SamplingDataSetIterator} draws with replacement, so an epoch does not visit every example once.
 * A cap on the number of batches is DL4J's {@code EarlyTerminationDataSetIterator}
 * (see {@link DatasetSource#trainIterator}).
 *
 * <p>Epoch {@code k} (counting from 0) visits the examples in the order of a Fisher-Yates shuffle driven by
 * {@code SplittableRandom(seed + k * 0x9E3779B97F4A7C15L)}. {@link #reset()} starts the next epoch only if
 * a batch was drawn since the last reset, so extra resets (as DL4J's {@code fit} makes) do not change the
 * sequence. The last batch of an epoch may be smaller than the batch size.
 *
 * <pre>{@code
 * DataSetIterator it = new ImageDataSetIterator(train, 128, Layout.FLAT, true, 42L, List.of());
 * }</pre>
 */
public class ImageDataSetIterator implements DataSetIterator {

    private static final long serialVersionUID = 1L;
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private final ImageData data;
    private final int batchSize;
    private final Layout layout;
    private final boolean shuffle;
    private final long seed;
    private final List<String> labelNames;
    private DataSetPreProcessor preProcessor;
    private int[] order;
    private int cursor;
    private int epoch;

    /**
     * @param data       the examples
     * @param batchSize  examples per batch, positive
     * @param layout     feature shape: flat {@code [n, c*h*w]} or image {@code [n, c, h, w]}
     * @param shuffle    whether to visit the examples in a new random order each epoch (else file order)
     * @param seed       seed of the shuffles; ignored without shuffling
     * @param labelNames class names returned by {@link #getLabels()}; empty for none
     */
    public ImageDataSetIterator(ImageData data, int batchSize, Layout layout, boolean shuffle, long seed,
            List<String> labelNames) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be positive, got " + batchSize);
        }
        this.data = data;
        this.batchSize = batchSize;
        this.layout = layout;
        this.shuffle = shuffle;
        this.seed = seed;
        this.labelNames = List.copyOf(labelNames);
        this.order = orderOf(0);
    }

    /** @return the current epoch, 0 for the first */
    public int epoch() {
        return epoch;
    }

    private int[] orderOf(int k) {
        int[] idx = new int[data.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        if (shuffle) {
            SplittableRandom random = new SplittableRandom(seed + k * GOLDEN_GAMMA);
            for (int i = idx.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = idx[i];
                idx[i] = idx[j];
                idx[j] = t;
            }
        }
        return idx;
    }

    @Override
    public boolean hasNext() {
        return cursor < order.length;
    }

    @Override
    public DataSet next() {
        return next(batchSize);
    }

    @Override
    public DataSet next(int num) {
        if (!hasNext()) {
            throw new NoSuchElementException("Epoch " + epoch + " is exhausted; call reset()");
        }
        int n = Math.min(num, order.length - cursor);
        int[] batch = new int[n];
        System.arraycopy(order, cursor, batch, 0, n);
        cursor += n;
        DataSet ds = data.toDataSet(batch, layout);
        if (!labelNames.isEmpty()) {
            ds.setLabelNames(labelNames);
        }
        if (preProcessor != null) {
            preProcessor.preProcess(ds);
        }
        return ds;
    }

    @Override
    public void reset() {
        if (cursor > 0) {
            epoch++;
            order = orderOf(epoch);
        }
        cursor = 0;
    }

    @Override
    public int inputColumns() {
        return data.pixelsPerImage();
    }

    @Override
    public int totalOutcomes() {
        return data.numClasses();
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return true;
    }

    @Override
    public int batch() {
        return batchSize;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public List<String> getLabels() {
        return labelNames.isEmpty() ? null : labelNames;
    }

    @Override
    public String toString() {
        return "ImageDataSetIterator[" + data + ", batchSize=" + batchSize + ", layout=" + layout + ", shuffle="
                + shuffle + ", seed=" + seed + ", epoch=" + epoch + "]";
    }
}
