package org.emergenceinit.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;

class Cifar10BinaryReaderTest {

    @TempDir
    Path dir;

    /** Record i: label i % 10, R plane all i, G plane all 100 + row, B plane all 200 + column % 50. */
    static byte[] records(int n) {
        byte[] bytes = new byte[n * Cifar10BinaryReader.RECORD_BYTES];
        for (int i = 0; i < n; i++) {
            int at = i * Cifar10BinaryReader.RECORD_BYTES;
            bytes[at] = (byte) (i % 10);
            for (int r = 0; r < 32; r++) {
                for (int c = 0; c < 32; c++) {
                    bytes[at + 1 + r * 32 + c] = (byte) i;
                    bytes[at + 1 + 1024 + r * 32 + c] = (byte) (100 + r);
                    bytes[at + 1 + 2048 + r * 32 + c] = (byte) (200 + c % 50);
                }
            }
        }
        return bytes;
    }

    @Test
    void readsLabelsAndRgbPlanes() throws IOException {
        Path a = Files.write(dir.resolve("data_batch_1.bin"), records(3));
        Path b = Files.write(dir.resolve("data_batch_2.bin"), records(2));
        ImageData data = Cifar10BinaryReader.read(List.of(a, b));
        assertEquals(5, data.size());
        assertArrayEquals(new byte[] {0, 1, 2, 0, 1}, data.labels());
        assertEquals(2, data.pixel(2, 0, 5, 7));
        assertEquals(105, data.pixel(2, 1, 5, 7));
        assertEquals(207, data.pixel(2, 2, 5, 7));
        DataSet ds = data.toDataSet(Layout.IMAGE);
        assertArrayEquals(new long[] {5, 3, 32, 32}, ds.getFeatures().shape());
        assertEquals(207 / 255f, ds.getFeatures().getFloat(2, 2, 5, 7), 1e-7);
    }

    @Test
    void lengthNotAMultipleOfTheRecordSizeIsRejected() throws IOException {
        byte[] bytes = records(2);
        Path file = Files.write(dir.resolve("test_batch.bin"), Arrays.copyOf(bytes, bytes.length - 10));
        InvalidDataFileException e = assertThrows(InvalidDataFileException.class,
                () -> Cifar10BinaryReader.read(file));
        assertTrue(e.getMessage().contains(file + ": wrong length: " + (2 * 3073 - 10) + " bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("record size 3073"), e.getMessage());
    }

    @Test
    void labelByteAboveNineIsRejected() throws IOException {
        byte[] bytes = records(2);
        bytes[3073] = 42;
        Path file = Files.write(dir.resolve("data_batch_3.bin"), bytes);
        InvalidDataFileException e = assertThrows(InvalidDataFileException.class,
                () -> Cifar10BinaryReader.read(file));
        assertTrue(e.getMessage().contains(file + ": record 1"), e.getMessage());
        assertTrue(e.getMessage().contains("label byte 42, expected 0..9"), e.getMessage());
    }

    @Test
    void sharedSubsetIsLabelledAsSubsetAndStandardisedPerChannel() throws IOException {
        Path shared = SharedData.dir().orElse(null);
        assumeTrue(shared != null && Files.isDirectory(shared.resolve(Datasets.CIFAR_SUBSET_DIR)),
                "shared CIFAR-10 subset not present");
        Path subset = shared.resolve(Datasets.CIFAR_SUBSET_DIR);
        Map<String, String> before = SharedData.snapshot(subset);

        DatasetSource data = Datasets.load(Datasets.CIFAR10, shared);
        assertEquals("cifar10-subset (5,085 train / 1,017 test)", data.displayLabel());
        assertEquals(5085, data.numTrain());
        assertEquals(1017, data.numTest());
        assertArrayEquals(new int[] {3, 32, 32}, data.inputShape());
        assertEquals(10, data.numClasses());
        assertEquals(6, data.files().size());
        assertTrue(data.files().get(0).endsWith("cifar-10-subset/data_batch_1.bin"), data.files().get(0));
        assertEquals(64, data.sha256().length());
        assertTrue(data.isStandardized());
        // Label of the first training record of data_batch_1.bin, read straight from the file.
        assertEquals(Files.readAllBytes(subset.resolve("data_batch_1.bin"))[0], (byte) data.train().label(0));

        double[] sum = new double[3];
        double[] sumSq = new double[3];
        long perChannel = 0;
        DataSetIterator it = data.trainIterator(1024, 1L, Layout.IMAGE, 0);
        while (it.hasNext()) {
            INDArray f = it.next().getFeatures().castTo(DataType.DOUBLE);
            INDArray mean = f.mean(0, 2, 3);
            INDArray meanSq = f.mul(f).mean(0, 2, 3);
            long count = f.size(0) * 32 * 32;
            for (int c = 0; c < 3; c++) {
                sum[c] += mean.getDouble(c) * count;
                sumSq[c] += meanSq.getDouble(c) * count;
            }
            perChannel += count;
        }
        for (int c = 0; c < 3; c++) {
            double mean = sum[c] / perChannel;
            double std = Math.sqrt(sumSq[c] / perChannel - mean * mean);
            assertEquals(0.0, mean, 1e-4, "channel " + c + " mean");
            assertEquals(1.0, std, 1e-4, "channel " + c + " std");
        }
        DataSet flatTest = data.testIterator(2000, Layout.FLAT, 0).next();
        assertArrayEquals(new long[] {1017, 3072}, flatTest.getFeatures().shape());
        assertEquals(0.0, flatTest.getFeatures().meanNumber().doubleValue(), 0.1, "test set, train statistics");

        assertEquals(before, SharedData.snapshot(subset), "the data folder must not be modified");
    }

    @Test
    void channelStatisticsEqualThoseOfNormalizerStandardizeFit() throws IOException {
        byte[] bytes = records(40);
        for (int i = 0; i < bytes.length; i++) {
            if (i % Cifar10BinaryReader.RECORD_BYTES != 0) {
                bytes[i] = (byte) (bytes[i] * 31 + i);
            }
        }
        ImageData data = Cifar10BinaryReader.read(Files.write(dir.resolve("data_batch_4.bin"), bytes));
        NormalizerStandardize fitted = new NormalizerStandardize();
        fitted.fit(data.toDataSet(Layout.IMAGE));
        double[][] ours = data.channelMeanStd();
        // NormalizerStandardize accumulates in float32: agreement to 1e-4 on values in [0, 1].
        for (int c = 0; c < 3; c++) {
            assertEquals(fitted.getMean().getDouble(c), ours[0][c], 1e-4, "mean of channel " + c);
            assertEquals(fitted.getStd().getDouble(c), ours[1][c], 1e-4, "std of channel " + c);
        }
    }
}
