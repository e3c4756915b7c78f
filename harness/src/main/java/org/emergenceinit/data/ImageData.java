package org.emergenceinit.data;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A set of labelled 8-bit images held compactly: one byte per pixel and one byte per label.
 *
 * <p>Pixels are stored image after image, each image channel-major ({@code [channel][row][column]}),
 * which is the order of both the IDX files (one channel) and the CIFAR-10 binary records (R, G, B planes).
 * A float copy of the whole set is never made; {@link #toDataSet(int[], Layout)} builds the float
 * features of one batch at a time. Features are the pixel values divided by 255, as in DL4J's
 * {@code MnistDataSetIterator}; labels are one-hot.
 *
 * <p>A table of numbers (a CSV file) is held as float features instead: one "image" of {@code 1x1xF}, whose
 * features are used as they are, not divided by 255 ({@link #hasPixels()} is false).
 *
 * <pre>{@code
 * ImageData train = IdxReader.read(imagesFile, labelsFile);
 * DataSet first = train.toDataSet(new int[] {0, 1, 2}, Layout.FLAT);   // features [3, 784], labels [3, 10]
 * }</pre>
 *
 * <p>Instances are immutable: {@link #copyOf} and the accessors copy the arrays.
 */
public final class ImageData {

    private final byte[] pixels;
    private final float[] values;
    private final byte[] labels;
    private final int channels;
    private final int height;
    private final int width;
    private final int numClasses;

    /**
     * Copies the arrays into a new instance.
     *
     * @param pixels     unsigned pixel bytes, {@code labels.length * channels * height * width} of them,
     *                   image after image, channel-major within an image
     * @param labels     class index of each image, {@code 0 <= label < numClasses}
     * @param channels   channels per image (1 for MNIST, 3 for CIFAR-10)
     * @param height     rows per image
     * @param width      columns per image
     * @param numClasses number of classes, the width of the one-hot labels
     * @return the images
     * @throws IllegalArgumentException if the sizes do not agree or a label is out of range
     */
    public static ImageData copyOf(byte[] pixels, byte[] labels, int channels, int height, int width,
            int numClasses) {
        return new ImageData(pixels.clone(), labels.clone(), channels, height, width, numClasses);
    }

    /** Takes ownership of the arrays without copying; see {@link #copyOf} for the parameters. */
    ImageData(byte[] pixels, byte[] labels, int channels, int height, int width, int numClasses) {
        if (channels <= 0 || height <= 0 || width <= 0 || numClasses <= 0) {
            throw new IllegalArgumentException("channels, height, width and numClasses must be positive, got "
                    + channels + ", " + height + ", " + width + ", " + numClasses);
        }
        long expected = (long) labels.length * channels * height * width;
        if (pixels.length != expected) {
            throw new IllegalArgumentException("Expected " + expected + " pixel bytes for " + labels.length
                    + " images of " + channels + "x" + height + "x" + width + ", got " + pixels.length);
        }
        for (int i = 0; i < labels.length; i++) {
            int label = labels[i] & 0xFF;
            if (label >= numClasses) {
                throw new IllegalArgumentException("Label " + label + " of image " + i + " is outside 0.."
                        + (numClasses - 1));
            }
        }
        this.pixels = pixels;
        this.values = null;
        this.labels = labels;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.numClasses = numClasses;
    }

    /** Float features: takes ownership of {@code values}, {@code labels.length * numFeatures} of them. */
    ImageData(float[] values, byte[] labels, int numFeatures, int numClasses) {
        if (numFeatures <= 0 || numClasses <= 0 || values.length != (long) labels.length * numFeatures) {
            throw new IllegalArgumentException("Expected " + (long) labels.length * numFeatures + " features for "
                    + labels.length + " rows of " + numFeatures + ", got " + values.length);
        }
        for (int i = 0; i < labels.length; i++) {
            if ((labels[i] & 0xFF) >= numClasses) {
                throw new IllegalArgumentException("Label " + (labels[i] & 0xFF) + " of row " + i
                        + " is outside 0.." + (numClasses - 1));
            }
        }
        this.pixels = null;
        this.values = values;
        this.labels = labels;
        this.channels = 1;
        this.height = 1;
        this.width = numFeatures;
        this.numClasses = numClasses;
    }

    /** @return true for 8-bit images, false for float features (a CSV table) */
    public boolean hasPixels() {
        return pixels != null;
    }

    /** @return number of images */
    public int size() {
        return labels.length;
    }

    /** @return channels per image */
    public int channels() {
        return channels;
    }

    /** @return rows per image */
    public int height() {
        return height;
    }

    /** @return columns per image */
    public int width() {
        return width;
    }

    /** @return number of classes */
    public int numClasses() {
        return numClasses;
    }

    /** @return {@code channels * height * width}, the length of a flat feature vector */
    public int pixelsPerImage() {
        return channels * height * width;
    }

    /** @return the class index of image {@code i} */
    public int label(int i) {
        return labels[i] & 0xFF;
    }

    /** @return a copy of all labels, one byte per image */
    public byte[] labels() {
        return labels.clone();
    }

    /** @return a copy of all pixel bytes (unsigned), image after image */
    public byte[] pixels() {
        return requirePixels().clone();
    }

    /** @return the unsigned value (0..255) of one pixel */
    public int pixel(int image, int channel, int row, int column) {
        return requirePixels()[image * pixelsPerImage() + (channel * height + row) * width + column] & 0xFF;
    }

    /** @return the number of images of each class, indexed by class */
    public int[] labelCounts() {
        int[] counts = new int[numClasses];
        for (byte label : labels) {
            counts[label & 0xFF]++;
        }
        return counts;
    }

    /**
     * @param n number of images to keep, {@code 0 <= n <= size()}
     * @return the first {@code n} images
     */
    public ImageData head(int n) {
        if (n < 0 || n > size()) {
            throw new IllegalArgumentException("Cannot take the first " + n + " of " + size() + " images");
        }
        if (values != null) {
            return new ImageData(Arrays.copyOf(values, n * width), Arrays.copyOf(labels, n), width, numClasses);
        }
        return new ImageData(Arrays.copyOf(pixels, n * pixelsPerImage()), Arrays.copyOf(labels, n),
                channels, height, width, numClasses);
    }

    /**
     * Concatenates several sets of the same image shape and class count.
     *
     * @param parts the sets, in order
     * @return one set holding the images of all parts in order
     */
    static ImageData concat(List<ImageData> parts) {
        ImageData first = parts.get(0);
        int total = 0;
        first.requirePixels();
        for (ImageData part : parts) {
            if (part.channels != first.channels || part.height != first.height || part.width != first.width
                    || part.numClasses != first.numClasses) {
                throw new IllegalArgumentException("Cannot concatenate image sets of different shapes");
            }
            total += part.size();
        }
        byte[] allPixels = new byte[total * first.pixelsPerImage()];
        byte[] allLabels = new byte[total];
        int at = 0;
        for (ImageData part : parts) {
            System.arraycopy(part.pixels, 0, allPixels, at * first.pixelsPerImage(), part.pixels.length);
            System.arraycopy(part.labels, 0, allLabels, at, part.labels.length);
            at += part.size();
        }
        return new ImageData(allPixels, allLabels, first.channels, first.height, first.width, first.numClasses);
    }

    /**
     * Builds the features (pixel / 255, float) and one-hot labels of all images, in order.
     *
     * @param layout {@link Layout#FLAT} for {@code [n, c*h*w]}, {@link Layout#IMAGE} for {@code [n, c, h, w]}
     * @return a new DataSet
     */
    public DataSet toDataSet(Layout layout) {
        int[] all = new int[size()];
        Arrays.setAll(all, i -> i);
        return toDataSet(all, layout);
    }

    /**
     * Builds the features (pixel / 255, float; float features as they are) and one-hot labels of the given
     * images.
     *
     * @param indices images to include, in this order
     * @param layout  {@link Layout#FLAT} for {@code [n, c*h*w]}, {@link Layout#IMAGE} for {@code [n, c, h, w]}
     * @return a new DataSet with {@code indices.length} examples
     */
    public DataSet toDataSet(int[] indices, Layout layout) {
        Objects.requireNonNull(layout, "layout");
        int ppi = pixelsPerImage();
        float[] features = new float[indices.length * ppi];
        float[] oneHot = new float[indices.length * numClasses];
        for (int row = 0; row < indices.length; row++) {
            int offset = indices[row] * ppi;
            if (values != null) {
                System.arraycopy(values, offset, features, row * ppi, ppi);
            } else {
                for (int j = 0; j < ppi; j++) {
                    features[row * ppi + j] = (pixels[offset + j] & 0xFF) / 255f;
                }
            }
            oneHot[row * numClasses + label(indices[row])] = 1f;
        }
        long[] shape = layout == Layout.FLAT
                ? new long[] {indices.length, ppi}
                : new long[] {indices.length, channels, height, width};
        return new DataSet(floatArray(features, shape), floatArray(oneHot, new long[] {indices.length, numClasses}));
    }

    /**
     * The same array as {@code Nd4j.create(values, shape, 'c')}, filled by one bulk copy into the native buffer:
     * {@code Nd4j.create(float[], ...)} writes element by element (ND4J's {@code BaseDataBuffer.setData(float[])}),
     * which made building a batch cost about as much as a fifth of a training step of the MNIST MLP.
     */
    static INDArray floatArray(float[] values, long[] shape) {
        if (values.length == 0) {
            return Nd4j.create(values, shape, 'c');
        }
        INDArray array = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
        new FloatPointer(array.data().addressPointer()).put(values, 0, values.length);
        return array;
    }

    /**
     * Mean and population standard deviation of each channel over all pixels of all images, on the
     * {@code pixel / 255} scale of {@link #toDataSet(Layout)}. Computed in double precision from the bytes.
     *
     * @return {@code [2][channels]}: row 0 the means, row 1 the standard deviations
     */
    public double[][] channelMeanStd() {
        requirePixels();
        int plane = height * width;
        double[] sum = new double[channels];
        double[] sumSq = new double[channels];
        for (int i = 0; i < size(); i++) {
            for (int c = 0; c < channels; c++) {
                long s = 0;
                long sq = 0;
                int offset = i * pixelsPerImage() + c * plane;
                for (int j = 0; j < plane; j++) {
                    int v = pixels[offset + j] & 0xFF;
                    s += v;
                    sq += (long) v * v;
                }
                sum[c] += s;
                sumSq[c] += sq;
            }
        }
        double n = (double) size() * plane;
        double[][] meanStd = new double[2][channels];
        for (int c = 0; c < channels; c++) {
            double mean = sum[c] / n;
            double variance = Math.max(0, sumSq[c] / n - mean * mean);
            meanStd[0][c] = mean / 255.0;
            meanStd[1][c] = Math.sqrt(variance) / 255.0;
        }
        return meanStd;
    }

    private byte[] requirePixels() {
        if (pixels == null) {
            throw new IllegalStateException("This set holds float features (a table), not 8-bit pixels");
        }
        return pixels;
    }

    @Override
    public String toString() {
        return "ImageData[" + size() + " images " + channels + "x" + height + "x" + width + ", " + numClasses
                + " classes]";
    }
}
