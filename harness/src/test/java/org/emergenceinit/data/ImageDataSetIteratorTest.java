package org.emergenceinit.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

class ImageDataSetIteratorTest {

    /** 250 one-pixel-row images whose first pixel is the image index (mod 256) and label index % 10. */
    private static ImageData indexed(int n) {
        byte[] pixels = new byte[n * 4];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            pixels[i * 4] = (byte) i;
            labels[i] = (byte) (i % 10);
        }
        return ImageData.copyOf(pixels, labels, 1, 2, 2, 10);
    }

    /** @return the image indices of one epoch, in visiting order */
    private static List<Integer> epoch(DataSetIterator it) {
        List<Integer> seen = new ArrayList<>();
        while (it.hasNext()) {
            DataSet ds = it.next();
            for (int r = 0; r < ds.numExamples(); r++) {
                seen.add(Math.round(ds.getFeatures().getFloat(r, 0) * 255));
            }
        }
        it.reset();
        return seen;
    }

    @Test
    void sameSeedGivesTheSameOrderEveryEpochDiffersAndVisitsAll() {
        ImageData data = indexed(250);
        ImageDataSetIterator a = new ImageDataSetIterator(data, 32, Layout.FLAT, true, 7L, List.of());
        ImageDataSetIterator b = new ImageDataSetIterator(data, 32, Layout.FLAT, true, 7L, List.of());
        ImageDataSetIterator c = new ImageDataSetIterator(data, 32, Layout.FLAT, true, 8L, List.of());
        List<Integer> a0 = epoch(a);
        List<Integer> a1 = epoch(a);
        assertEquals(a0, epoch(b));
        assertEquals(a1, epoch(b));
        assertNotEquals(a0, a1);
        assertNotEquals(a0, epoch(c));
        List<Integer> sorted = new ArrayList<>(a0);
        sorted.sort(null);
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            all.add(i);
        }
        assertEquals(all, sorted);
        assertEquals(2, a.epoch());
    }

    @Test
    void resetWithoutDrawingDoesNotAdvanceTheEpoch() {
        ImageData data = indexed(100);
        ImageDataSetIterator a = new ImageDataSetIterator(data, 10, Layout.FLAT, true, 3L, List.of());
        ImageDataSetIterator b = new ImageDataSetIterator(data, 10, Layout.FLAT, true, 3L, List.of());
        a.reset();
        a.reset();
        assertEquals(0, a.epoch());
        assertEquals(epoch(b), epoch(a));
    }

    @Test
    void unshuffledIteratorKeepsFileOrderAndTheLastBatchIsSmaller() {
        ImageDataSetIterator it = new ImageDataSetIterator(indexed(25), 10, Layout.IMAGE, false, 0L, List.of());
        List<Integer> sizes = new ArrayList<>();
        List<Integer> seen = new ArrayList<>();
        while (it.hasNext()) {
            DataSet ds = it.next();
            assertArrayEquals(new long[] {ds.numExamples(), 1, 2, 2}, ds.getFeatures().shape());
            sizes.add(ds.numExamples());
            for (int r = 0; r < ds.numExamples(); r++) {
                seen.add(Math.round(ds.getFeatures().getFloat(r, 0, 0, 0) * 255));
            }
        }
        assertEquals(List.of(10, 10, 5), sizes);
        assertEquals(0, seen.get(0));
        assertEquals(24, seen.get(24));
    }

    @Test
    void maxBatchesCapsEveryEpoch() throws IOException {
        DatasetSource data = Datasets.withDataDir(null).load(Datasets.MNIST_EMBEDDED);
        DataSetIterator it = data.trainIterator(100, 1L, Layout.FLAT, 3);
        for (int epoch = 0; epoch < 2; epoch++) {
            int batches = 0;
            while (it.hasNext()) {
                DataSet ds = it.next();
                assertArrayEquals(new long[] {100, 784}, ds.getFeatures().shape());
                batches++;
            }
            assertEquals(3, batches);
            it.reset();
        }
        DataSetIterator test = data.testIterator(300, Layout.IMAGE, 0);
        int examples = 0;
        while (test.hasNext()) {
            examples += test.next().numExamples();
        }
        assertEquals(1000, examples);
        assertFalse(test.hasNext());
    }
}
