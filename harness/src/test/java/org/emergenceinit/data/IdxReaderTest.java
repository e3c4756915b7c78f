package org.emergenceinit.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

class IdxReaderTest {

    @TempDir
    Path dir;

    private static IdxReader.Images randomImages(int n, long seed) {
        byte[] pixels = new byte[n * 28 * 28];
        new Random(seed).nextBytes(pixels);
        return new IdxReader.Images(n, 28, 28, pixels);
    }

    private static byte[] labels(int n) {
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % 10);
        }
        return labels;
    }

    @Test
    void gzippedAndPlainFilesReadTheSameWhateverTheirNames() throws IOException {
        IdxReader.Images images = randomImages(12, 1);
        Path gz = dir.resolve("images.gz");
        Path plain = dir.resolve("images");
        Path gzWithoutSuffix = dir.resolve("gz-images-no-suffix");
        Path plainWithGzSuffix = dir.resolve("plain-images.gz");
        IdxWriter.writeImages(gz, images, true);
        IdxWriter.writeImages(plain, images, false);
        IdxWriter.writeImages(gzWithoutSuffix, images, true);
        IdxWriter.writeImages(plainWithGzSuffix, images, false);

        assertTrue(IdxReader.isGzip(gz));
        assertTrue(IdxReader.isGzip(gzWithoutSuffix));
        assertFalse(IdxReader.isGzip(plain));
        assertFalse(IdxReader.isGzip(plainWithGzSuffix));
        for (Path file : new Path[] {gz, plain, gzWithoutSuffix, plainWithGzSuffix}) {
            IdxReader.Images read = IdxReader.readImages(file);
            assertEquals(12, read.count(), file.toString());
            assertEquals(28, read.rows());
            assertEquals(28, read.columns());
            assertArrayEquals(images.pixels(), read.pixels(), file.toString());
        }
        IdxReader.Images firstFive = IdxReader.readImages(gz, 5);
        assertArrayEquals(Arrays.copyOf(images.pixels(), 5 * 784), firstFive.pixels());
    }

    @Test
    void dataSetIsScaledOneHotAndShapedByLayout() throws IOException {
        IdxReader.Images images = randomImages(7, 2);
        Path img = dir.resolve("i.gz");
        Path lab = dir.resolve("l");
        IdxWriter.writeImages(img, images, true);
        IdxWriter.writeLabels(lab, labels(7), false);

        DataSet flat = IdxReader.readDataSet(img, lab, Layout.FLAT);
        assertArrayEquals(new long[] {7, 784}, flat.getFeatures().shape());
        assertArrayEquals(new long[] {7, 10}, flat.getLabels().shape());
        assertEquals((images.pixels()[3 * 784 + 100] & 0xFF) / 255f, flat.getFeatures().getFloat(3, 100), 1e-7);
        assertEquals(1f, flat.getLabels().getFloat(3, 3));
        assertEquals(7.0, flat.getLabels().sumNumber().doubleValue(), 0);

        DataSet image = IdxReader.readDataSet(img, lab, Layout.IMAGE);
        assertArrayEquals(new long[] {7, 1, 28, 28}, image.getFeatures().shape());
        assertEquals(flat.getFeatures().getFloat(3, 100), image.getFeatures().getFloat(3, 0, 100 / 28, 100 % 28));
    }

    @Test
    void badMagicNumberNamesFileAndExpectedMagic() throws IOException {
        Path lab = dir.resolve("labels.gz");
        IdxWriter.writeLabels(lab, labels(3), true);
        InvalidDataFileException e = assertThrows(InvalidDataFileException.class, () -> IdxReader.readImages(lab));
        assertTrue(e.getMessage().contains(lab.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("bad magic number 2049, expected 2051"), e.getMessage());

        Path img = dir.resolve("images");
        IdxWriter.writeImages(img, randomImages(3, 3), false);
        e = assertThrows(InvalidDataFileException.class, () -> IdxReader.readLabels(img));
        assertTrue(e.getMessage().contains("bad magic number 2051, expected 2049"), e.getMessage());
    }

    @Test
    void truncatedFileReportsExpectedAndFoundBytes() throws IOException {
        Path full = dir.resolve("full");
        IdxWriter.writeImages(full, randomImages(4, 4), false);
        byte[] bytes = Files.readAllBytes(full);
        Path cut = dir.resolve("cut");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length - 100));
        InvalidDataFileException e = assertThrows(InvalidDataFileException.class, () -> IdxReader.readImages(cut));
        assertTrue(e.getMessage().contains(cut.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated: expected " + (16 + 4 * 784) + " bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("found " + (16 + 4 * 784 - 100)), e.getMessage());

        Path gz = dir.resolve("full.gz");
        IdxWriter.writeImages(gz, randomImages(4, 4), true);
        byte[] gzBytes = Files.readAllBytes(gz);
        Path cutGz = dir.resolve("cut.gz");
        Files.write(cutGz, Arrays.copyOf(gzBytes, gzBytes.length / 2));
        e = assertThrows(InvalidDataFileException.class, () -> IdxReader.readImages(cutGz));
        assertTrue(e.getMessage().contains(cutGz.toString()) && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void trailingBytesAreAWrongLength() throws IOException {
        Path lab = dir.resolve("labels");
        IdxWriter.writeLabels(lab, labels(5), false);
        Files.write(lab, new byte[] {1, 2, 3}, StandardOpenOption.APPEND);
        InvalidDataFileException e = assertThrows(InvalidDataFileException.class, () -> IdxReader.readLabels(lab));
        assertTrue(e.getMessage().contains("wrong length: expected 13 bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("found 16"), e.getMessage());
    }

    @Test
    void wrongDimensionsAreReported() throws IOException {
        Path img = dir.resolve("zero-rows");
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(img))) {
            out.writeInt(IdxReader.IMAGE_MAGIC);
            out.writeInt(1);
            out.writeInt(0);
            out.writeInt(28);
        }
        InvalidDataFileException e = assertThrows(InvalidDataFileException.class, () -> IdxReader.readImages(img));
        assertTrue(e.getMessage().contains(img + ": wrong dimensions 1 x 0 x 28"), e.getMessage());
    }

    @Test
    void imageAndLabelCountsMustAgree() throws IOException {
        Path img = dir.resolve("images.gz");
        Path lab = dir.resolve("labels.gz");
        IdxWriter.writeImages(img, randomImages(5, 5), true);
        IdxWriter.writeLabels(lab, labels(4), true);
        InvalidDataFileException e = assertThrows(InvalidDataFileException.class, () -> IdxReader.read(img, lab));
        assertTrue(e.getMessage().contains("Image and label counts differ"), e.getMessage());
        assertTrue(e.getMessage().contains(img + " holds 5 images"), e.getMessage());
        assertTrue(e.getMessage().contains(lab + " holds 4 labels"), e.getMessage());
    }

    @Test
    void labelsAboveNineAreRejected() throws IOException {
        Path img = dir.resolve("images");
        Path lab = dir.resolve("labels");
        IdxWriter.writeImages(img, randomImages(2, 6), false);
        IdxWriter.writeLabels(lab, new byte[] {3, 12}, false);
        InvalidDataFileException e = assertThrows(InvalidDataFileException.class, () -> IdxReader.read(img, lab));
        assertTrue(e.getMessage().contains(lab + ": label 12 at index 1"), e.getMessage());
    }
}
