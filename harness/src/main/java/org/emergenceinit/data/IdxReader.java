package org.emergenceinit.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import org.nd4j.linalg.dataset.DataSet;

/**
 * Reads IDX image and label files, the format of MNIST and Fashion-MNIST
 * (<a href="http://yann.lecun.com/exdb/mnist/">LeCun and Cortes</a>), gzipped or plain.
 *
 * <p>Format: a big-endian header, then unsigned bytes. Image files: magic number 2051
 * ({@code 0x00000803}: unsigned bytes, 3 dimensions), image count, rows, columns, then
 * {@code count * rows * columns} pixels, row-major. Label files: magic number 2049 ({@code 0x00000801}),
 * count, then one byte per label.
 *
 * <p>Gzip is recognised by the first two bytes of the file ({@code 1f 8b}), not by its name, so a
 * gzipped file without {@code .gz} and an unpacked file named {@code .gz} are both read correctly.
 * Every error is an {@link InvalidDataFileException} naming the file: bad magic number, wrong dimensions,
 * truncated file (expected N bytes, found M), trailing bytes, image and label counts that differ.
 *
 * <pre>{@code
 * ImageData train = IdxReader.read(dir.resolve("train-images-idx3-ubyte.gz"),
 *                                  dir.resolve("train-labels-idx1-ubyte.gz"));
 * DataSet all = IdxReader.readDataSet(images, labels, Layout.IMAGE);   // [n,1,28,28] and [n,10]
 * }</pre>
 */
public final class IdxReader {

    /** Magic number of an IDX image file (unsigned bytes, 3 dimensions). */
    public static final int IMAGE_MAGIC = 2051;
    /** Magic number of an IDX label file (unsigned bytes, 1 dimension). */
    public static final int LABEL_MAGIC = 2049;
    /** Number of classes of MNIST and Fashion-MNIST labels. */
    public static final int NUM_CLASSES = 10;

    private static final int IMAGE_HEADER_BYTES = 16;
    private static final int LABEL_HEADER_BYTES = 8;

    private IdxReader() {
    }

    /**
     * Images of one IDX image file.
     *
     * @param count   number of images read
     * @param rows    rows per image
     * @param columns columns per image
     * @param pixels  {@code count * rows * columns} unsigned bytes, image after image, row-major
     */
    public record Images(int count, int rows, int columns, byte[] pixels) {
    }

    /** @return all images of {@code file} */
    public static Images readImages(Path file) throws IOException {
        return readImages(DataFileSource.of(file), -1);
    }

    /**
     * @param limit read only the first {@code limit} images (the rest of the file is not checked)
     * @return the first {@code min(limit, count)} images of {@code file}
     */
    public static Images readImages(Path file, int limit) throws IOException {
        return readImages(DataFileSource.of(file), requireLimit(limit));
    }

    /** @return all labels of {@code file}, one byte each */
    public static byte[] readLabels(Path file) throws IOException {
        return readLabels(DataFileSource.of(file), -1);
    }

    /**
     * @param limit read only the first {@code limit} labels (the rest of the file is not checked)
     * @return the first {@code min(limit, count)} labels of {@code file}
     */
    public static byte[] readLabels(Path file, int limit) throws IOException {
        return readLabels(DataFileSource.of(file), requireLimit(limit));
    }

    /**
     * Reads a pair of image and label files with 10 classes.
     *
     * @return all images with their labels
     * @throws InvalidDataFileException if either file is malformed, the counts differ or a label exceeds 9
     */
    public static ImageData read(Path images, Path labels) throws IOException {
        return read(DataFileSource.of(images), DataFileSource.of(labels), -1);
    }

    /**
     * Reads the first {@code limit} images and labels of a pair of files with 10 classes.
     * Both headers must still announce the same count.
     */
    public static ImageData read(Path images, Path labels, int limit) throws IOException {
        return read(DataFileSource.of(images), DataFileSource.of(labels), requireLimit(limit));
    }

    /**
     * Reads a pair of files into one DataSet: features {@code pixel / 255} as float, labels one-hot
     * {@code [n, 10]}, as DL4J's {@code MnistDataSetIterator} (not binarized).
     *
     * @param layout {@link Layout#FLAT} for {@code [n, 784]}, {@link Layout#IMAGE} for {@code [n, 1, 28, 28]}
     */
    public static DataSet readDataSet(Path images, Path labels, Layout layout) throws IOException {
        return read(images, labels).toDataSet(layout);
    }

    /** @return whether the file starts with the gzip magic bytes {@code 1f 8b} */
    public static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    static ImageData read(DataFileSource images, DataFileSource labels, int limit) throws IOException {
        Images img = readImages(images, limit);
        byte[] lab = readLabels(labels, limit);
        int imageCount = headerCount(images, IMAGE_MAGIC);
        int labelCount = headerCount(labels, LABEL_MAGIC);
        if (imageCount != labelCount) {
            throw new InvalidDataFileException("Image and label counts differ: " + images.name() + " holds "
                    + imageCount + " images but " + labels.name() + " holds " + labelCount
                    + " labels. Use the image and label files of the same split (train or t10k).");
        }
        for (int i = 0; i < lab.length; i++) {
            if ((lab[i] & 0xFF) >= NUM_CLASSES) {
                throw new InvalidDataFileException(labels.name() + ": label " + (lab[i] & 0xFF) + " at index " + i
                        + " is outside 0.." + (NUM_CLASSES - 1));
            }
        }
        return new ImageData(img.pixels(), lab, 1, img.rows(), img.columns(), NUM_CLASSES);
    }

    static Images readImages(DataFileSource source, int limit) throws IOException {
        try (DataInputStream in = new DataInputStream(decode(source))) {
            int[] header = readHeader(source, in, IMAGE_MAGIC, "image", 4);
            int count = header[1];
            int rows = header[2];
            int columns = header[3];
            if (count < 0 || rows <= 0 || columns <= 0) {
                throw new InvalidDataFileException(source.name() + ": wrong dimensions " + count + " x " + rows
                        + " x " + columns + " in the header; expected a non-negative image count and positive"
                        + " rows and columns");
            }
            long expectedBytes = IMAGE_HEADER_BYTES + (long) count * rows * columns;
            int n = limit < 0 ? count : Math.min(limit, count);
            long wanted = (long) n * rows * columns;
            if (wanted > Integer.MAX_VALUE - 8) {
                throw new InvalidDataFileException(source.name() + ": " + n + " images of " + rows + "x" + columns
                        + " do not fit in one array; read fewer with a limit");
            }
            byte[] pixels = readBody(source, in, (int) wanted, IMAGE_HEADER_BYTES, expectedBytes, limit < 0);
            return new Images(n, rows, columns, pixels);
        }
    }

    static byte[] readLabels(DataFileSource source, int limit) throws IOException {
        try (DataInputStream in = new DataInputStream(decode(source))) {
            int[] header = readHeader(source, in, LABEL_MAGIC, "label", 2);
            int count = header[1];
            if (count < 0) {
                throw new InvalidDataFileException(source.name() + ": wrong dimensions: label count " + count
                        + " in the header is negative");
            }
            int n = limit < 0 ? count : Math.min(limit, count);
            return readBody(source, in, n, LABEL_HEADER_BYTES, LABEL_HEADER_BYTES + (long) count, limit < 0);
        }
    }

    /** Reads only the header of an IDX file and returns its item count. */
    private static int headerCount(DataFileSource source, int magic) throws IOException {
        try (DataInputStream in = new DataInputStream(decode(source))) {
            return readHeader(source, in, magic, magic == IMAGE_MAGIC ? "image" : "label", 2)[1];
        }
    }

    private static int[] readHeader(DataFileSource source, DataInputStream in, int magic, String kind, int ints)
            throws IOException {
        int[] header = new int[ints];
        for (int i = 0; i < ints; i++) {
            try {
                header[i] = in.readInt();
            } catch (EOFException e) {
                throw new InvalidDataFileException(source.name() + ": truncated: the IDX " + kind
                        + " header needs " + 4 * ints + " bytes, the file ends within it", e);
            }
            if (i == 0 && header[0] != magic) {
                throw new InvalidDataFileException(source.name() + ": bad magic number " + header[0]
                        + ", expected " + magic + " for an IDX " + kind + " file" + hint(header[0]));
            }
        }
        return header;
    }

    private static String hint(int found) {
        if (found == IMAGE_MAGIC) {
            return " (this is an image file: are images and labels swapped?)";
        }
        if (found == LABEL_MAGIC) {
            return " (this is a label file: are images and labels swapped?)";
        }
        return " (not an IDX file, or a gzip file that could not be recognised)";
    }

    /**
     * Reads {@code length} body bytes; if {@code whole}, also checks that nothing follows the announced content.
     */
    private static byte[] readBody(DataFileSource source, InputStream in, int length, int headerBytes,
            long expectedBytes, boolean whole) throws IOException {
        byte[] body = new byte[length];
        int got = readFully(source, in, body);
        if (got < length) {
            throw new InvalidDataFileException(source.name() + ": truncated: expected " + expectedBytes
                    + " bytes (uncompressed) as its header announces, found " + (headerBytes + got));
        }
        if (whole) {
            long extra = countRemaining(source, in);
            if (extra > 0) {
                throw new InvalidDataFileException(source.name() + ": wrong length: expected " + expectedBytes
                        + " bytes (uncompressed) as its header announces, found " + (expectedBytes + extra));
            }
        }
        return body;
    }

    private static int readFully(DataFileSource source, InputStream in, byte[] target) throws IOException {
        try {
            return in.readNBytes(target, 0, target.length);
        } catch (EOFException | ZipException e) {
            throw corruptGzip(source, e);
        }
    }

    private static long countRemaining(DataFileSource source, InputStream in) throws IOException {
        try {
            return in.transferTo(OutputStream.nullOutputStream());
        } catch (EOFException | ZipException e) {
            throw corruptGzip(source, e);
        }
    }

    private static InvalidDataFileException corruptGzip(DataFileSource source, IOException e) {
        return new InvalidDataFileException(source.name() + ": truncated or corrupt gzip data (" + e.getMessage()
                + "); download the file again", e);
    }

    /** Opens the source, unpacking gzip if the first two bytes are the gzip magic {@code 1f 8b}. */
    static InputStream decode(DataFileSource source) throws IOException {
        BufferedInputStream in = new BufferedInputStream(source.open(), 1 << 16);
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        if (b1 == 0x1f && b2 == 0x8b) {
            try {
                return new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
            } catch (EOFException | ZipException e) {
                in.close();
                throw corruptGzip(source, e);
            }
        }
        return in;
    }

    private static int requireLimit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, got " + limit);
        }
        return limit;
    }
}
