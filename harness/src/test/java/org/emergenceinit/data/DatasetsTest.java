package org.emergenceinit.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {

    @TempDir
    Path dir;

    private Datasets offline(Path dataDir) {
        return new Datasets(dataDir, "--data-dir", dir.resolve("dl4j-home"), dir.resolve("dl4j-cifar"), dir.resolve("dl4j-png"),
                (dataset, cache) -> {
                    throw new UnknownHostException("dl4jdata.blob.core.windows.net");
                });
    }

    @Test
    void embeddedMnistHas6000And1000ExamplesOfAllDigits() throws IOException {
        DatasetSource data = offline(null).load(Datasets.MNIST_EMBEDDED);
        assertEquals(6000, data.numTrain());
        assertEquals(1000, data.numTest());
        assertEquals("mnist-embedded (6,000 train / 1,000 test)", data.displayLabel());
        assertArrayEquals(new int[] {1, 28, 28}, data.inputShape());
        assertEquals(10, data.numClasses());
        assertTrue(Arrays.stream(data.train().labelCounts()).allMatch(n -> n > 0),
                Arrays.toString(data.train().labelCounts()));
        assertTrue(Arrays.stream(data.test().labelCounts()).allMatch(n -> n > 0));
        assertEquals(4, data.files().size());
        assertTrue(data.files().get(0).startsWith("classpath:/org/emergenceinit/data/mnist-embedded/"));
        assertEquals(data.sha256(), offline(null).load(Datasets.MNIST_EMBEDDED).sha256());
        assertTrue(data.normalizer(Layout.FLAT).isEmpty());
    }

    @Test
    void embeddedMnistEqualsTheFirstImagesOfTheFullFiles() throws IOException {
        Path mnist = SharedData.dir().map(d -> d.resolve("mnist")).orElse(null);
        assumeTrue(mnist != null && Files.isDirectory(mnist), "shared MNIST not present");
        Map<String, String> before = SharedData.snapshot(mnist);
        DatasetSource embedded = offline(null).load(Datasets.MNIST_EMBEDDED);
        ImageData train = IdxReader.read(mnist.resolve("train-images-idx3-ubyte.gz"),
                mnist.resolve("train-labels-idx1-ubyte.gz"), 6000);
        ImageData test = IdxReader.read(mnist.resolve("t10k-images-idx3-ubyte.gz"),
                mnist.resolve("t10k-labels-idx1-ubyte.gz"), 1000);
        assertArrayEquals(train.pixels(), embedded.train().pixels());
        assertArrayEquals(train.labels(), embedded.train().labels());
        assertArrayEquals(test.pixels(), embedded.test().pixels());
        assertArrayEquals(test.labels(), embedded.test().labels());
        assertEquals(before, SharedData.snapshot(mnist), "the data folder must not be modified");
    }

    @Test
    void fullMnistAndFashionMnistFromTheSharedFolder() throws IOException {
        Path shared = SharedData.dir().orElse(null);
        assumeTrue(shared != null && Files.isDirectory(shared.resolve("mnist"))
                && Files.isDirectory(shared.resolve("fashion-mnist")), "shared MNIST / Fashion-MNIST not present");
        Map<String, String> before = SharedData.snapshot(shared);
        DatasetSource mnist = offline(shared).load(Datasets.MNIST);
        assertEquals("mnist", mnist.displayLabel());
        assertEquals(60000, mnist.numTrain());
        assertEquals(10000, mnist.numTest());
        assertArrayEquals(new int[] {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949},
                mnist.train().labelCounts());
        assertTrue(mnist.files().get(0).endsWith("mnist/train-images-idx3-ubyte.gz"));
        DatasetSource fashion = offline(shared).load(Datasets.FASHION_MNIST);
        assertEquals("fashion-mnist", fashion.displayLabel());
        assertEquals(60000, fashion.numTrain());
        assertEquals("Ankle boot", fashion.classNames().get(9));
        assertEquals(before, SharedData.snapshot(shared), "the data folder must not be modified");
    }

    @Test
    void missingDatasetListsEveryPathTriedAndHowToProvideIt() {
        Path empty = dir.resolve("empty-data");
        DatasetNotFoundException e = assertThrows(DatasetNotFoundException.class,
                () -> offline(empty).load(Datasets.MNIST));
        String m = e.getMessage();
        assertEquals(3, e.pathsTried().size(), m);
        assertTrue(m.contains(empty.resolve("mnist") + ": no such folder"), m);
        assertTrue(m.contains(dir.resolve("dl4j-home") + ": no such folder"), m);
        assertTrue(m.contains("UnknownHostException"), m);
        assertTrue(m.contains("--data-dir DIR") && m.contains("EMERGENCE_DATA=DIR"), m);
        assertTrue(m.contains("mnist/{train-images-idx3-ubyte,train-labels-idx1-ubyte,"), m);
        assertTrue(e.getCause() instanceof UnknownHostException);

        DatasetNotFoundException cifar = assertThrows(DatasetNotFoundException.class,
                () -> offline(empty).load(Datasets.CIFAR10));
        assertEquals(5, cifar.pathsTried().size(), cifar.getMessage());
        assertTrue(cifar.getMessage().contains(empty.resolve("cifar-10-batches-bin").toString()));
        assertTrue(cifar.getMessage().contains(empty.resolve("cifar-10-subset").toString()));
        assertTrue(cifar.getMessage().contains("Cifar10DataSetIterator's download of"), cifar.getMessage());
        assertTrue(cifar.getMessage().contains("cifar10_dl4j.v1.zip"), cifar.getMessage());

        DatasetNotFoundException fashion = assertThrows(DatasetNotFoundException.class,
                () -> offline(null).load(Datasets.FASHION_MNIST));
        assertTrue(fashion.getMessage().contains("no --data-dir, and EMERGENCE_DATA is not set"));
        assertTrue(fashion.getMessage().contains("no Fashion-MNIST downloader"));
    }

    @Test
    void partialFolderNamesTheMissingFiles() throws IOException {
        Path mnist = Files.createDirectories(dir.resolve("data/mnist"));
        Files.write(mnist.resolve("train-images-idx3-ubyte"), new byte[0]);
        DatasetNotFoundException e = assertThrows(DatasetNotFoundException.class,
                () -> offline(dir.resolve("data")).load(Datasets.MNIST));
        assertTrue(e.pathsTried().get(0).endsWith("missing train-labels-idx1-ubyte[.gz], "
                + "t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]"), e.pathsTried().get(0));
    }

    @Test
    void stockDownloadFillsTheDl4jCacheAndASubsetIsLabelledAsSuch() throws IOException {
        Path cache = dir.resolve("dl4j-home");
        Datasets datasets = new Datasets(null, "--data-dir", cache, dir.resolve("dl4j-cifar"), dir.resolve("dl4j-png"), (dataset, target) -> {
            assertEquals(Datasets.MNIST, dataset);
            Files.createDirectories(target);
            for (String name : Datasets.IDX_FILES) {
                try (InputStream in = getClass().getResourceAsStream(Datasets.EMBEDDED_RESOURCES + name + ".gz")) {
                    Files.copy(in, target.resolve(name));
                }
            }
        });
        DatasetSource data = datasets.load(Datasets.MNIST);
        assertEquals("mnist-subset (6,000 train / 1,000 test)", data.displayLabel());
        assertTrue(data.files().get(0).endsWith("dl4j-home/train-images-idx3-ubyte"), data.files().get(0));
    }

    @Test
    void cifarInDataVecsNestedCacheFolderIsFoundAndLabelledBySize() throws IOException {
        Path nested = Files.createDirectories(dir.resolve("dl4j-cifar/root/unpacked/cifar-10-batches-bin"));
        for (String name : Cifar10BinaryReader.TRAIN_FILES) {
            Files.write(nested.resolve(name), Cifar10BinaryReaderTest.records(2));
        }
        Files.write(nested.resolve(Cifar10BinaryReader.TEST_FILE), Cifar10BinaryReaderTest.records(3));
        DatasetSource data = offline(null).load(Datasets.CIFAR10);
        assertEquals("cifar10-subset (10 train / 3 test)", data.displayLabel());
        assertEquals(nested.resolve("test_batch.bin").toString(), data.files().get(5));
        assertArrayEquals(new long[] {2, 3, 32, 32},
                data.trainIterator(2, 0L, Layout.IMAGE, 1).next().getFeatures().shape());
    }

    @Test
    void unknownNameIsRejectedWithTheKnownNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> offline(null).load("cifar100"));
        assertTrue(e.getMessage().contains("[mnist-embedded, mnist, fashion-mnist, cifar10]"), e.getMessage());
    }
}
