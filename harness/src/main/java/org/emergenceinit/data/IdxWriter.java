package org.emergenceinit.data;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Writes IDX image and label files, the inverse of {@link IdxReader}; used to make the embedded MNIST
 * subset and test files. Gzipped output is byte-for-byte reproducible (Java writes a gzip header
 * without time stamp).
 */
public final class IdxWriter {

    private IdxWriter() {
    }

    /**
     * @param file   target file, replaced if it exists
     * @param images the images to write
     * @param gzip   whether to gzip the file
     */
    public static void writeImages(Path file, IdxReader.Images images, boolean gzip) throws IOException {
        if (images.pixels().length != (long) images.count() * images.rows() * images.columns()) {
            throw new IllegalArgumentException("Expected " + (long) images.count() * images.rows()
                    * images.columns() + " pixel bytes, got " + images.pixels().length);
        }
        try (DataOutputStream out = open(file, gzip)) {
            out.writeInt(IdxReader.IMAGE_MAGIC);
            out.writeInt(images.count());
            out.writeInt(images.rows());
            out.writeInt(images.columns());
            out.write(images.pixels());
        }
    }

    /**
     * @param file   target file, replaced if it exists
     * @param labels one byte per label
     * @param gzip   whether to gzip the file
     */
    public static void writeLabels(Path file, byte[] labels, boolean gzip) throws IOException {
        try (DataOutputStream out = open(file, gzip)) {
            out.writeInt(IdxReader.LABEL_MAGIC);
            out.writeInt(labels.length);
            out.write(labels);
        }
    }

    private static DataOutputStream open(Path file, boolean gzip) throws IOException {
        OutputStream raw = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        return new DataOutputStream(gzip ? new GZIPOutputStream(raw, 1 << 16) : raw);
    }
}
