package org.emergenceinit.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the binary version of CIFAR-10 (<a href="https://www.cs.toronto.edu/~kriz/cifar.html">Krizhevsky
 * 2009</a>): files {@code data_batch_1.bin} to {@code data_batch_5.bin} and {@code test_batch.bin}, each a
 * sequence of 3,073-byte records: one label byte (0..9), then 3,072 pixel bytes, the R, G and B planes of
 * a 32x32 image, each row-major. The pixels land in {@link ImageData} as {@code [3, 32, 32]} per image.
 *
 * <p>A file whose length is not a multiple of 3,073, or a label byte above 9, gives an
 * {@link InvalidDataFileException} naming the file.
 *
 * <pre>{@code
 * ImageData test = Cifar10BinaryReader.read(List.of(dir.resolve(Cifar10BinaryReader.TEST_FILE)));
 * }</pre>
 */
public final class Cifar10BinaryReader {

    /** Channels of a CIFAR-10 image. */
    public static final int CHANNELS = 3;
    /** Rows and columns of a CIFAR-10 image. */
    public static final int SIZE = 32;
    /** Number of classes. */
    public static final int NUM_CLASSES = 10;
    /** Bytes per record: one label byte and 3,072 pixel bytes. */
    public static final int RECORD_BYTES = 1 + CHANNELS * SIZE * SIZE;
    /** The five training files, in order. */
    public static final List<String> TRAIN_FILES = List.of("data_batch_1.bin", "data_batch_2.bin",
            "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");
    /** The test file. */
    public static final String TEST_FILE = "test_batch.bin";

    private Cifar10BinaryReader() {
    }

    /**
     * Reads the records of several files, concatenated in the given order.
     *
     * @param files CIFAR-10 binary batch files
     * @return all images with their labels
     * @throws InvalidDataFileException if a file's length is not a multiple of {@link #RECORD_BYTES} or a
     *                                  label is above 9
     */
    public static ImageData read(List<Path> files) throws IOException {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("No CIFAR-10 files given");
        }
        List<ImageData> parts = new ArrayList<>();
        for (Path file : files) {
            parts.add(read(file));
        }
        return parts.size() == 1 ? parts.get(0) : ImageData.concat(parts);
    }

    /** @return the records of one file */
    public static ImageData read(Path file) throws IOException {
        long length = Files.size(file);
        if (length % RECORD_BYTES != 0) {
            throw new InvalidDataFileException(file + ": wrong length: " + length + " bytes is not a multiple of"
                    + " the CIFAR-10 binary record size " + RECORD_BYTES + " (1 label byte + 3072 pixel bytes);"
                    + " the file is truncated or not the binary version of CIFAR-10");
        }
        if (length / RECORD_BYTES > Integer.MAX_VALUE / (RECORD_BYTES - 1)) {
            throw new InvalidDataFileException(file + ": " + length + " bytes is too large for one batch file");
        }
        int n = (int) (length / RECORD_BYTES);
        int ppi = RECORD_BYTES - 1;
        byte[] labels = new byte[n];
        byte[] pixels = new byte[n * ppi];
        byte[] record = new byte[RECORD_BYTES];
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            for (int i = 0; i < n; i++) {
                if (in.readNBytes(record, 0, RECORD_BYTES) != RECORD_BYTES) {
                    throw new InvalidDataFileException(file + ": truncated: expected " + length
                            + " bytes, the file ended in record " + i + " while being read");
                }
                int label = record[0] & 0xFF;
                if (label >= NUM_CLASSES) {
                    throw new InvalidDataFileException(file + ": record " + i + " (byte offset "
                            + (long) i * RECORD_BYTES + ") has label byte " + label + ", expected 0.."
                            + (NUM_CLASSES - 1) + "; this is not a CIFAR-10 binary file (CIFAR-100 records are"
                            + " 3,074 bytes)");
                }
                labels[i] = record[0];
                System.arraycopy(record, 1, pixels, i * ppi, ppi);
            }
        }
        return new ImageData(pixels, labels, CHANNELS, SIZE, SIZE, NUM_CLASSES);
    }
}
