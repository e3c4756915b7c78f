package org.emergenceinit.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.emergenceinit.harness.RunSpec;
import org.emergenceinit.harness.RunResult;
import org.emergenceinit.harness.TrainingRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import org.nd4j.linalg.dataset.api.preprocessor.ImagePreProcessingScaler;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.dataset.api.preprocessor.serializer.NormalizerSerializer;

/**
 * {@code images:DIR} and {@code csv:FILE} on data written on the fly from the embedded MNIST digits 0, 1, 2
 * (40 of each): loading, the deterministic split, training above chance, the saved normalizer, every error.
 */
class UserDataTest {

    private static final int PER_CLASS = 40;

    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    private static ImageData digits;
    private static Path tree;
    private static Path csv;

    @BeforeAll
    static void writeData() throws IOException {
        digits = Datasets.load(Datasets.MNIST_EMBEDDED, null).train();
        tree = shared.resolve("digits");
        assertEquals(3 * PER_CLASS, SampleData.writeImageFolder(digits, List.of(0, 1, 2), PER_CLASS, tree));
        csv = shared.resolve("digits.csv");
        assertEquals(3 * PER_CLASS, SampleData.writeCsv(digits, List.of(0, 1, 2), PER_CLASS, csv));
    }

    private static DatasetSource load(String name) throws IOException {
        return Datasets.load(name, null, OwnDataSpec.DEFAULTS);
    }

    private static Map<String, Long> snapshot(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.collect(Collectors.toMap(Path::toString, p -> p.toFile().lastModified() ^ p.toFile().length(),
                    (a, b) -> a, TreeMap::new));
        }
    }

    @Test
    void imageFolderLoadsWithClassNamesShapeAndADeterministicStratifiedSplit() throws IOException {
        Map<String, Long> before = snapshot(tree);
        DatasetSource a = load("images:" + tree);
        DatasetSource b = load("images:" + tree);
        assertEquals(before, snapshot(tree), "the data folder is only read");
        assertEquals(List.of("0", "1", "2"), a.classNames());
        assertArrayEquals(new int[] {1, 28, 28}, a.inputShape());
        assertEquals(96, a.numTrain());
        assertEquals(24, a.numTest());
        assertArrayEquals(new int[] {8, 8, 8}, a.test().labelCounts());
        assertArrayEquals(a.test().pixels(), b.test().pixels(), "same files in the same split every run");
        assertArrayEquals(a.train().labels(), b.train().labels());
        assertEquals(a.sha256(), b.sha256());
        assertTrue(a.displayLabel().startsWith("images:" + tree + " (96 train / 24 test, 1x28x28, 3 classes)"),
                a.displayLabel());
        long sumPixels = 0;
        for (byte p : a.train().pixels()) {
            sumPixels += p & 0xFF;
        }
        for (byte p : a.test().pixels()) {
            sumPixels += p & 0xFF;
        }
        long expected = 0;
        int[] taken = new int[10];
        for (int i = 0; i < digits.size(); i++) {
            int label = digits.label(i);
            if (label <= 2 && taken[label]++ < PER_CLASS) {
                for (int j = 0; j < 784; j++) {
                    expected += digits.pixel(i, 0, j / 28, j % 28);
                }
            }
        }
        assertEquals(expected, sumPixels, "PNG pixels come back exactly through DataVec");
    }

    @Test
    void resizeAndChannelOptionsApply() throws IOException {
        OwnDataSpec o = OwnDataSpec.DEFAULTS.withImageSize("14x20").withChannels(3).withTestFraction(0.25);
        DatasetSource data = Datasets.load("images:" + tree, null, o);
        assertArrayEquals(new int[] {3, 14, 20}, data.inputShape());
        assertArrayEquals(new int[] {10, 10, 10}, data.test().labelCounts());
        assertTrue(!data.isStandardized());

        OwnDataSpec standardize = OwnDataSpec.DEFAULTS.withStandardize(true);
        DatasetSource standardized = Datasets.load("images:" + tree, null, standardize);
        double[][] meanStd = standardized.train().channelMeanStd();
        assertArrayEquals(meanStd[0], standardized.channelMeanStd().orElseThrow()[0], 1e-12, "train split only");
        NormalizerStandardize raw = (NormalizerStandardize) standardized.rawNormalizer();
        assertEquals(255 * meanStd[0][0], raw.getMean().getDouble(0), 1e-3);
    }

    /** Options for 3 epochs of batch 16 with momentum 0.9 and a 24-image probe, written to {@code dir/out}. */
    private RunSpec.Builder threeEpochs(String dataset, String arch, String init, String out) {
        return RunSpec.builder().dataset(dataset).arch(arch).init(init).epochs(3).batch(16).momentum(0.9)
                .probeSamples(24).out(dir.resolve(out));
    }

    /** Trains {@code o}, asserts test accuracy above 0.7 (chance 1/3), and returns the normalizer saved beside it. */
    private static DataNormalization trainBeatsChance(RunSpec o) throws Exception {
        RunResult r = TrainingRun.run(o, null);
        assertTrue(r.last().testAccuracy() > 0.7, "accuracy " + r.last().testAccuracy() + ", chance 1/3");
        return NormalizerSerializer.getDefault().restore(o.outDir().resolve(TrainingRun.NORMALIZER_FILE).toFile());
    }

    @Test
    void cnnOnTheImageFolderBeatsChanceAndSavesTheScaler() throws Exception {
        RunSpec o = threeEpochs("images:" + tree, "cnn:c8-p-f32-3", "emergence-kaiming", "cnn").alpha(1.1).build();
        DataNormalization saved = trainBeatsChance(o);
        assertInstanceOf(ImagePreProcessingScaler.class, saved);
        JsonNode manifest = new ObjectMapper().readTree(o.outDir().resolve("manifest.json").toFile());
        assertEquals("[\"0\",\"1\",\"2\"]", manifest.at("/dataset/classes").toString());
    }

    @Test
    void csvLoadsWithHeaderDetectedAndTheSameSplit() throws IOException {
        DatasetSource table = load("csv:" + csv);
        DatasetSource images = load("images:" + tree);
        assertArrayEquals(new int[] {1, 1, 784}, table.inputShape());
        assertEquals(List.of("0", "1", "2"), table.classNames());
        assertEquals(96, table.numTrain());
        assertArrayEquals(new int[] {8, 8, 8}, table.test().labelCounts());
        assertArrayEquals(table.train().labels(), load("csv:" + csv).train().labels());
        assertTrue(table.normalizer(Layout.FLAT).isPresent());
        assertThrows(IllegalArgumentException.class, () -> table.normalizer(Layout.IMAGE));
        assertEquals(96, images.numTrain());
    }

    @Test
    void csvWithClassNamesAsLabelsNumbersThemInSortedOrder() throws IOException {
        List<String> names = List.of("zero", "one", "two");
        List<String> lines = Files.readAllLines(csv);
        StringBuilder named = new StringBuilder(lines.get(0)).append('\n');
        for (String line : lines.subList(1, lines.size())) {
            int comma = line.lastIndexOf(',');
            named.append(line, 0, comma + 1).append(names.get(Integer.parseInt(line.substring(comma + 1))))
                    .append('\n');
        }
        Path file = Files.writeString(dir.resolve("named.csv"), named);
        DatasetSource indices = load("csv:" + csv);
        DatasetSource table = load("csv:" + file);
        assertEquals(List.of("one", "two", "zero"), table.classNames());
        int[] renumber = {2, 0, 1}; // index -> position of its name in sorted order
        for (int c = 0; c < 3; c++) {
            assertEquals(indices.train().labelCounts()[c], table.train().labelCounts()[renumber[c]]);
            assertEquals(classSum(indices, c), classSum(table, renumber[c]), 1e-3, "class " + names.get(c) + "'s rows");
        }

        // without a header the first line is data, since only feature cells decide
        Path headless = Files.writeString(dir.resolve("headless.csv"), named.substring(named.indexOf("\n") + 1));
        assertEquals(table.numTrain() + table.numTest(), load("csv:" + headless).numTrain()
                + load("csv:" + headless).numTest());
    }

    /** The sum of every feature of the rows of class {@code c}, train and test. */
    private static double classSum(DatasetSource data, int c) {
        double sum = 0;
        for (ImageData part : List.of(data.train(), data.test())) {
            org.nd4j.linalg.dataset.DataSet d = part.toDataSet(Layout.FLAT);
            for (int i = 0; i < part.size(); i++) {
                if (part.label(i) == c) {
                    sum += d.getFeatures().getRow(i).sumNumber().doubleValue();
                }
            }
        }
        return sum;
    }

    @Test
    void csvClassNameErrors() throws IOException {
        assertTrue(csvError("1,2,a\n3,4,b\n5,6,1\n", OwnDataSpec.DEFAULTS).startsWith("FILE: line 1, column 2 (0-based):"
                + " label 'a' is not a class index 0, 1, 2, ... while other lines have numbers there"));
        OwnDataSpec classes = OwnDataSpec.DEFAULTS.withClasses(3);
        assertEquals("FILE: the labels in column 2 name 2 classes [cat, dog], but --classes is 3; drop --classes or"
                + " fix the labels.", csvError("1,2,cat\n3,4,dog\n5,6,cat\n", classes));
        assertEquals("FILE: every line has label cat in column 2; at least two classes are needed (is --label-column"
                + " right?).", csvError("1,2,cat\n3,4,cat\n", OwnDataSpec.DEFAULTS));
        assertTrue(csvError("1,2,0\n3,4,1.5\n", OwnDataSpec.DEFAULTS).startsWith("FILE: line 2, column 2 (0-based):"
                + " label '1.5' is not a class index"));
    }

    @Test
    void mlpOnTheCsvBeatsChanceAndSavesTheStandardizer() throws Exception {
        RunSpec o = threeEpochs("csv:" + csv, "mlp:784-32-3", "emergence-xavier", "mlp").build();
        DataNormalization saved = trainBeatsChance(o);
        assertInstanceOf(NormalizerStandardize.class, saved);
        assertEquals(784, ((NormalizerStandardize) saved).getMean().length());
    }

    private String imageError(Path folder, OwnDataSpec options) throws IOException {
        Map<String, Long> before = snapshot(folder);
        IOException e = assertThrows(IOException.class, () -> Datasets.load("images:" + folder, null, options));
        assertEquals(before, snapshot(folder), "nothing on disk is changed");
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    private Path copyOfTree(String name) throws IOException {
        Path copy = dir.resolve(name);
        try (Stream<Path> all = Files.walk(tree)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Files.copy(p, copy.resolve(tree.relativize(p).toString()));
            }
        }
        return copy;
    }

    @Test
    void imageFolderErrorsNameTheFileAndWhatToDo() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertTrue(imageError(empty, OwnDataSpec.DEFAULTS).contains(empty + " is empty: put the images in one"
                + " subfolder per class"));

        Path flat = Files.createDirectories(dir.resolve("flat"));
        Files.copy(tree.resolve("0").resolve(Files.list(tree.resolve("0")).findFirst().orElseThrow().getFileName()),
                flat.resolve("a.png"));
        assertTrue(imageError(flat, OwnDataSpec.DEFAULTS).contains(flat + " has no class subfolders"));

        Path one = Files.createDirectories(dir.resolve("one"));
        Files.createDirectories(one.resolve("cat"));
        assertTrue(imageError(one, OwnDataSpec.DEFAULTS).contains("only one class subfolder (cat): at least two"));

        Path noImages = copyOfTree("noimages");
        Files.createDirectories(noImages.resolve("3"));
        Files.writeString(noImages.resolve("3").resolve("notes.txt"), "no images here");
        assertTrue(imageError(noImages, OwnDataSpec.DEFAULTS).contains(noImages.resolve("3")
                + ": class folder holds no PNG or JPEG images"));

        Path corrupt = copyOfTree("corrupt");
        Files.write(corrupt.resolve("1").resolve("zz.png"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        assertTrue(imageError(corrupt, OwnDataSpec.DEFAULTS).contains(corrupt.resolve("1").resolve("zz.png")
                + ": not a readable PNG or JPEG image"));

        Path truncated = copyOfTree("truncated");
        byte[] png = Files.readAllBytes(tree.resolve("2").resolve(Files.list(tree.resolve("2")).sorted().findFirst()
                .orElseThrow().getFileName()));
        Files.write(truncated.resolve("2").resolve("zz.png"), java.util.Arrays.copyOf(png, 40));
        String message = imageError(truncated, OwnDataSpec.DEFAULTS);
        assertTrue(message.contains(truncated.resolve("2").resolve("zz.png").toString()), message);

        Path sizes = copyOfTree("sizes");
        ImageIO.write(new BufferedImage(30, 20, BufferedImage.TYPE_BYTE_GRAY), "png",
                sizes.resolve("2").resolve("zz.png").toFile());
        assertTrue(imageError(sizes, OwnDataSpec.DEFAULTS).contains("Images differ in size: "
                + sizes.resolve("2").resolve("zz.png") + " is 20x30"));
        o28(sizes);

        Path small = dir.resolve("small");
        SampleData.writeImageFolder(digits, List.of(0, 1), 2, small);
        assertTrue(imageError(small, OwnDataSpec.DEFAULTS).contains("class '0' has 2 images, so a test fraction of 0.2"
                + " leaves its test set empty"));
    }

    /** With --image-size, images of different sizes are resized. */
    private static void o28(Path sizes) throws IOException {
        OwnDataSpec o = OwnDataSpec.DEFAULTS.withImageSize("28x28");
        assertEquals(121, Datasets.load("images:" + sizes, null, o).numTrain() + Datasets.load("images:" + sizes,
                null, o).numTest());
    }

    private String csvError(String text, OwnDataSpec options) throws IOException {
        Path file = dir.resolve("bad.csv");
        Files.writeString(file, text);
        IOException e = assertThrows(IOException.class, () -> Datasets.load("csv:" + file, null, options));
        assertEquals(text, Files.readString(file), "nothing on disk is changed");
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage().replace(file.toAbsolutePath().normalize().toString(), "FILE");
    }

    private static String rows(int n, String cell) {
        StringBuilder s = new StringBuilder("a,b,label\n");
        for (int i = 0; i < n; i++) {
            s.append(i).append(',').append(i == 7 ? cell : "1.5").append(',').append(i % 2).append('\n');
        }
        return s.toString();
    }

    @Test
    void csvErrorsNameTheLineColumnOrValueAndWhatToDo() throws IOException {
        assertEquals("FILE: line 9, column 1 (0-based): 'abc' is not a finite number; fix the cell (or skip a"
                + " header with --skip-lines N).", csvError(rows(20, "abc"), OwnDataSpec.DEFAULTS));
        OwnDataSpec column = OwnDataSpec.DEFAULTS.withLabelColumn(3);
        assertEquals("--label-column 3 is out of range: FILE has 3 columns (0..2).",
                csvError(rows(20, "1"), column));
        assertEquals("FILE: every line has label 0 in column 2; at least two classes are needed (is --label-column"
                + " right?).", csvError("1,2,0\n3,4,0\n5,6,0\n", OwnDataSpec.DEFAULTS));
        OwnDataSpec classes = OwnDataSpec.DEFAULTS.withClasses(2);
        assertTrue(csvError("1,2,0\n3,4,1\n5,6,2\n", classes).startsWith("FILE: label 2 in column 2 is outside 0..1"));
        assertTrue(csvError("1,2,0\n3,4,1\n5,6,1\n", OwnDataSpec.DEFAULTS).startsWith("FILE: class '0' has 1 rows, so"
                + " a test fraction of 0.2 leaves its test set empty"));
        assertTrue(csvError("1,2,0\n3,4,x\n", OwnDataSpec.DEFAULTS).startsWith("FILE: line 2, column 2 (0-based):"
                + " label 'x' is not a class index"));
    }

    private static final List<Integer> CIFAR_LABELS = List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);

    /** {@code n} random 32x32 RGB images labelled 0, 1, ..., 9, 0, 1, ... */
    private static ImageData randomCifar(int n, long seed) {
        byte[] pixels = new byte[n * 3 * 32 * 32];
        new java.util.Random(seed).nextBytes(pixels);
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % 10);
        }
        return ImageData.copyOf(pixels, labels, 3, 32, 32, 10);
    }

    @Test
    void cifar10IsReadFromTheStockIteratorsPngTreeInRgbOrder() throws IOException {
        ImageData colour = randomCifar(30, 3);
        Path png = dir.resolve("dl4j-png");
        SampleData.writeImageFolder(colour, CIFAR_LABELS, 2, png.resolve("train"));
        SampleData.writeImageFolder(colour.head(10), CIFAR_LABELS, 1, png.resolve("test"));
        Datasets datasets = new Datasets(null, "--data-dir", dir.resolve("none"), dir.resolve("none-cifar"), png,
                (dataset, target) -> {
                    throw new IOException("offline");
                });
        DatasetSource cifar = datasets.load(Datasets.CIFAR10);
        assertEquals("cifar10-subset (20 train / 10 test)", cifar.displayLabel());
        assertEquals("airplane", cifar.classNames().get(0));
        assertArrayEquals(colour.head(10).pixels(), cifar.test().pixels(), "RGB planes, as the binary version");
        assertTrue(cifar.isStandardized());
    }

    @Test
    void cifar10WithoutLocalFilesIsDownloadedTheWayTheStockIteratorDoesAndReadFromItsPngTree() throws IOException {
        ImageData colour = randomCifar(20, 5);
        Path png = dir.resolve("dl4j-home/data/cifar10");
        List<Path> downloads = new java.util.ArrayList<>();
        Datasets datasets = new Datasets(null, "--data-dir", dir.resolve("none"), dir.resolve("none-cifar"), png,
                (dataset, target) -> { // stands in for Cifar10Fetcher.downloadAndExtract(): the PNG tree appears
                    assertEquals(Datasets.CIFAR10, dataset);
                    downloads.add(target);
                    SampleData.writeImageFolder(colour, CIFAR_LABELS, 1, target.resolve("train"));
                    SampleData.writeImageFolder(colour.head(10), CIFAR_LABELS, 1, target.resolve("test"));
                });
        DatasetSource cifar = datasets.load(Datasets.CIFAR10);
        assertEquals(List.of(png), downloads, "downloaded once, into the stock iterator's cache");
        assertEquals("cifar10-subset (10 train / 10 test)", cifar.displayLabel());
        assertEquals(png.toAbsolutePath().normalize().toString(), cifar.files().get(0));
        assertArrayEquals(colour.head(10).pixels(), cifar.test().pixels());
        datasets.load(Datasets.CIFAR10);
        assertEquals(1, downloads.size(), "the second load reads the cache");
    }

    @Test
    void failedCifarDownloadIsListedWithTheStockIteratorsUrl() {
        Datasets datasets = new Datasets(null, "--data-dir", dir.resolve("none"), dir.resolve("none-cifar"),
                dir.resolve("none-png"), (dataset, target) -> {
                    throw new java.net.UnknownHostException("dl4jdata.blob.core.windows.net");
                });
        DatasetNotFoundException e = assertThrows(DatasetNotFoundException.class,
                () -> datasets.load(Datasets.CIFAR10));
        assertTrue(e.getMessage().contains("Cifar10DataSetIterator's download of https://dl4jdata.blob.core.windows"
                + ".net/datasets/cifar10_dl4j.v1.zip into " + dir.resolve("none-png").toAbsolutePath().normalize()
                + ": failed: unknown host"), e.getMessage());
    }

    @Test
    void missingFolderOrFileIsNotFound() {
        assertThrows(DatasetNotFoundException.class, () -> load("images:" + dir.resolve("nope")));
        assertThrows(DatasetNotFoundException.class, () -> load("csv:" + dir.resolve("nope.csv")));
    }
}
